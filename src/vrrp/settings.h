// What a configured vrrp_instance means to the protocol: the state machine's settings, the
// receive checks, what and where to send. Pure: derived from the resolved configuration
// model alone; the interface's own addresses are filled in by the worker at run time.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "config/model_vrrp.h"
#include "vrrp/garp_schedule.h"
#include "vrrp/instance.h"
#include "vrrp/packet.h"
#include "vrrp/receive_check.h"

namespace vigil::vrrp {

struct SendSettings {
    // mcast_src_ip / unicast_src_ip; unset: the interface's primary address of the family
    // (IPv6: its link-local address, RFC 5798 5.1.2.2).
    std::optional<IpAddress> source;
    IpAddress multicast_group;             // 224.0.0.18 / ff02::12 or mcast_dst_ip
    std::vector<IpAddress> unicast_peers;  // non-empty: unicast only
    std::uint8_t ttl = 255;  // unicast_ttl with unicast peers; always 255 for multicast
    AuthType auth_type = AuthType::none;
    std::array<std::uint8_t, v2_auth_size> password{};  // PASS data / AH key, 0-padded
    std::size_t password_size = 0;
    ChecksumForm v3_ipv4_checksum = ChecksumForm::pseudo_header;
};

// The part of an instance that must be unchanged for a reload to keep its state and VIPs.
struct InstanceIdentity {
    std::string interface;
    std::uint8_t vrid = 0;
    Family family = Family::inet;
    bool unicast = false;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const InstanceIdentity&) const = default;
};

struct InstanceSettings {
    std::string name;
    InstanceIdentity identity;
    InstanceConfig fsm;
    GarpPolicy garp;
    ReceivePolicy receive;
    SendSettings send;
    std::vector<IpAddress> advertised;  // the addresses the adverts carry
};

InstanceSettings make_settings(const config::VrrpInstance& vi, const config::GlobalDefs& g);

}  // namespace vigil::vrrp
