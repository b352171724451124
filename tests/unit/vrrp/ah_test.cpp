// VRRPv2 AH authentication against packets captured from keepalived 2.2.7 (auth_type AH,
// auth_pass secretAH, VRID 61, priority 150, VIP 192.0.2.120, from 192.0.2.1).
#include "vrrp/ah.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::vrrp {
namespace {

std::vector<std::byte> hex(std::string_view h) {
    std::vector<std::byte> out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(std::byte(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return out;
}

const auto kSeq1 =
    hex("45c0004000010000ff3318b6c0000201e000001270040000c000020100000001347d2550432a6c3caa7c1be7"
        "213d960102018447c00002780000000000000000");
const auto kSeq2 =
    hex("45c0004000020000ff3318b5c0000201e000001270040000c000020100000002bcbb0277ba72d0ec457523d6"
        "213d960102018447c00002780000000000000000");

const std::string kPassword = "secretAH";
std::span<const std::uint8_t> pw(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(Ah, VerifiesKeepalivedPackets) {
    for (const auto& [pkt, seq] : {std::pair{kSeq1, 1U}, std::pair{kSeq2, 2U}}) {
        const auto r = verify_ah(pkt, pw(kPassword), false);
        ASSERT_TRUE(std::holds_alternative<AhVerified>(r)) << std::get<Reject>(r).detail;
        const auto& v = std::get<AhVerified>(r);
        EXPECT_EQ(v.sequence, seq);
        EXPECT_EQ(v.spi, 0xC0000201U);
        // The VRRP message inside parses, with auth type AH.
        const auto p = parse_advert(v.ip.payload,
                                    RxMeta{v.ip.source, v.ip.destination, v.ip.ttl, std::nullopt});
        ASSERT_TRUE(std::holds_alternative<Parsed>(p));
        EXPECT_EQ(std::get<Parsed>(p).advert.auth_type, AuthType::ah);
        EXPECT_EQ(std::get<Parsed>(p).advert.vrid, 61);
    }
}

TEST(Ah, WrongPasswordOrTamperingFails) {
    EXPECT_TRUE(std::holds_alternative<Reject>(verify_ah(kSeq1, pw("secretAX"), false)));
    for (const std::size_t at : {std::size_t{4}, std::size_t{9 + 0}, std::size_t{31},
                                 std::size_t{47}, std::size_t{50}, std::size_t{63}}) {
        auto p = kSeq1;
        p[at] ^= std::byte{0x01};
        EXPECT_TRUE(std::holds_alternative<Reject>(verify_ah(p, pw(kPassword), false))) << at;
    }
    // TOS is mutable in transit and excluded from the ICV.
    auto tos = kSeq1;
    tos[1] = std::byte{0x00};
    tos[10] = std::byte{0};  // the IPv4 header checksum is not part of the ICV either
    EXPECT_TRUE(std::holds_alternative<AhVerified>(verify_ah(tos, pw(kPassword), false)));
    auto truncated = kSeq1;
    truncated.resize(40);
    truncated[3] = std::byte{40};
    EXPECT_TRUE(std::holds_alternative<Reject>(verify_ah(truncated, pw(kPassword), false)));
}

TEST(Ah, EncodesExactlyLikeKeepalived) {
    for (const auto& [pkt, seq] : {std::pair{kSeq1, 1U}, std::pair{kSeq2, 2U}}) {
        const auto vrrp = std::span(pkt).subspan(ipv4_header_size + ah_header_size);
        Ipv4Header h;
        h.source = *IpAddress::parse("192.0.2.1");
        h.destination = *IpAddress::parse("224.0.0.18");
        h.id = static_cast<std::uint16_t>(seq);
        std::vector<std::byte> out(pkt.size());
        ASSERT_EQ(encode_ah_packet(vrrp, h, seq, pw(kPassword), false, out), pkt.size());
        EXPECT_EQ(out, pkt);
    }
}

// keepalived 2.2.7 over unicast: the TTL, which changes when the advert is routed, is zeroed
// for the ICV (a multicast advert's TTL is always 255 and stays covered).
TEST(Ah, UnicastIcvIgnoresTheTtl) {
    const auto vrrp = std::span(kSeq1).subspan(ipv4_header_size + ah_header_size);
    Ipv4Header h;
    h.source = *IpAddress::parse("192.0.2.1");
    h.destination = *IpAddress::parse("192.0.2.2");
    h.ttl = 64;
    std::vector<std::byte> out(kSeq1.size());
    ASSERT_EQ(encode_ah_packet(vrrp, h, 7, pw(kPassword), true, out), kSeq1.size());
    EXPECT_TRUE(std::holds_alternative<AhVerified>(verify_ah(out, pw(kPassword), true)));
    auto routed = out;
    routed[8] = std::byte{60};  // four hops later
    EXPECT_TRUE(std::holds_alternative<AhVerified>(verify_ah(routed, pw(kPassword), true)));
    // The multicast form covers the TTL: the same packet does not verify as multicast.
    EXPECT_TRUE(std::holds_alternative<Reject>(verify_ah(routed, pw(kPassword), false)));
}

// The SPI is the sender's address (keepalived checks it); a mismatch is an authentication
// failure, and an oversized packet is refused before any HMAC is computed.
TEST(Ah, SpiMustBeTheSenderAndLengthIsBounded) {
    const auto vrrp = std::span(kSeq1).subspan(ipv4_header_size + ah_header_size);
    Ipv4Header h;
    h.source = *IpAddress::parse("192.0.2.9");  // the SPI written is this address...
    h.destination = *IpAddress::parse("224.0.0.18");
    std::vector<std::byte> out(kSeq1.size());
    ASSERT_EQ(encode_ah_packet(vrrp, h, 1, pw(kPassword), false, out), kSeq1.size());
    ASSERT_TRUE(std::holds_alternative<AhVerified>(verify_ah(out, pw(kPassword), false)));
    out[ipv4_header_size + 7] = std::byte{0x08};  // ...now it names 192.0.2.8
    EXPECT_TRUE(std::holds_alternative<Reject>(verify_ah(out, pw(kPassword), false)));

    std::vector<std::byte> big(ipv4_header_size + ah_header_size + 2000);
    std::copy(kSeq1.begin(), kSeq1.begin() + ipv4_header_size + ah_header_size, big.begin());
    big[2] = std::byte{static_cast<unsigned char>(big.size() >> 8)};
    big[3] = std::byte{static_cast<unsigned char>(big.size() & 0xFF)};
    const auto r = verify_ah(big, pw(kPassword), false);
    ASSERT_TRUE(std::holds_alternative<Reject>(r));
    EXPECT_EQ(std::get<Reject>(r).reason, RejectReason::bad_length);
}

}  // namespace
}  // namespace vigil::vrrp
