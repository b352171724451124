// Gratuitous ARP and unsolicited NA frames against those keepalived 2.2.7 (Debian) sent on a
// veth pair, from MAC 02:00:00:00:00:0a for VIPs 192.0.2.100 and 2001:db8::100.
#include "vrrp/gratuitous.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/inet_checksum.h"

namespace vigil::vrrp {
namespace {

std::vector<std::byte> hex(std::string_view h) {
    std::vector<std::byte> out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(std::byte(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return out;
}

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

const Mac kMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};

// A broadcast ARP request: sender and target IP the VIP, target MAC broadcast.
const auto kGarp =
    hex("ffffffffffff02000000000a0806"
        "000108000604000102000000000ac0000264ffffffffffffc0000264");
// Interface not forwarding: flags Override only. keepalived's IPv6 source is the VIP.
const auto kNa =
    hex("33330000000102000000000a86dd"
        "6000000000203aff20010db8000000000000000000000100ff020000000000000000000000000001"
        "8800f7232000000020010db8000000000000000000000100020102000000000a");
// net.ipv6.conf.IF.forwarding=1: flags Router and Override.
const auto kNaRouter =
    hex("33330000000102000000000a86dd"
        "6000000000203aff20010db8000000000000000000000100ff020000000000000000000000000001"
        "88007723a000000020010db8000000000000000000000100020102000000000a");

std::vector<std::byte> garp(const IpAddress& vip) {
    std::vector<std::byte> out(max_gratuitous_frame_size);
    out.resize(build_garp(out, kMac, vip));
    return out;
}

std::vector<std::byte> na(const IpAddress& src, const IpAddress& vip, bool router) {
    std::vector<std::byte> out(max_gratuitous_frame_size);
    out.resize(build_unsolicited_na(out, kMac, src, vip, router));
    return out;
}

TEST(Gratuitous, GarpMatchesKeepalived) {
    EXPECT_EQ(garp(ip("192.0.2.100")), kGarp);
    EXPECT_EQ(kGarp.size(), garp_frame_size);
}

TEST(Gratuitous, GarpCarriesTheVipTwiceAndTheMacAsSender) {
    const auto f = garp(ip("203.0.113.7"));
    const auto vip = hex("cb007107");
    EXPECT_TRUE(std::equal(vip.begin(), vip.end(), f.begin() + 28));  // sender IP
    EXPECT_TRUE(std::equal(vip.begin(), vip.end(), f.begin() + 38));  // target IP
    EXPECT_EQ(f[6], std::byte{0x02});                                 // Ethernet source
    EXPECT_EQ(f[22], std::byte{0x02});                                // ARP sender MAC
    EXPECT_EQ(f[27], std::byte{0x0a});
}

TEST(Gratuitous, GarpWritesOnlyItsFrame) {
    std::vector<std::byte> out(100, std::byte{0xEE});
    EXPECT_EQ(build_garp(out, kMac, ip("192.0.2.100")), garp_frame_size);
    for (std::size_t i = garp_frame_size; i < out.size(); ++i) EXPECT_EQ(out[i], std::byte{0xEE});
}

TEST(Gratuitous, NaMatchesKeepalivedWithTheVipAsSource) {
    EXPECT_EQ(na(ip("2001:db8::100"), ip("2001:db8::100"), false), kNa);
    EXPECT_EQ(kNa.size(), unsolicited_na_frame_size);
}

TEST(Gratuitous, NaWithRouterFlagMatchesKeepalivedOnAForwardingInterface) {
    EXPECT_EQ(na(ip("2001:db8::100"), ip("2001:db8::100"), true), kNaRouter);
}

// The ICMPv6 checksum over the pseudo-header comes out zero when recomputed with the
// checksum field included (RFC 1071).
bool icmpv6_checksum_ok(std::span<const std::byte> f) {
    InetChecksum c;
    c.add(f.subspan(22, 16));  // source
    c.add(f.subspan(38, 16));  // destination
    c.add_u32(static_cast<std::uint32_t>(f.size() - 54));
    c.add_u32(58);
    c.add(f.subspan(54));
    return c.finish() == 0;
}

TEST(Gratuitous, NaFromALinkLocalSource) {
    const auto f = na(ip("fe80::ff:fe00:a"), ip("2001:db8:1::53"), false);
    ASSERT_EQ(f.size(), unsolicited_na_frame_size);
    EXPECT_EQ(std::vector<std::byte>(f.begin(), f.begin() + 14),
              hex("33330000000102000000000a86dd"));
    EXPECT_EQ(std::vector<std::byte>(f.begin() + 14, f.begin() + 22), hex("6000000000203aff"));
    EXPECT_EQ(std::vector<std::byte>(f.begin() + 22, f.begin() + 38),
              hex("fe80000000000000000000fffe00000a"));
    EXPECT_EQ(std::vector<std::byte>(f.begin() + 38, f.begin() + 54),
              hex("ff020000000000000000000000000001"));
    EXPECT_EQ(f[54], std::byte{136});   // Neighbor Advertisement
    EXPECT_EQ(f[58], std::byte{0x20});  // Override, not Solicited, not Router
    EXPECT_EQ(std::vector<std::byte>(f.begin() + 62, f.begin() + 78),
              hex("20010db8000100000000000000000053"));
    EXPECT_EQ(std::vector<std::byte>(f.begin() + 78, f.end()), hex("020102000000000a"));
    EXPECT_TRUE(icmpv6_checksum_ok(f));
}

TEST(Gratuitous, NaChecksumsHoldForManyAddresses) {
    const IpAddress base = ip("2001:db8::");
    for (std::uint64_t i = 0; i < 300; ++i) {
        const auto f = na(ip("fe80::1"), base.offset(i * 7919), (i % 2) == 0);
        ASSERT_TRUE(icmpv6_checksum_ok(f)) << i;
    }
    EXPECT_TRUE(icmpv6_checksum_ok(kNa));
    EXPECT_TRUE(icmpv6_checksum_ok(kNaRouter));
}

}  // namespace
}  // namespace vigil::vrrp
