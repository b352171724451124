// VRRPv2 IPsec Authentication Header (RFC 2402 as used by RFC 2338 / keepalived's auth_type
// AH): HMAC-MD5-96 over the IPv4 header, the AH header and the VRRP message. Pure: bytes in,
// bytes out; OpenSSL computes the HMAC.
//
// Matching keepalived 2.2.7 on the wire (verified against its packets): the SPI is the
// sender's IPv4 address, the key is the auth_pass (at most 8 bytes), and in the IPv4 header
// only TOS, the fragment field and the checksum are zeroed for the HMAC; the TTL is zeroed
// only for unicast adverts (RFC 2402 zeroes it always; multicast VRRP's TTL is always 255).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "vrrp/packet.h"

namespace vigil::vrrp {

constexpr std::uint8_t ip_protocol_ah = 51;
constexpr std::size_t ah_header_size = 24;  // next header .. sequence number + 96-bit ICV
constexpr std::size_t ah_icv_size = 12;

struct AhVerified {
    Ipv4View ip;  // the header fields; payload is the VRRP message
    std::uint32_t spi = 0;
    std::uint32_t sequence = 0;  // for the receiver's anti-replay check
};

// Checks an IPv4 packet carrying AH + VRRP with `password` (the configured auth_pass); the
// SPI must be the sender's address. `unicast`: the instance sends unicast adverts, whose TTL
// the ICV does not cover. Packets longer than a VRRPv2 advert can be are rejected before the
// HMAC is computed.
std::variant<AhVerified, Reject> verify_ah(std::span<const std::byte> packet,
                                           std::span<const std::uint8_t> password, bool unicast);

// Builds IPv4 header + AH + `vrrp` into `out` and returns the packet size.
std::size_t encode_ah_packet(std::span<const std::byte> vrrp, const Ipv4Header& h,
                             std::uint32_t sequence, std::span<const std::uint8_t> password,
                             bool unicast, std::span<std::byte> out);

}  // namespace vigil::vrrp
