#include "vrrp/gratuitous.h"

#include <cassert>

#include "common/inet_checksum.h"

namespace vigil::vrrp {

namespace {

constexpr Mac broadcast_mac{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
// RFC 2464 7: IPv6 multicast ff02::1 maps to 33:33 followed by its last 32 bits.
constexpr Mac all_nodes_mac{0x33, 0x33, 0x00, 0x00, 0x00, 0x01};
constexpr std::array<std::uint8_t, 16> all_nodes_ip{0xFF, 0x02, 0, 0, 0, 0, 0, 0,
                                                    0,    0,    0, 0, 0, 0, 0, 1};

constexpr std::uint8_t icmpv6_next_header = 58;
constexpr std::uint8_t icmpv6_neighbour_advert = 136;
constexpr std::uint8_t na_flag_router = 0x80;    // RFC 4861 4.4
constexpr std::uint8_t na_flag_override = 0x20;  // RFC 4861 4.4
constexpr std::uint8_t option_target_ll = 2;     // RFC 4861 4.6.1
constexpr std::size_t icmpv6_na_size = 24 + 8;   // NA + target link-layer address option

// Writes big-endian fields one after the other into a span; the callers size the span.
class Writer {
  public:
    explicit Writer(std::span<std::byte> out) : out_(out) {}
    void u8(std::uint8_t v) { out_[at_++] = std::byte{v}; }
    void u16(std::uint16_t v) {
        u8(static_cast<std::uint8_t>(v >> 8));
        u8(static_cast<std::uint8_t>(v & 0xFF));
    }
    void u32(std::uint32_t v) {
        u16(static_cast<std::uint16_t>(v >> 16));
        u16(static_cast<std::uint16_t>(v & 0xFFFF));
    }
    template <std::size_t N>
    void bytes(const std::array<std::uint8_t, N>& b, std::size_t count = N) {
        for (std::size_t i = 0; i < count; ++i) u8(b[i]);
    }
    std::size_t size() const { return at_; }

  private:
    std::span<std::byte> out_;
    std::size_t at_ = 0;
};

void ethernet_header(Writer& w, const Mac& dst, const Mac& src, std::uint16_t ethertype) {
    w.bytes(dst);
    w.bytes(src);
    w.u16(ethertype);
}

}  // namespace

std::size_t build_garp(std::span<std::byte> out, const Mac& src_mac, const IpAddress& vip) {
    assert(vip.is_v4());
    assert(out.size() >= garp_frame_size);
    Writer w(out);
    ethernet_header(w, broadcast_mac, src_mac, ethertype_arp);
    // RFC 826 over Ethernet (RFC 5227 3 calls the sender = target form an ARP announcement).
    // keepalived sends a request, which every stack accepts, with a broadcast target MAC.
    w.u16(1);  // hardware type: Ethernet
    w.u16(0x0800);
    w.u8(6);   // hardware address length
    w.u8(4);   // protocol address length
    w.u16(1);  // opcode: request
    w.bytes(src_mac);
    w.bytes(vip.bytes(), 4);
    w.bytes(broadcast_mac);
    w.bytes(vip.bytes(), 4);
    assert(w.size() == garp_frame_size);
    return w.size();
}

std::size_t build_unsolicited_na(std::span<std::byte> out, const Mac& src_mac,
                                 const IpAddress& src_ip, const IpAddress& vip, bool router) {
    assert(vip.is_v6() && src_ip.is_v6());
    assert(out.size() >= unsolicited_na_frame_size);
    Writer w(out);
    ethernet_header(w, all_nodes_mac, src_mac, ethertype_ipv6);

    // IPv6 header. RFC 4861 7.1.2: receivers drop an NA whose hop limit is not 255.
    w.u32(0x60000000U);  // version 6, traffic class 0, flow label 0
    w.u16(static_cast<std::uint16_t>(icmpv6_na_size));
    w.u8(icmpv6_next_header);
    w.u8(255);
    w.bytes(src_ip.bytes());
    w.bytes(all_nodes_ip);

    // ICMPv6 NA (RFC 4861 4.4). Unsolicited: S clear (7.2.6); O set so that receivers
    // replace the MAC they cached for the VIP with ours.
    const std::size_t icmp_at = w.size();
    w.u8(icmpv6_neighbour_advert);
    w.u8(0);   // code
    w.u16(0);  // checksum, filled below
    w.u8(static_cast<std::uint8_t>(na_flag_override | (router ? na_flag_router : 0)));
    w.u8(0);  // reserved
    w.u16(0);
    w.bytes(vip.bytes());
    w.u8(option_target_ll);
    w.u8(1);  // option length in units of 8 bytes
    w.bytes(src_mac);
    assert(w.size() == unsolicited_na_frame_size);

    // RFC 4443 2.3: the checksum covers the RFC 8200 8.1 pseudo-header and the message.
    InetChecksum c;
    c.add(std::as_bytes(std::span(src_ip.bytes())));
    c.add(std::as_bytes(std::span(all_nodes_ip)));
    c.add_u32(static_cast<std::uint32_t>(icmpv6_na_size));
    c.add_u32(icmpv6_next_header);
    c.add(out.subspan(icmp_at, icmpv6_na_size));
    const std::uint16_t sum = c.finish();
    out[icmp_at + 2] = std::byte{static_cast<std::uint8_t>(sum >> 8)};
    out[icmp_at + 3] = std::byte{static_cast<std::uint8_t>(sum & 0xFF)};
    return w.size();
}

}  // namespace vigil::vrrp
