// The worker's pure receive and send paths: adverts built by one router are accepted by
// another; every malformed or foreign datagram is dropped and counted under its reason.
#include "vrrp/router.h"

#include <gtest/gtest.h>

#include "vrrp/ah.h"

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

InstanceSettings settings(std::uint8_t vrid, std::uint8_t priority, std::uint8_t version = 3,
                          AuthType auth = AuthType::none, const std::string& pw = "") {
    InstanceSettings s;
    s.name = "VI_" + std::to_string(vrid);
    s.identity = {"eth0", vrid, Family::inet, false};
    s.fsm.name = s.name;
    s.fsm.vrid = vrid;
    s.fsm.priority = priority;
    s.fsm.version = version;
    s.advertised = {ip("192.0.2.100")};
    s.send.multicast_group = ip("224.0.0.18");
    s.send.auth_type = auth;
    std::copy(pw.begin(), pw.end(), s.send.password.begin());
    s.send.password_size = pw.size();
    s.receive.version = version;
    s.receive.auth_type = auth;
    if (auth == AuthType::pass) s.receive.auth_data = s.send.password;
    s.receive.vips = s.advertised;
    return s;
}

struct Pair {
    Router a;
    Router b;
    RouterInstance* ia;
    RouterInstance* ib;
    Time now{};
    Pair(InstanceSettings sa, InstanceSettings sb) {
        ia = &a.add(std::make_unique<RouterInstance>(std::move(sa), 2, ip("192.0.2.1")));
        ib = &b.add(std::make_unique<RouterInstance>(std::move(sb), 2, ip("192.0.2.2")));
        (void)ia->fsm().start(now);
        (void)ib->fsm().start(now);
    }
    std::optional<Router::Delivery> a_to_b(std::uint8_t priority) {
        auto out = ia->build_adverts(priority);
        EXPECT_EQ(out.size(), 1U);
        return b.receive(2, Family::inet, out[0].bytes, {}, now);
    }
};

TEST(Router, AdvertRoundTripV3) {
    Pair p(settings(7, 150), settings(7, 100));
    auto out = p.ia->build_adverts(150);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].destination, ip("224.0.0.18"));
    EXPECT_EQ(static_cast<std::uint8_t>(out[0].bytes[8]), 255);  // TTL
    EXPECT_EQ(static_cast<std::uint8_t>(out[0].bytes[9]), ip_protocol);
    auto d = p.b.receive(2, Family::inet, out[0].bytes, {}, p.now);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->instance, p.ib);
    EXPECT_EQ(p.ib->fsm().counters().adverts_received, 1U);
    EXPECT_EQ(p.ib->master_address(), ip("192.0.2.1"));
    EXPECT_TRUE(p.ib->rx_errors().empty());
}

TEST(Router, PassAuthenticationMustMatch) {
    Pair good(settings(7, 150, 2, AuthType::pass, "secret"),
              settings(7, 100, 2, AuthType::pass, "secret"));
    EXPECT_TRUE(good.a_to_b(150));
    Pair bad(settings(7, 150, 2, AuthType::pass, "secret"),
             settings(7, 100, 2, AuthType::pass, "other"));
    EXPECT_FALSE(bad.a_to_b(150));
    EXPECT_EQ(bad.ib->rx_errors().at("auth_failure"), 1U);
    EXPECT_EQ(bad.ib->fsm().counters().adverts_received, 0U);
}

TEST(Router, AhRoundTripAndReplay) {
    Pair p(settings(9, 150, 2, AuthType::ah, "key"), settings(9, 100, 2, AuthType::ah, "key"));
    auto first = p.ia->build_adverts(150);
    ASSERT_EQ(static_cast<std::uint8_t>(first[0].bytes[9]), ip_protocol_ah);
    EXPECT_TRUE(p.b.receive(2, Family::inet, first[0].bytes, {}, p.now));
    EXPECT_TRUE(p.a_to_b(150));
    // The same packet again is a replay.
    EXPECT_FALSE(p.b.receive(2, Family::inet, first[0].bytes, {}, p.now));
    EXPECT_EQ(p.ib->rx_errors().at("ah_replay"), 1U);

    Pair wrong(settings(9, 150, 2, AuthType::ah, "key"), settings(9, 100, 2, AuthType::ah, "no"));
    EXPECT_FALSE(wrong.a_to_b(150));
    EXPECT_EQ(wrong.ib->rx_errors().at("auth_failure"), 1U);

    Pair mixed(settings(9, 150, 2, AuthType::pass, "key"),
               settings(9, 100, 2, AuthType::ah, "key"));
    EXPECT_FALSE(mixed.a_to_b(150));
    EXPECT_EQ(mixed.ib->rx_errors().at("auth_type_mismatch"), 1U);
}

TEST(Router, ErrorsAreCountedPerInstanceOrRouter) {
    Pair p(settings(7, 150), settings(7, 100));
    auto out = p.ia->build_adverts(150);
    auto bytes = out[0].bytes;
    // Bad VRRP checksum: attributed to the instance by its VRID.
    bytes[ipv4_header_size + 6] ^= std::byte{0xFF};
    EXPECT_FALSE(p.b.receive(2, Family::inet, bytes, {}, p.now));
    EXPECT_EQ(p.ib->rx_errors().at("bad_checksum"), 1U);
    // TTL 64 on a multicast advert.
    bytes = out[0].bytes;
    bytes[8] = std::byte{64};
    EXPECT_FALSE(p.b.receive(2, Family::inet, bytes, {}, p.now));
    EXPECT_EQ(p.ib->rx_errors().at("ttl"), 1U);
    // Another VRID: nobody's.
    Pair other(settings(8, 150), settings(7, 100));
    EXPECT_FALSE(other.a_to_b(150));
    EXPECT_EQ(other.b.unknown_vrid(), 1U);
    // Another interface: nobody's either.
    EXPECT_FALSE(p.b.receive(3, Family::inet, out[0].bytes, {}, p.now));
    EXPECT_EQ(p.b.unknown_vrid(), 1U);
    // A truncated IP header is the router's.
    EXPECT_FALSE(p.b.receive(2, Family::inet, std::span(out[0].bytes).first(10), {}, p.now));
    EXPECT_EQ(p.b.unattributed_errors().at("bad_ip_header"), 1U);
    EXPECT_EQ(p.ib->fsm().counters().adverts_received, 0U);
    EXPECT_EQ(p.ib->fsm().state(), State::backup);
}

TEST(Router, UnicastSendsToEachPeerWithItsTtl) {
    auto s = settings(7, 150);
    s.send.unicast_peers = {ip("192.0.2.2"), ip("192.0.2.3")};
    s.send.ttl = 64;
    RouterInstance ri(s, 2, ip("192.0.2.1"));
    auto out = ri.build_adverts(150);
    ASSERT_EQ(out.size(), 2U);
    EXPECT_EQ(out[1].destination, ip("192.0.2.3"));
    EXPECT_EQ(static_cast<std::uint8_t>(out[1].bytes[8]), 64);
    // IP ids differ between packets.
    EXPECT_NE(out[0].bytes[5], out[1].bytes[5]);
}

TEST(Router, Ipv6AdvertCarriesNoIpHeader) {
    InstanceSettings s = settings(7, 150);
    s.identity.family = Family::inet6;
    s.fsm.family = Family::inet6;
    s.advertised = {ip("2001:db8::100")};
    s.receive.vips = s.advertised;
    s.send.multicast_group = ip("ff02::12");
    Router b;
    auto& ib = b.add(std::make_unique<RouterInstance>(s, 2, ip("fe80::2")));
    (void)ib.fsm().start(Time{});
    RouterInstance a(s, 2, ip("fe80::1"));
    auto out = a.build_adverts(200);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].bytes.size(), header_size + 16);
    RxMeta meta{ip("fe80::1"), ip("ff02::12"), 255};
    EXPECT_TRUE(b.receive(2, Family::inet6, out[0].bytes, meta, Time{}));
    meta.ttl = 1;
    EXPECT_FALSE(b.receive(2, Family::inet6, out[0].bytes, meta, Time{}));
    EXPECT_EQ(ib.rx_errors().at("ttl"), 1U);
}

}  // namespace
}  // namespace vigil::vrrp
