// The VRRP instance state machine (RFC 5798 6.4, RFC 3768 6.4), pure: it is fed events and
// the time they happen at, and returns the actions to take and when it next needs to be
// woken. It owns no socket and reads no clock.
//
// Timers carry the RFC's names: Advertisement_Interval (configured), Master_Adver_Interval
// (learned from the master, VRRPv3), Skew_Time, Master_Down_Interval. keepalived's
// extensions are here too: nopreempt, preempt_delay (which delays preemption only),
// down_timer_adverts, and the master re-announcing itself when it hears a lower priority
// master (a split brain healing), so that no host keeps the loser's MAC for the VIPs.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/ip_address.h"
#include "vrrp/packet.h"

namespace vigil::vrrp {

using Time = std::chrono::steady_clock::time_point;
using Micros = std::chrono::microseconds;

enum class State : std::uint8_t { init, backup, master, fault };
std::string_view to_string(State s);

constexpr std::uint8_t owner_priority = 255;  // the address owner
constexpr std::uint8_t stop_priority = 0;     // "I am stopping": backups take over fast

struct InstanceConfig {
    std::string name;
    std::uint8_t vrid = 1;
    std::uint8_t priority = 100;
    std::uint8_t version = 3;
    Family family = Family::inet;
    Micros advert_interval{1'000'000};  // Advertisement_Interval
    bool preempt = true;
    Micros preempt_delay{0};
    std::uint8_t down_timer_adverts = 3;
    bool lower_prio_no_advert = false;
    bool higher_prio_send_advert = false;
    IpAddress primary_address;  // our source address: breaks ties between equal priorities
    // `state MASTER`: the first wait for a master is Master_Down_Interval without Skew_Time,
    // as keepalived does; the election still decides.
    bool initial_master = false;
};

// What the shell must do, in order.
struct SendAdvert {
    std::uint8_t priority;
};
struct AddVips {};
struct RemoveVips {};
struct SendGratuitous {};  // gratuitous ARP / unsolicited NA for every VIP
struct StateChange {
    State from;
    State to;
    std::string reason;
};
using Action = std::variant<SendAdvert, AddVips, RemoveVips, SendGratuitous, StateChange>;
using Actions = std::vector<Action>;

struct InstanceCounters {
    std::uint64_t adverts_sent = 0;
    std::uint64_t adverts_received = 0;
    std::uint64_t became_master = 0;
    std::uint64_t released_master = 0;
    std::uint64_t priority_zero_sent = 0;
    std::uint64_t priority_zero_received = 0;
    std::uint64_t lower_priority_master_seen = 0;  // split brains detected and healed
};

class Instance {
  public:
    explicit Instance(InstanceConfig cfg);

    Actions start(Time now);
    Actions stop(Time now);
    // An interface or tracker went down (fault) or came back.
    Actions set_fault(bool fault, Time now);
    // A validated advert for this instance's VRID from `source`.
    Actions on_advert(const Advert& a, const IpAddress& source, Time now);
    // Call when next_deadline() has passed.
    Actions on_timer(Time now);
    // Reload with the same identity (interface, VRID, family): the new settings apply from
    // now on and the state is kept, so a reload causes no transition by itself.
    void reconfigure(InstanceConfig cfg);

    std::optional<Time> next_deadline() const { return deadline_; }
    State state() const { return state_; }
    const InstanceConfig& config() const { return cfg_; }
    const InstanceCounters& counters() const { return counters_; }

    Micros master_adver_interval() const { return master_adver_interval_; }
    Micros skew_time() const;
    Micros master_down_interval() const;

  private:
    void change_state(State to, std::string reason, Actions& out);
    void become_master(Time now, std::string reason, Actions& out);
    void become_backup(Time now, std::string reason, Actions& out);
    void send_advert(std::uint8_t priority, Actions& out);
    bool advert_wins(const Advert& a, const IpAddress& source) const;

    InstanceConfig cfg_;
    State state_ = State::init;
    std::optional<Time> deadline_;
    Micros master_adver_interval_;
    bool fault_ = false;
    // A lower priority master is advertising while we are backup: taking over from it is a
    // preemption, which preempt_delay delays.
    bool lower_master_seen_ = false;
    bool preempt_pending_ = false;
    InstanceCounters counters_;
};

}  // namespace vigil::vrrp
