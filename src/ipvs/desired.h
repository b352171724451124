// The IPVS table vigil wants the kernel to hold: plain value types in the kernel's own terms
// (those of `ipvsadm -Ln` and the IPVS generic netlink attributes), ordered and comparable so
// that the reconciler can diff them against what it reads back from the kernel and apply only
// the differences. Pure: no netlink, no config types.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/ip_address.h"

namespace vigil::ipvs {

enum class Protocol : std::uint8_t { tcp, udp, sctp };
std::string_view to_string(Protocol p);

// A service is either address+port+protocol or a firewall mark (then fwmark != 0 and the
// address, port and protocol are unused and zero). The family is the kernel's af: for a fwmark
// service it says which packets the mark matches.
struct ServiceKey {
    Family family = Family::inet;
    std::uint32_t fwmark = 0;
    Protocol protocol = Protocol::tcp;
    IpAddress address;
    std::uint16_t port = 0;

    static ServiceKey for_address(Protocol protocol, const IpAddress& address, std::uint16_t port);
    static ServiceKey for_fwmark(Family family, std::uint32_t fwmark);
    bool is_fwmark() const { return fwmark != 0; }
    // "TCP  192.0.2.10:80", "FWM  7 IPv6" (ipvsadm's spelling).
    std::string to_string() const;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const ServiceKey&) const = default;
};

// Persistence: the kernel's IP_VS_SVC_F_PERSISTENT flag, timeout and netmask.
struct Persistence {
    std::uint32_t timeout_s = 360;
    // IPv4: the netmask in host order (0xffffffff: per client address); IPv6: a prefix length.
    std::uint32_t netmask = 0xffffffffU;
    std::string engine;  // persistence engine ("sip"), empty: none
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const Persistence&) const = default;
};

// The kernel's forwarding methods (IP_VS_CONN_F_MASQ, _DROUTE, _TUNNEL).
enum class Forwarding : std::uint8_t { masq, droute, tunnel };
enum class TunnelType : std::uint8_t { ipip, gue, gre };
enum class TunnelChecksum : std::uint8_t { nocsum, csum, remcsum };

struct DestinationKey {
    IpAddress address;
    std::uint16_t port = 0;
    std::string to_string() const;  // "192.0.2.2:80", "[2001:db8::2]:80"
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const DestinationKey&) const = default;
};

struct Destination {
    Forwarding forwarding = Forwarding::masq;
    TunnelType tunnel_type = TunnelType::ipip;  // tunnel only
    std::uint16_t tunnel_port = 0;              // gue only
    TunnelChecksum tunnel_checksum = TunnelChecksum::nocsum;
    std::uint32_t weight = 1;       // 0: quiesced (inhibit_on_failure), kept for its connections
    std::uint32_t u_threshold = 0;  // 0: no limit
    std::uint32_t l_threshold = 0;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const Destination&) const = default;
};

struct Service {
    std::string scheduler = "wlc";
    // IP_VS_SVC_F_SCHED1..3: sh-fallback/sh-port and mh-fallback/mh-port are flags 1 and 2.
    bool sched_flag_1 = false;
    bool sched_flag_2 = false;
    bool sched_flag_3 = false;
    bool one_packet = false;  // ops
    std::optional<Persistence> persistence;
    std::map<DestinationKey, Destination> destinations;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const Service&) const = default;
};

// Every service vigil manages, with its destinations.
struct DesiredState {
    std::map<ServiceKey, Service> services;
    auto operator<=>(const DesiredState&) const = default;
};

// ipvsadm's names for the scheduler flags of `scheduler` ("sh-fallback,sh-port",
// "flag-1,flag-3"); empty when no flag is set.
std::string scheduler_flags(const Service& s);
std::string to_string(const Destination& d);
// A readable table close to `ipvsadm -Ln`, one service per block, destinations indented.
std::string to_string(const ServiceKey& key, const Service& s);
std::string to_string(const DesiredState& state);

}  // namespace vigil::ipvs
