// The VRRP instances of one worker, as pure code: the receive path (IPv4 header, AH, codec,
// the instance's checks, dispatch by interface/family/VRID, every rejection counted under
// its reason) and the send path (adverts built for each destination). The worker's shell
// moves bytes between these and the sockets and carries out the instances' actions.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "common/ip_address.h"
#include "vrrp/instance.h"
#include "vrrp/packet.h"
#include "vrrp/receive_check.h"
#include "vrrp/settings.h"

namespace vigil::vrrp {

// Stable names for counters and the JSON status ("bad_checksum", "ttl", ...).
std::string_view counter_key(RejectReason r);
std::string_view counter_key(InstanceReject r);
constexpr std::string_view ah_replay_key = "ah_replay";
constexpr std::string_view ah_auth_key = "auth_failure";

using RxErrors = std::map<std::string, std::uint64_t, std::less<>>;

// One packet to send: for IPv4 the whole IP packet (sent with IP_HDRINCL), for IPv6 the VRRP
// message (the kernel adds the header).
struct Outbound {
    Family family = Family::inet;
    IpAddress source;
    IpAddress destination;
    std::vector<std::byte> bytes;
};

class RouterInstance {
  public:
    // `ifindex` 0: not bound to an interface (unicast without `interface`). `source` is the
    // address adverts are sent from; `ah_sequence` the first AH sequence number to send.
    RouterInstance(InstanceSettings s, int ifindex, IpAddress source,
                   std::uint32_t ah_sequence = 1);

    const std::string& name() const { return settings_.name; }
    const InstanceSettings& settings() const { return settings_; }
    Instance& fsm() { return fsm_; }
    const Instance& fsm() const { return fsm_; }
    int ifindex() const { return ifindex_; }
    const IpAddress& source() const { return source_; }
    const RxErrors& rx_errors() const { return rx_errors_; }
    // Who is master: this router itself, or the sender of the last accepted advert.
    std::optional<IpAddress> master_address() const {
        return fsm_.state() == State::master ? std::optional<IpAddress>(source_) : master_;
    }

    // The adverts announcing `priority`, one per destination (the multicast group, or each
    // unicast peer).
    std::vector<Outbound> build_adverts(std::uint8_t priority);
    // New settings with the same identity (a reload): state and VIPs are kept.
    void reconfigure(InstanceSettings s);

  private:
    friend class Router;
    void count(std::string_view key) { ++rx_errors_[std::string(key)]; }

    InstanceSettings settings_;
    Instance fsm_;
    int ifindex_;
    IpAddress source_;
    RxErrors rx_errors_;
    std::optional<IpAddress> master_;
    std::uint16_t ip_id_ = 0;
    std::uint32_t ah_sent_ = 0;
    std::optional<std::pair<IpAddress, std::uint32_t>> ah_seen_;  // last accepted source/seq
};

class Router {
  public:
    RouterInstance& add(std::unique_ptr<RouterInstance> i);
    void remove(std::string_view name);
    RouterInstance* find(std::string_view name);
    std::vector<std::unique_ptr<RouterInstance>>& instances() { return instances_; }
    const std::vector<std::unique_ptr<RouterInstance>>& instances() const { return instances_; }

    struct Delivery {
        RouterInstance* instance = nullptr;
        Actions actions;
    };
    // A datagram as a raw socket delivered it on `ifindex`: IPv4 with its header (`meta` is
    // ignored), IPv6 without (`meta` carries the addresses and the hop limit). nullopt when
    // it was dropped; the reason is counted on the instance its VRID names, else here.
    std::optional<Delivery> receive(int ifindex, Family family, std::span<const std::byte> data,
                                    const RxMeta& meta, Time now);

    const RxErrors& unattributed_errors() const { return unattributed_; }
    std::uint64_t unknown_vrid() const { return unknown_vrid_; }

  private:
    RouterInstance* lookup(int ifindex, Family f, std::uint8_t vrid) const;
    std::optional<Delivery> deliver(RouterInstance& ri, std::span<const std::byte> vrrp,
                                    const RxMeta& meta, bool via_ah, Time now);

    std::vector<std::unique_ptr<RouterInstance>> instances_;
    using Key = std::tuple<int, Family, std::uint8_t>;
    std::map<Key, RouterInstance*> index_;
    RxErrors unattributed_;
    std::uint64_t unknown_vrid_ = 0;
};

}  // namespace vigil::vrrp
