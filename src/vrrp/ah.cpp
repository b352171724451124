#include "vrrp/ah.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cassert>
#include <vector>

#include <fmt/format.h>

namespace vigil::vrrp {

namespace {

void put16(std::span<std::byte> b, std::size_t i, unsigned v) {
    b[i] = std::byte((v >> 8) & 0xFFU);
    b[i + 1] = std::byte(v & 0xFFU);
}
void put32(std::span<std::byte> b, std::size_t i, std::uint32_t v) {
    put16(b, i, v >> 16);
    put16(b, i + 2, v & 0xFFFFU);
}
std::uint32_t get32(std::span<const std::byte> b, std::size_t i) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<std::uint8_t>(b[i + k]);
    return v;
}

// The ICV over the packet as the HMAC sees it: mutable IPv4 fields and the ICV zeroed.
std::array<std::uint8_t, ah_icv_size> compute_icv(std::span<const std::byte> packet,
                                                  std::size_t ihl,
                                                  std::span<const std::uint8_t> password,
                                                  bool unicast) {
    std::vector<std::byte> m(packet.begin(), packet.end());
    m[1] = std::byte{0};               // TOS
    if (unicast) m[8] = std::byte{0};  // TTL: a routed unicast advert's changes on the way
    m[6] = m[7] = std::byte{0};        // flags and fragment offset
    m[10] = m[11] = std::byte{0};      // header checksum
    std::fill(m.begin() + static_cast<std::ptrdiff_t>(ihl + 12),
              m.begin() + static_cast<std::ptrdiff_t>(ihl + ah_header_size), std::byte{0});
    const std::size_t key_len = std::min<std::size_t>(password.size(), v2_auth_size);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_md5(), password.data(), static_cast<int>(key_len),
         reinterpret_cast<const unsigned char*>(m.data()), m.size(), digest, &len);
    std::array<std::uint8_t, ah_icv_size> icv{};
    std::copy_n(digest, ah_icv_size, icv.begin());
    return icv;
}

}  // namespace

std::variant<AhVerified, Reject> verify_ah(std::span<const std::byte> packet,
                                           std::span<const std::uint8_t> password, bool unicast) {
    auto ip = parse_ipv4(packet);
    if (auto* r = std::get_if<Reject>(&ip)) return *r;
    Ipv4View v = std::get<Ipv4View>(ip);
    if (v.protocol != ip_protocol_ah)
        return Reject{RejectReason::bad_auth_type, "not an AH packet"};
    const auto ah = v.payload;
    if (ah.size() < ah_header_size)
        return Reject{RejectReason::too_short, "shorter than the AH header"};
    // RFC 2402 2.2: payload length is the AH length in 32-bit words minus 2.
    if (static_cast<std::uint8_t>(ah[0]) != ip_protocol ||
        static_cast<std::uint8_t>(ah[1]) != ah_header_size / 4 - 2)
        return Reject{RejectReason::bad_length, "not a 96-bit-ICV AH header carrying VRRP"};
    // The longest VRRPv2 advert: 255 addresses and the authentication data.
    if (ah.size() > ah_header_size + header_size + max_addresses * 4 + v2_auth_size)
        return Reject{RejectReason::bad_length, "longer than any VRRPv2 advert"};
    const std::size_t ihl = static_cast<std::size_t>(v.payload.data() - packet.data());
    const std::size_t total = ihl + v.payload.size();
    const auto expected = compute_icv(packet.first(total), ihl, password, unicast);
    // Compare in constant time: the ICV is a MAC.
    std::uint8_t diff = 0;
    for (std::size_t k = 0; k < ah_icv_size; ++k)
        diff |= static_cast<std::uint8_t>(static_cast<std::uint8_t>(ah[12 + k]) ^ expected[k]);
    if (diff != 0) return Reject{RejectReason::bad_checksum, "AH authentication failed"};
    AhVerified out;
    out.spi = get32(ah, 4);
    if (out.spi != v.source.v4_host_order())
        return Reject{RejectReason::bad_checksum, "AH SPI is not the sender's address"};
    out.sequence = get32(ah, 8);
    out.ip = v;
    out.ip.payload = ah.subspan(ah_header_size);
    return out;
}

std::size_t encode_ah_packet(std::span<const std::byte> vrrp, const Ipv4Header& h,
                             std::uint32_t sequence, std::span<const std::uint8_t> password,
                             bool unicast, std::span<std::byte> out) {
    std::vector<std::byte> payload(ah_header_size + vrrp.size(), std::byte{0});
    payload[0] = std::byte{ip_protocol};
    payload[1] = std::byte{ah_header_size / 4 - 2};
    put32(payload, 4, h.source.v4_host_order());  // SPI: the sender's address, as keepalived
    put32(payload, 8, sequence);
    std::copy(vrrp.begin(), vrrp.end(), payload.begin() + ah_header_size);
    const std::size_t total = encode_ipv4_packet(payload, h, out, ip_protocol_ah);
    const auto pkt = out.first(total);
    // The header checksum is zeroed inside the ICV computation, so filling the ICV after the
    // header was built keeps both right.
    const auto icv = compute_icv(pkt, ipv4_header_size, password, unicast);
    for (std::size_t k = 0; k < ah_icv_size; ++k)
        pkt[ipv4_header_size + 12 + k] = std::byte{icv[k]};
    return total;
}

}  // namespace vigil::vrrp
