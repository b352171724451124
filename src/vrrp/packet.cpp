#include "vrrp/packet.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "common/inet_checksum.h"

namespace vigil::vrrp {

namespace {

std::uint8_t u8(std::span<const std::byte> b, std::size_t i) {
    return static_cast<std::uint8_t>(b[i]);
}
std::uint16_t u16(std::span<const std::byte> b, std::size_t i) {
    return static_cast<std::uint16_t>((u8(b, i) << 8) | u8(b, i + 1));
}

std::size_t address_size(Family f) {
    return f == Family::inet ? 4 : 16;
}

// An address of `f` from its network-order bytes at b[at].
IpAddress read_address(std::span<const std::byte> b, std::size_t at, Family f) {
    std::array<std::uint8_t, 16> raw{};
    for (std::size_t k = 0; k < address_size(f); ++k) raw[k] = u8(b, at + k);
    if (f == Family::inet6) return IpAddress::v6(raw);
    return IpAddress::v4((std::uint32_t{raw[0]} << 24) | (std::uint32_t{raw[1]} << 16) |
                         (std::uint32_t{raw[2]} << 8) | raw[3]);
}

std::span<const std::byte> address_bytes(const IpAddress& a) {
    return std::as_bytes(std::span(a.bytes())).first(address_size(a.family()));
}

// RFC 5798 5.2.8: the checksum covers the pseudo-header of RFC 2460 8.1 (IPv6) or of
// RFC 768/793 (IPv4) and the whole VRRP message.
std::uint16_t checksum(std::span<const std::byte> vrrp, const IpAddress& src, const IpAddress& dst,
                       bool pseudo_header) {
    InetChecksum c;
    if (pseudo_header) {
        c.add(address_bytes(src));
        c.add(address_bytes(dst));
        if (src.is_v4()) {
            c.add_u16(ip_protocol);  // zero byte, protocol
            c.add_u16(static_cast<std::uint16_t>(vrrp.size()));
        } else {
            c.add_u32(static_cast<std::uint32_t>(vrrp.size()));
            c.add_u32(ip_protocol);  // three zero bytes, next header
        }
    }
    c.add(vrrp);
    return c.finish();
}

Reject reject(RejectReason r, std::string detail) {
    return Reject{r, std::move(detail)};
}

}  // namespace

std::string_view to_string(RejectReason r) {
    switch (r) {
        case RejectReason::too_short:
            return "too short";
        case RejectReason::bad_version:
            return "bad version";
        case RejectReason::bad_type:
            return "bad type";
        case RejectReason::bad_length:
            return "bad length";
        case RejectReason::bad_checksum:
            return "bad checksum";
        case RejectReason::bad_family:
            return "bad address family";
        case RejectReason::bad_auth_type:
            return "bad authentication type";
        case RejectReason::bad_ip_header:
            return "bad IP header";
    }
    return "?";
}

std::variant<Parsed, Reject> parse_advert(std::span<const std::byte> b, const RxMeta& meta) {
    if (b.size() < header_size)
        return reject(RejectReason::too_short,
                      fmt::format("{} bytes, the VRRP header alone is {}", b.size(), header_size));
    const unsigned version = u8(b, 0) >> 4;
    const unsigned type = u8(b, 0) & 0x0FU;
    if (version != 2 && version != 3)
        return reject(RejectReason::bad_version, fmt::format("version {}", version));
    if (type != 1) return reject(RejectReason::bad_type, fmt::format("type {}", type));
    const Family family = meta.source.family();
    if (meta.destination.family() != family)
        return reject(RejectReason::bad_family, "source and destination of different families");
    if (version == 2 && family == Family::inet6)
        return reject(RejectReason::bad_family, "VRRPv2 over IPv6 (RFC 5798 is IPv6's VRRP)");

    const std::size_t count = u8(b, 3);
    const std::size_t expected =
        header_size + count * address_size(family) + (version == 2 ? v2_auth_size : 0);
    if (b.size() != expected)
        return reject(RejectReason::bad_length,
                      fmt::format("{} bytes, but {} addresses make {}", b.size(), count, expected));

    Parsed p;
    if (version == 2) {
        if (checksum(b, meta.source, meta.destination, false) != 0)
            return reject(RejectReason::bad_checksum, fmt::format("checksum {:#06x}", u16(b, 6)));
    } else if (checksum(b, meta.source, meta.destination, true) == 0) {
        p.checksum_form = ChecksumForm::pseudo_header;
    } else if (family == Family::inet && checksum(b, meta.source, meta.destination, false) == 0) {
        p.checksum_form = ChecksumForm::plain;
    } else if (family == Family::inet && meta.group && meta.group->is_v4() &&
               checksum(b, meta.source, *meta.group, true) == 0) {
        p.checksum_form = ChecksumForm::group_destination;
    } else {
        return reject(RejectReason::bad_checksum, fmt::format("checksum {:#06x}", u16(b, 6)));
    }

    Advert& a = p.advert;
    a.version = static_cast<std::uint8_t>(version);
    a.vrid = u8(b, 1);
    a.priority = u8(b, 2);
    a.family = family;
    if (version == 2) {
        const unsigned auth = u8(b, 4);
        if (auth > 2) return reject(RejectReason::bad_auth_type, fmt::format("auth type {}", auth));
        a.auth_type = static_cast<AuthType>(auth);
        a.interval = std::chrono::seconds(u8(b, 5));
        for (std::size_t i = 0; i < v2_auth_size; ++i)
            a.auth_data[i] = u8(b, b.size() - v2_auth_size + i);
    } else {
        // RFC 5798 5.2.7: 12 bits of centiseconds; the 4 reserved bits are ignored.
        const unsigned centis = ((u8(b, 4) & 0x0FU) << 8) | u8(b, 5);
        a.interval = std::chrono::milliseconds(centis * 10);
    }
    a.addresses.reserve(count);
    const std::size_t asz = address_size(family);
    for (std::size_t i = 0; i < count; ++i)
        a.addresses.push_back(read_address(b, header_size + i * asz, family));
    return p;
}

std::size_t encoded_size(const Advert& a) {
    return header_size + a.addresses.size() * address_size(a.family) +
           (a.version == 2 ? v2_auth_size : 0);
}

std::size_t encode_advert(const Advert& a, const IpAddress& src, const IpAddress& dst,
                          std::span<std::byte> out, ChecksumForm form, const IpAddress& group) {
    // Adverts are built from validated configuration: violations are programming errors.
    assert(a.version == 2 || a.version == 3);
    assert(a.addresses.size() <= max_addresses);
    assert(src.family() == a.family && dst.family() == a.family);
    const std::size_t size = encoded_size(a);
    assert(out.size() >= size);
    const auto put = [&out](std::size_t i, unsigned v) { out[i] = std::byte(v & 0xFFU); };
    put(0, (unsigned{a.version} << 4) | 1U);
    put(1, a.vrid);
    put(2, a.priority);
    put(3, static_cast<unsigned>(a.addresses.size()));
    if (a.version == 2) {
        const auto secs = std::chrono::duration_cast<std::chrono::seconds>(a.interval).count();
        assert(secs >= 1 && secs <= 255);
        put(4, static_cast<unsigned>(a.auth_type));
        put(5, static_cast<unsigned>(secs));
    } else {
        const auto centis =
            std::chrono::duration_cast<std::chrono::milliseconds>(a.interval).count() / 10;
        assert(centis >= 0 && centis <= 0x0FFF);
        put(4, static_cast<unsigned>(centis >> 8) & 0x0FU);
        put(5, static_cast<unsigned>(centis));
    }
    put(6, 0);
    put(7, 0);
    std::size_t at = header_size;
    for (const auto& addr : a.addresses) {
        const auto bytes = address_bytes(addr);
        for (const auto byte : bytes) out[at++] = byte;
    }
    if (a.version == 2)
        for (const auto v : a.auth_data) out[at++] = std::byte(v);
    const bool pseudo = a.version == 3 && form != ChecksumForm::plain;
    const bool to_group = a.version == 3 && form == ChecksumForm::group_destination;
    assert(!to_group || group.family() == a.family);
    const std::uint16_t sum = checksum(out.first(size), src, to_group ? group : dst, pseudo);
    put(6, sum >> 8);
    put(7, sum);
    return size;
}

std::variant<Ipv4View, Reject> parse_ipv4(std::span<const std::byte> p) {
    if (p.size() < 20) return reject(RejectReason::bad_ip_header, "shorter than an IPv4 header");
    if ((u8(p, 0) >> 4) != 4) return reject(RejectReason::bad_ip_header, "not IPv4");
    const std::size_t ihl = std::size_t{u8(p, 0) & 0x0FU} * 4;
    const std::size_t total = u16(p, 2);
    if (ihl < 20 || ihl > total || total > p.size())
        return reject(RejectReason::bad_ip_header,
                      fmt::format("header length {} / total length {} / {} bytes received", ihl,
                                  total, p.size()));
    if ((u16(p, 6) & 0x3FFFU) != 0) return reject(RejectReason::bad_ip_header, "fragmented");
    Ipv4View v;
    v.ttl = u8(p, 8);
    v.protocol = u8(p, 9);
    v.source = read_address(p, 12, Family::inet);
    v.destination = read_address(p, 16, Family::inet);
    v.payload = p.subspan(ihl, total - ihl);
    return v;
}

std::size_t encode_ipv4_packet(std::span<const std::byte> payload, const Ipv4Header& h,
                               std::span<std::byte> out, std::uint8_t protocol) {
    assert(h.source.is_v4() && h.destination.is_v4());
    const std::size_t total = ipv4_header_size + payload.size();
    assert(out.size() >= total && total <= 0xFFFF);
    const auto put16 = [&out](std::size_t i, unsigned v) {
        out[i] = std::byte((v >> 8) & 0xFFU);
        out[i + 1] = std::byte(v & 0xFFU);
    };
    std::fill_n(out.begin(), ipv4_header_size, std::byte{0});
    out[0] = std::byte{0x45};
    out[1] = std::byte{h.tos};
    put16(2, static_cast<unsigned>(total));
    put16(4, h.id);
    out[8] = std::byte{h.ttl};
    out[9] = std::byte{protocol};
    const auto src = h.source.bytes();
    const auto dst = h.destination.bytes();
    for (std::size_t k = 0; k < 4; ++k) {
        out[12 + k] = std::byte{src[k]};
        out[16 + k] = std::byte{dst[k]};
    }
    InetChecksum c;
    c.add(out.first(ipv4_header_size));
    put16(10, c.finish());
    std::copy(payload.begin(), payload.end(), out.begin() + ipv4_header_size);
    return total;
}

}  // namespace vigil::vrrp
