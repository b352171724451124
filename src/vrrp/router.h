// The VRRP instances of one worker, as pure code.
//
// RouterInstance is an instance's runtime: the state machine, what decides its gratuitous
// ARPs (the GarpSchedule), its binding (interface and source address), its AH sequence
// numbers and its counters. Its calls return Effects, the shell's to-do list.
//
// Router is the receive path (IPv4 header, AH, codec, the instance's checks, dispatch by
// interface/family/VRID): a datagram is delivered to its instance, or rejected with a typed
// reason that is counted where an operator looks for it (the instance its VRID names, else
// the router) and returned for the shell to log.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include "common/ip_address.h"
#include "vrrp/garp_schedule.h"
#include "vrrp/instance.h"
#include "vrrp/packet.h"
#include "vrrp/receive_check.h"
#include "vrrp/settings.h"

namespace vigil::vrrp {

// Why a received datagram was dropped: the codec's reasons, the instance's checks, and the
// router's own.
enum class RxReject : std::uint8_t {
    too_short,
    bad_version,
    bad_type,
    bad_length,
    bad_checksum,
    bad_family,
    bad_auth_type,
    bad_ip_header,
    ttl,
    version_mismatch,
    auth_type_mismatch,
    auth_failure,
    interval_mismatch,
    address_mismatch,
    unknown_source,
    ttl_out_of_range,
    ah_replay,    // an AH sequence number this sender has used already
    own_address,  // an advert from our own source address
    unknown_vrid,
};
constexpr std::size_t rx_reject_count = static_cast<std::size_t>(RxReject::unknown_vrid) + 1;
RxReject to_rx_reject(RejectReason r);
RxReject to_rx_reject(InstanceReject r);
// Stable names for counters and the JSON status ("bad_checksum", "ttl", ...).
std::string_view counter_key(RxReject r);

// Rejections by reason.
class RxCounters {
  public:
    void count(RxReject r) { ++counts_.at(static_cast<std::size_t>(r)); }
    std::uint64_t operator[](RxReject r) const { return counts_.at(static_cast<std::size_t>(r)); }
    bool empty() const;
    // Calls fn(reason, count) for every reason counted at least once, in enum order.
    template <class Fn>
    void for_each(Fn fn) const {
        for (std::size_t i = 0; i < rx_reject_count; ++i)
            if (counts_.at(i) != 0) fn(static_cast<RxReject>(i), counts_.at(i));
    }

  private:
    std::array<std::uint64_t, rx_reject_count> counts_{};
};

// One packet to send: for IPv4 the whole IP packet (sent with IP_HDRINCL), for IPv6 the VRRP
// message (the kernel adds the header).
struct Outbound {
    Family family = Family::inet;
    IpAddress source;
    IpAddress destination;
    std::vector<std::byte> bytes;
};

// Gratuitous ARP / unsolicited NA: `rounds` messages for each VIP, as the schedule decided.
struct Announce {
    std::uint32_t rounds = 0;
};

// A master heard a master of lower priority (a split brain healing): keepalived's
// notify_master_rx_lower_pri and the FIFO's MASTER_RX_LOWER_PRI line.
struct LowerPriorityMaster {};

// What the shell must do for an instance, in order.
using Effect =
    std::variant<StateChange, SendAdvert, AddVips, RemoveVips, Announce, LowerPriorityMaster>;
using Effects = std::vector<Effect>;

// Where an instance runs: its interface (0: none, unicast without `interface`) and the
// address its adverts come from.
struct Binding {
    int ifindex = 0;
    IpAddress source;
};

class RouterInstance {
  public:
    // Unbound (`binding` unset): it starts in FAULT until bind().
    RouterInstance(InstanceSettings s, std::optional<Binding> binding);

    const std::string& name() const { return settings_.name; }
    const InstanceSettings& settings() const { return settings_; }
    const Instance& fsm() const { return fsm_; }
    const std::optional<Binding>& binding() const { return binding_; }
    const RxCounters& rx_errors() const { return rx_errors_; }
    std::optional<IpAddress> master_address() const { return fsm_.master_address(); }
    std::optional<Time> next_deadline() const;
    const GarpSchedule& garp() const { return garp_; }

    Effects start(Time now, std::optional<Time> not_master_before = std::nullopt);
    Effects stop(Time now, bool release);
    Effects set_fault(FaultSource source, bool on, Time now);
    // The effective priority (tracking); settings().fsm.priority stays the configured one.
    Effects set_priority(std::uint8_t priority, Time now);
    Effects on_timer(Time now);
    Effects on_addresses_lost(Time now);
    // New settings with the same identity (a reload): state, VIPs and the gratuitous ARP
    // schedule are kept; the new policy applies from the next burst. `priority`: the
    // effective priority under the new settings.
    void reconfigure(InstanceSettings s, std::uint8_t priority, Time now);

    // The adverts announcing `priority`, one per destination (the multicast group, or each
    // unicast peer), all with the same AH sequence number. Needs a binding.
    std::vector<Outbound> build_adverts(std::uint8_t priority);

  private:
    friend class Router;
    Effects translate(Actions actions, Time now);
    void count(RxReject r) { rx_errors_.count(r); }
    // AH anti-replay (RFC 2402 3.4.3) as keepalived keeps it: one sequence counter per
    // instance, advanced by every advert sent and raised to every one accepted, so that a
    // peer that restarted from 0 catches up from our adverts; a sender is a replay when it
    // repeats a number it used already.
    bool ah_accept(const IpAddress& sender, std::uint32_t sequence);

    InstanceSettings settings_;
    Instance fsm_;
    GarpSchedule garp_;
    std::optional<Binding> binding_;
    RxCounters rx_errors_;
    std::uint16_t ip_id_ = 0;
    std::uint32_t ah_sequence_ = 0;
    std::map<IpAddress, std::uint32_t> ah_last_;  // per sender, bounded
};

class Router {
  public:
    RouterInstance& add(std::unique_ptr<RouterInstance> i);
    void remove(std::string_view name);
    RouterInstance* find(std::string_view name);
    // (Re)binds an instance to its interface and source address, or unbinds it (nullopt);
    // the fault this clears or sets is the caller's to apply.
    void bind(RouterInstance& i, std::optional<Binding> b);
    std::vector<std::unique_ptr<RouterInstance>>& instances() { return instances_; }
    const std::vector<std::unique_ptr<RouterInstance>>& instances() const { return instances_; }

    struct Delivered {
        RouterInstance* instance = nullptr;
        Effects effects;
    };
    struct Rejected {
        RxReject reason;
        RouterInstance* instance = nullptr;  // the instance its VRID names, if any
        IpAddress sender;                    // unset when the IP header was unreadable
        std::string detail;
    };
    using Reception = std::variant<Delivered, Rejected>;
    // A datagram as a raw socket delivered it on `ifindex`: IPv4 with its header (`meta` is
    // ignored), IPv6 without (`meta` carries the addresses and the hop limit).
    Reception receive(int ifindex, Family family, std::span<const std::byte> data,
                      const RxMeta& meta, Time now);

    const RxCounters& unattributed_errors() const { return unattributed_; }

  private:
    RouterInstance* lookup(int ifindex, Family f, std::uint8_t vrid) const;
    Reception reject(RxReject r, RouterInstance* ri, const IpAddress& sender, std::string detail);
    Reception deliver(RouterInstance& ri, std::span<const std::byte> vrrp, RxMeta meta,
                      std::optional<std::uint32_t> ah_sequence, Time now);

    std::vector<std::unique_ptr<RouterInstance>> instances_;
    using Key = std::tuple<int, Family, std::uint8_t>;
    std::map<Key, RouterInstance*> index_;
    RxCounters unattributed_;
};

}  // namespace vigil::vrrp
