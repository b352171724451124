// The receive checks of RFC 3768 7.1 and RFC 5798 7.1 that depend on the receiving
// instance's configuration (the codec has already checked what the packet alone decides).
// A failed check names its reason, to be counted and logged; the advert is then dropped and
// changes no state.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "vrrp/packet.h"

namespace vigil::vrrp {

enum class InstanceReject : std::uint8_t {
    ttl,                 // multicast advert whose TTL / hop limit is not 255
    version_mismatch,    // not the instance's VRRP version
    auth_type_mismatch,  // VRRPv2: another authentication type than configured
    auth_failure,        // VRRPv2: the password differs
    interval_mismatch,   // VRRPv2: another advertisement interval than configured
    address_mismatch,    // the advert's addresses are not the instance's VIPs
    unknown_source,      // check_unicast_src: the source is not a unicast peer
    ttl_out_of_range,    // unicast peer's min_ttl / max_ttl
};
std::string_view to_string(InstanceReject r);

struct UnicastPeerRule {
    IpAddress address;
    std::optional<std::uint8_t> min_ttl;
    std::optional<std::uint8_t> max_ttl;
};

struct ReceivePolicy {
    std::uint8_t version = 3;
    bool unicast = false;
    AuthType auth_type = AuthType::none;
    std::array<std::uint8_t, v2_auth_size> auth_data{};
    std::chrono::microseconds advert_interval{1'000'000};
    std::vector<IpAddress> vips;  // the instance's virtual_ipaddress, in any order
    bool skip_check_adv_addr = false;
    bool check_unicast_src = false;  // also implied by min_ttl/max_ttl on a peer
    std::vector<UnicastPeerRule> peers;
};

// `same_master` says the advert comes from the master whose previous advert was accepted:
// with skip_check_adv_addr the address list is then not compared again.
std::optional<InstanceReject> check_received(const Advert& a, const RxMeta& meta,
                                             const ReceivePolicy& p, bool same_master = false);

}  // namespace vigil::vrrp
