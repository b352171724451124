// The VRRP advertisement codec (RFC 3768 for VRRPv2, RFC 5798 / RFC 9568 for VRRPv3), pure:
// bytes and receive metadata in, an Advert or a typed rejection out; an Advert in, bytes
// into the caller's buffer out. It never sees a socket or a msghdr.
//
// What is checked here is what the packet alone decides (RFC 5798 7.1 items that need no
// configuration): length, version, type, address count, checksum, family. What depends on
// the receiving instance (TTL 255, VRID, authentication, interval, addresses) is checked by
// the instance.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/ip_address.h"

namespace vigil::vrrp {

constexpr std::uint8_t ip_protocol = 112;  // IANA: VRRP
constexpr std::size_t header_size = 8;
constexpr std::size_t v2_auth_size = 8;
constexpr std::size_t max_addresses = 255;

enum class AuthType : std::uint8_t { none = 0, pass = 1, ah = 2 };

struct Advert {
    std::uint8_t version = 3;  // 2 or 3
    std::uint8_t vrid = 0;
    std::uint8_t priority = 100;
    // VRRPv2: whole seconds (1-255); VRRPv3: centiseconds (0-4095).
    std::chrono::microseconds interval{1'000'000};
    AuthType auth_type = AuthType::none;                 // VRRPv2 only
    std::array<std::uint8_t, v2_auth_size> auth_data{};  // VRRPv2 PASS: the password, 0-padded
    Family family = Family::inet;
    std::vector<IpAddress> addresses;

    bool operator==(const Advert&) const = default;
};

// How a VRRPv3 IPv4 advert's checksum was (or is to be) computed. RFC 5798 5.2.8 includes
// the IPv4 pseudo-header; some implementations do not (`plain`, accepted on receive). Before
// 1.3.6, keepalived's unicast adverts put the multicast group in the pseudo-header instead of
// the peer's address (`group_destination`, its old_unicast_checksum).
enum class ChecksumForm : std::uint8_t { pseudo_header, plain, group_destination };

struct RxMeta {
    IpAddress source;
    IpAddress destination;
    std::uint8_t ttl = 0;  // TTL or hop limit
    // A unicast instance's multicast group: an IPv4 VRRPv3 checksum computed with it as the
    // pseudo-header's destination is accepted too (keepalived's old unicast form).
    std::optional<IpAddress> group{};
};

enum class RejectReason : std::uint8_t {
    too_short,      // shorter than the VRRP header
    bad_version,    // not 2 or 3
    bad_type,       // not an advertisement (type 1)
    bad_length,     // length does not match the address count (and auth data for v2)
    bad_checksum,   // neither checksum form matches
    bad_family,     // VRRPv2 over IPv6, or metadata of mixed families
    bad_auth_type,  // VRRPv2 auth type not 0, 1 or 2
    bad_ip_header,  // the IPv4 header is malformed, truncated or fragmented
};
std::string_view to_string(RejectReason r);

struct Reject {
    RejectReason reason;
    std::string detail;
};

struct Parsed {
    Advert advert;
    ChecksumForm checksum_form = ChecksumForm::pseudo_header;
};

std::variant<Parsed, Reject> parse_advert(std::span<const std::byte> vrrp, const RxMeta& meta);

// The size of the encoded advert.
std::size_t encoded_size(const Advert& a);

// Encodes into `out` (at least encoded_size(a) bytes) and returns the size. `src` and `dst`
// are the IP addresses the packet will carry (the VRRPv3 checksum covers them); with
// ChecksumForm::group_destination the pseudo-header carries `group` instead of `dst`.
std::size_t encode_advert(const Advert& a, const IpAddress& src, const IpAddress& dst,
                          std::span<std::byte> out, ChecksumForm form = ChecksumForm::pseudo_header,
                          const IpAddress& group = {});

// An IPv4 packet as a raw IPPROTO_VRRP socket delivers it: header fields and the payload.
struct Ipv4View {
    IpAddress source;
    IpAddress destination;
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;
    std::span<const std::byte> payload;
};
// Splits an IPv4 packet; nullopt-like Reject when the header is malformed or truncated.
std::variant<Ipv4View, Reject> parse_ipv4(std::span<const std::byte> packet);

constexpr std::size_t ipv4_header_size = 20;

// The fields vigil chooses when it builds an IPv4 header itself (VRRP over IPv4 is sent with
// IP_HDRINCL so that the TTL, TOS and, for AH, the exact header are vigil's).
struct Ipv4Header {
    IpAddress source;
    IpAddress destination;
    std::uint16_t id = 0;
    std::uint8_t ttl = 255;
    std::uint8_t tos = 0xC0;  // IPTOS_PREC_INTERNETCONTROL, as keepalived sends
};

// Builds an IPv4 header (no options, checksum filled in) followed by `payload` into `out`
// (at least ipv4_header_size + payload.size() bytes) and returns the packet size.
std::size_t encode_ipv4_packet(std::span<const std::byte> payload, const Ipv4Header& h,
                               std::span<std::byte> out, std::uint8_t protocol = ip_protocol);

}  // namespace vigil::vrrp
