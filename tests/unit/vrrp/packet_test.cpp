// The VRRP codec against adverts captured from keepalived 2.2.7 (Debian) on a veth pair, and
// against every malformed shape.
#include "vrrp/packet.h"

#include <gtest/gtest.h>

#include <random>

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;

std::vector<std::byte> hex(std::string_view h) {
    std::vector<std::byte> out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(std::byte(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return out;
}

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

// keepalived 2.2.7: VRRPv2, VRID 51, priority 150, advert_int 1, auth PASS "secret12",
// VIPs 192.0.2.100 and .101; the whole IPv4 packet from 192.0.2.1 to 224.0.0.18.
const auto kV2Pass =
    hex("45c0002c00010000ff70188dc0000201e00000122133960201015580c0000264c00002657365637265743132");
// keepalived 2.2.7: VRRPv3, VRID 52, priority 200, advert_int 0.5, VIP 192.0.2.110.
const auto kV3v4 = hex("45c0002000010000ff701899c0000201e00000123134c8010032a198c000026e");
// keepalived 2.2.7: VRRPv3 over IPv6, VRID 53, priority 120, advert_int 1, VIPs fe80::53 and
// 2001:db8::53, from fe80::e0e3:83ff:fe6d:d146 to ff02::12 (the payload only: IPv6 raw
// sockets do not deliver the IPv6 header).
const auto kV3v6 =
    hex("313578020064f6bdfe80000000000000000000000000005320010db8000000000000000000000053");
const RxMeta kV6Meta{ip("fe80::e0e3:83ff:fe6d:d146"), ip("ff02::12"), 255};

Parsed parse_ok(std::span<const std::byte> vrrp, const RxMeta& meta) {
    auto r = parse_advert(vrrp, meta);
    if (auto* rej = std::get_if<Reject>(&r)) {
        ADD_FAILURE() << to_string(rej->reason) << ": " << rej->detail;
        return {};
    }
    return std::get<Parsed>(r);
}

Parsed parse_v4_packet(std::span<const std::byte> pkt) {
    const auto v = std::get<Ipv4View>(parse_ipv4(pkt));
    EXPECT_EQ(v.protocol, ip_protocol);
    EXPECT_EQ(v.ttl, 255);
    return parse_ok(v.payload, RxMeta{v.source, v.destination, v.ttl});
}

TEST(Packet, KeepalivedV2WithPassword) {
    const auto p = parse_v4_packet(kV2Pass);
    const Advert& a = p.advert;
    EXPECT_EQ(a.version, 2);
    EXPECT_EQ(a.vrid, 51);
    EXPECT_EQ(a.priority, 150);
    EXPECT_EQ(a.interval, 1s);
    EXPECT_EQ(a.auth_type, AuthType::pass);
    EXPECT_EQ(std::string(a.auth_data.begin(), a.auth_data.end()), "secret12");
    ASSERT_EQ(a.addresses.size(), 2U);
    EXPECT_EQ(a.addresses[0].to_string(), "192.0.2.100");
    EXPECT_EQ(a.addresses[1].to_string(), "192.0.2.101");
}

TEST(Packet, KeepalivedV3Ipv4UsesThePseudoHeader) {
    const auto p = parse_v4_packet(kV3v4);
    EXPECT_EQ(p.checksum_form, ChecksumForm::pseudo_header);
    EXPECT_EQ(p.advert.version, 3);
    EXPECT_EQ(p.advert.vrid, 52);
    EXPECT_EQ(p.advert.priority, 200);
    EXPECT_EQ(p.advert.interval, 500ms);
    ASSERT_EQ(p.advert.addresses.size(), 1U);
    EXPECT_EQ(p.advert.addresses[0].to_string(), "192.0.2.110");
}

TEST(Packet, KeepalivedV3Ipv6) {
    const auto p = parse_ok(kV3v6, kV6Meta);
    EXPECT_EQ(p.advert.family, Family::inet6);
    EXPECT_EQ(p.advert.vrid, 53);
    EXPECT_EQ(p.advert.priority, 120);
    EXPECT_EQ(p.advert.interval, 1s);
    ASSERT_EQ(p.advert.addresses.size(), 2U);
    EXPECT_EQ(p.advert.addresses[0].to_string(), "fe80::53");
    EXPECT_EQ(p.advert.addresses[1].to_string(), "2001:db8::53");
}

// Encoding what was parsed gives keepalived's bytes back, checksum included.
TEST(Packet, EncodesExactlyLikeKeepalived) {
    for (const auto& pkt : {kV2Pass, kV3v4}) {
        const auto v = std::get<Ipv4View>(parse_ipv4(pkt));
        const auto p = parse_ok(v.payload, RxMeta{v.source, v.destination, 255});
        std::vector<std::byte> out(encoded_size(p.advert));
        ASSERT_EQ(encode_advert(p.advert, v.source, v.destination, out), v.payload.size());
        EXPECT_TRUE(std::equal(out.begin(), out.end(), v.payload.begin(), v.payload.end()));
    }
    const auto p = parse_ok(kV3v6, kV6Meta);
    std::vector<std::byte> out(encoded_size(p.advert));
    encode_advert(p.advert, kV6Meta.source, kV6Meta.destination, out);
    EXPECT_EQ(out, kV3v6);
}

TEST(Packet, V3Ipv4PlainChecksumIsAcceptedAndReported) {
    Advert a;
    a.vrid = 7;
    a.addresses = {ip("192.0.2.7")};
    const auto src = ip("192.0.2.1");
    const auto dst = ip("224.0.0.18");
    std::vector<std::byte> out(encoded_size(a));
    encode_advert(a, src, dst, out, ChecksumForm::plain);
    const auto p = parse_ok(out, RxMeta{src, dst, 255});
    EXPECT_EQ(p.checksum_form, ChecksumForm::plain);
    EXPECT_EQ(p.advert, a);
}

TEST(Packet, RoundTripsRandomAdverts) {
    std::mt19937 rng(5);
    for (int i = 0; i < 2000; ++i) {
        Advert a;
        const bool v6 = rng() % 2 == 0;
        a.family = v6 ? Family::inet6 : Family::inet;
        a.version = v6 ? 3 : static_cast<std::uint8_t>(2 + rng() % 2);
        a.vrid = static_cast<std::uint8_t>(rng());
        a.priority = static_cast<std::uint8_t>(rng());
        if (a.version == 2) {
            a.interval = std::chrono::seconds(1 + rng() % 255);
            a.auth_type = static_cast<AuthType>(rng() % 3);
            for (auto& c : a.auth_data) c = static_cast<std::uint8_t>(rng());
        } else {
            a.interval = std::chrono::milliseconds(10 * (rng() % 4096));
        }
        const auto n = rng() % 20;
        for (std::size_t k = 0; k < n; ++k) {
            std::array<std::uint8_t, 16> raw{};
            for (auto& c : raw) c = static_cast<std::uint8_t>(rng());
            a.addresses.push_back(v6 ? IpAddress::v6(raw)
                                     : IpAddress::v4(static_cast<std::uint32_t>(rng())));
        }
        const auto src = v6 ? ip("fe80::1") : ip("192.0.2.1");
        const auto dst = v6 ? ip("ff02::12") : ip("224.0.0.18");
        std::vector<std::byte> out(encoded_size(a));
        encode_advert(a, src, dst, out);
        EXPECT_EQ(parse_ok(out, RxMeta{src, dst, 255}).advert, a) << i;
    }
}

struct Malformed {
    const char* name;
    std::function<void(std::vector<std::byte>&, RxMeta&)> mutate;
    RejectReason reason;
};

TEST(Packet, MalformedAdvertsAreRejectedWithAReason) {
    const auto v = std::get<Ipv4View>(parse_ipv4(kV2Pass));
    const std::vector<std::byte> good(v.payload.begin(), v.payload.end());
    const RxMeta meta{v.source, v.destination, 255};
    const std::vector<Malformed> cases = {
        {"empty", [](auto& b, auto&) { b.clear(); }, RejectReason::too_short},
        {"7 bytes", [](auto& b, auto&) { b.resize(7); }, RejectReason::too_short},
        {"version 1", [](auto& b, auto&) { b[0] = std::byte(0x11); }, RejectReason::bad_version},
        {"version 4", [](auto& b, auto&) { b[0] = std::byte(0x41); }, RejectReason::bad_version},
        {"type 2", [](auto& b, auto&) { b[0] = std::byte(0x22); }, RejectReason::bad_type},
        {"truncated", [](auto& b, auto&) { b.pop_back(); }, RejectReason::bad_length},
        {"trailing byte", [](auto& b, auto&) { b.push_back(std::byte(0)); },
         RejectReason::bad_length},
        {"count 255", [](auto& b, auto&) { b[3] = std::byte(0xFF); }, RejectReason::bad_length},
        {"count 0", [](auto& b, auto&) { b[3] = std::byte(0); }, RejectReason::bad_length},
        {"checksum", [](auto& b, auto&) { b[7] ^= std::byte(1); }, RejectReason::bad_checksum},
        {"flipped address", [](auto& b, auto&) { b[9] ^= std::byte(0x40); },
         RejectReason::bad_checksum},
        {"v2 over IPv6",
         [](auto&, auto& m) {
             m.source = *IpAddress::parse("fe80::1");
             m.destination = *IpAddress::parse("ff02::12");
         },
         RejectReason::bad_family},
        {"mixed families", [](auto&, auto& m) { m.destination = *IpAddress::parse("ff02::12"); },
         RejectReason::bad_family},
    };
    for (const auto& c : cases) {
        auto b = good;
        auto m = meta;
        c.mutate(b, m);
        const auto r = parse_advert(b, m);
        ASSERT_TRUE(std::holds_alternative<Reject>(r)) << c.name;
        EXPECT_EQ(std::get<Reject>(r).reason, c.reason)
            << c.name << ": " << std::get<Reject>(r).detail;
    }
}

TEST(Packet, BadAuthTypeWithAValidChecksum) {
    Advert a;
    a.version = 2;
    a.vrid = 1;
    a.addresses = {ip("192.0.2.9")};
    auto src = ip("192.0.2.1");
    auto dst = ip("224.0.0.18");
    std::vector<std::byte> out(encoded_size(a));
    encode_advert(a, src, dst, out);
    out[4] = std::byte(3);
    out[6] = out[7] = std::byte(0);
    // Recompute the checksum so that only the auth type is wrong.
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < out.size(); i += 2)
        sum += (std::uint32_t(out[i]) << 8) | std::uint32_t(out[i + 1]);
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    out[6] = std::byte((~sum >> 8) & 0xFF);
    out[7] = std::byte(~sum & 0xFF);
    const auto r = parse_advert(out, RxMeta{src, dst, 255});
    ASSERT_TRUE(std::holds_alternative<Reject>(r));
    EXPECT_EQ(std::get<Reject>(r).reason, RejectReason::bad_auth_type);
}

TEST(Packet, Ipv4HeaderChecks) {
    auto pkt = kV2Pass;
    EXPECT_TRUE(std::holds_alternative<Reject>(parse_ipv4(std::span(pkt).first(19))));
    pkt[3] = std::byte(0xFF);  // total length beyond what was received
    EXPECT_TRUE(std::holds_alternative<Reject>(parse_ipv4(pkt)));
    pkt = kV2Pass;
    pkt[6] = std::byte(0x20);  // more fragments
    EXPECT_TRUE(std::holds_alternative<Reject>(parse_ipv4(pkt)));
    pkt = kV2Pass;
    pkt[0] = std::byte(0x44);  // IHL 16 bytes
    EXPECT_TRUE(std::holds_alternative<Reject>(parse_ipv4(pkt)));
    pkt = kV2Pass;
    pkt.push_back(std::byte(0));  // Ethernet padding beyond the total length is ignored
    EXPECT_EQ(std::get<Ipv4View>(parse_ipv4(pkt)).payload.size(), 24U);
}

}  // namespace
}  // namespace vigil::vrrp
