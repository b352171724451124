// The VRRP instance state machine (RFC 5798 6.4, RFC 3768 6.4), pure: it is fed events and
// the time they happen at, and returns the actions to take and when it next needs to be
// woken. It owns no socket and reads no clock.
//
// Timers carry the RFC's names: Advertisement_Interval (configured), Master_Adver_Interval
// (learned from the master, VRRPv3), Skew_Time, Master_Down_Interval. keepalived's
// extensions are here too: nopreempt, preempt_delay, down_timer_adverts, `state MASTER`, the
// master re-announcing itself when it hears a lower priority master (a split brain healing),
// and giving up mastership when its addresses are deleted behind its back.
//
// The state machine is the only source of state facts: every change goes through one
// function and is reported as a typed StateChange (from, to, why, the router that caused it),
// before the entry actions it brings; a gratuitous ARP is requested with its reason.
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

// What keeps an instance in FAULT; each is set and cleared on its own, and the instance is in
// FAULT while any is set.
enum class FaultSource : std::uint8_t {
    link_down,  // its interface has no carrier or is down
    unbound,    // its interface, its source address or its socket is missing
    tracking,   // a tracked object with weight 0 failed (or has no result yet)
};
std::string_view to_string(FaultSource f);

// Why a state changed.
enum class Cause : std::uint8_t {
    start,           // INIT -> BACKUP
    address_owner,   // -> MASTER at once: priority 255
    master_down,     // Master_Down_Interval (or Skew_Time after a priority 0) expired
    preempted,       // MASTER -> BACKUP: a higher priority advert (`peer`, `peer_priority`)
    addresses_lost,  // MASTER -> BACKUP: a VIP, route or rule was deleted behind our back
    fault,           // -> FAULT
    fault_cleared,   // FAULT -> BACKUP (or MASTER for the address owner)
    stop,            // -> INIT
};

struct InstanceConfig {
    std::string name;
    std::uint8_t vrid = 1;
    std::uint8_t priority = 100;
    std::uint8_t version = 3;
    Family family = Family::inet;
    Micros advert_interval{1'000'000};  // Advertisement_Interval
    bool preempt = true;
    // Lower priority adverts are taken as a master's own until this long after the instance
    // starts (or first hears one): keepalived's preempt_delay.
    Micros preempt_delay{0};
    std::uint8_t down_timer_adverts = 3;
    bool lower_prio_no_advert = false;
    bool higher_prio_send_advert = false;
    // `state MASTER`: the first wait for a master is Master_Adver_Interval plus the smallest
    // skew, as keepalived does; the election still decides.
    bool initial_master = false;
};

// What the shell must do, in order.
struct SendAdvert {
    std::uint8_t priority;
};
struct AddVips {};
struct RemoveVips {};
enum class GarpReason : std::uint8_t {
    became_master,          // RFC 5798 6.4.2: on becoming master
    lower_priority_master,  // a lower priority master was heard: a split brain healing
};
struct SendGratuitous {  // gratuitous ARP / unsolicited NA for every VIP
    GarpReason reason;
};
struct StateChange {
    State from = State::init;
    State to = State::init;
    Cause cause = Cause::start;
    std::optional<IpAddress> peer{};  // the router whose advert caused it
    std::uint8_t peer_priority = 0;
    FaultSource fault = FaultSource::link_down;  // with Cause::fault
};
// "higher priority advert (200 from 192.0.2.2)": the change's reason for the log.
std::string describe(const StateChange& c);

using Action = std::variant<StateChange, SendAdvert, AddVips, RemoveVips, SendGratuitous>;
using Actions = std::vector<Action>;

struct InstanceCounters {
    std::uint64_t adverts_sent = 0;
    std::uint64_t adverts_received = 0;
    std::uint64_t became_master = 0;
    std::uint64_t released_master = 0;
    std::uint64_t priority_zero_sent = 0;
    std::uint64_t priority_zero_received = 0;
    std::uint64_t lower_priority_master_seen = 0;  // split brains detected and healed
    std::uint64_t lower_priority_discarded = 0;    // a backup preempting a lower master
    std::uint64_t addresses_lost = 0;              // VIPs deleted behind our back
};

class Instance {
  public:
    // `primary_address`: our source address, which breaks ties between equal priorities.
    Instance(InstanceConfig cfg, IpAddress primary_address);

    // `not_master_before`: keepalived's vrrp_startup_delay, the end of the daemon's start-up
    // delay. Until then no instance becomes master: an address owner waits in INIT and becomes
    // master then; a backup's wait for a master runs from then (also for `state MASTER`).
    Actions start(Time now, std::optional<Time> not_master_before = std::nullopt);
    // `release`: send priority 0 and remove the VIPs (without: -V, nothing is sent and the
    // VIPs stay).
    Actions stop(Time now, bool release = true);
    // A fault source appeared or went away.
    Actions set_fault(FaultSource source, bool on, Time now);
    // The effective priority changed (tracking): a master announces it at once rather than
    // at its next interval; a backup's down timer follows its new Skew_Time.
    Actions set_priority(std::uint8_t priority, Time now);
    // A validated advert for this instance's VRID from `source`.
    Actions on_advert(const Advert& a, const IpAddress& source, Time now);
    // Call when next_deadline() has passed.
    Actions on_timer(Time now);
    // A VIP, route or rule the master holds was deleted behind its back: as keepalived
    // does, it gives up (priority 0) and, unless another router takes over within Skew_Time,
    // becomes master again, adding everything back.
    Actions on_addresses_lost(Time now);
    // Reload with the same identity (interface, VRID, family): the new settings apply from
    // now on and the state is kept, so a reload causes no transition by itself.
    void reconfigure(InstanceConfig cfg);
    // A new source address (the old one went away): ties are broken with it from now on.
    void set_primary_address(const IpAddress& a) { primary_address_ = a; }

    std::optional<Time> next_deadline() const { return deadline_; }
    State state() const { return state_; }
    bool faulted() const { return faults_ != 0; }
    bool has_fault(FaultSource f) const { return (faults_ & bit(f)) != 0; }
    const InstanceConfig& config() const { return cfg_; }
    const InstanceCounters& counters() const { return counters_; }
    // The master: this router while MASTER, else the sender of the last advert taken as the
    // master's (none after a priority 0, or while INIT/FAULT).
    std::optional<IpAddress> master_address() const;

    Micros master_adver_interval() const { return master_adver_interval_; }
    Micros skew_time() const;
    Micros master_down_interval() const;

  private:
    static std::uint8_t bit(FaultSource f) { return std::uint8_t(1U << static_cast<unsigned>(f)); }
    // `c` names the cause; from and to are filled in here.
    void change_state(State to, StateChange c, Actions& out);
    void become_master(Time now, Cause cause, Actions& out);
    void become_backup(Time now, StateChange c, Actions& out);
    void send_advert(std::uint8_t priority, Actions& out);
    void leave_master(Actions& out);
    bool advert_wins(const Advert& a, const IpAddress& source) const;
    bool preempt_delay_running(Time now) const;

    InstanceConfig cfg_;
    IpAddress primary_address_;
    State state_ = State::init;
    std::optional<Time> deadline_;
    Micros master_adver_interval_;
    std::uint8_t faults_ = 0;
    // keepalived's preempt delay: until then lower priority adverts count as the master's.
    std::optional<Time> preempt_until_;
    std::optional<Time> delayed_until_;  // vrrp_startup_delay: see start()
    // When a backup's wait for a master starts: now, or the end of the start-up delay.
    Time wait_from(Time now) const {
        return delayed_until_ && now < *delayed_until_ ? *delayed_until_ : now;
    }
    std::optional<IpAddress> master_;  // the sender of the last advert taken as the master's
    InstanceCounters counters_;
};

}  // namespace vigil::vrrp
