// The worker's pure receive and send paths: adverts built by one router are accepted by
// another; every malformed or foreign datagram is dropped, counted under its reason and
// reported with its sender; AH sequence numbers as keepalived keeps them.
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

Binding bound(const char* source, int ifindex = 2) {
    return Binding{ifindex, ip(source)};
}

bool delivered(const Router::Reception& r) {
    return std::holds_alternative<Router::Delivered>(r);
}

RxReject reason(const Router::Reception& r) {
    return std::get<Router::Rejected>(r).reason;
}

struct Pair {
    Router a;
    Router b;
    RouterInstance* ia;
    RouterInstance* ib;
    Time now{};
    Pair(InstanceSettings sa, InstanceSettings sb) {
        ia = &a.add(std::make_unique<RouterInstance>(std::move(sa), bound("192.0.2.1")));
        ib = &b.add(std::make_unique<RouterInstance>(std::move(sb), bound("192.0.2.2")));
        (void)ia->start(now);
        (void)ib->start(now);
    }
    Router::Reception a_to_b(std::uint8_t priority) {
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
    ASSERT_TRUE(delivered(d));
    EXPECT_EQ(std::get<Router::Delivered>(d).instance, p.ib);
    EXPECT_EQ(p.ib->fsm().counters().adverts_received, 1U);
    EXPECT_EQ(p.ib->master_address(), ip("192.0.2.1"));
    EXPECT_TRUE(p.ib->rx_errors().empty());
}

TEST(Router, PassAuthenticationMustMatch) {
    Pair good(settings(7, 150, 2, AuthType::pass, "secret"),
              settings(7, 100, 2, AuthType::pass, "secret"));
    EXPECT_TRUE(delivered(good.a_to_b(150)));
    Pair bad(settings(7, 150, 2, AuthType::pass, "secret"),
             settings(7, 100, 2, AuthType::pass, "other"));
    const auto r = bad.a_to_b(150);
    ASSERT_FALSE(delivered(r));
    EXPECT_EQ(reason(r), RxReject::auth_failure);
    EXPECT_EQ(std::get<Router::Rejected>(r).sender, ip("192.0.2.1"));
    EXPECT_EQ(bad.ib->rx_errors()[RxReject::auth_failure], 1U);
    EXPECT_EQ(bad.ib->fsm().counters().adverts_received, 0U);
}

TEST(Router, AhRoundTripAndReplay) {
    Pair p(settings(9, 150, 2, AuthType::ah, "key"), settings(9, 100, 2, AuthType::ah, "key"));
    auto first = p.ia->build_adverts(150);
    ASSERT_EQ(static_cast<std::uint8_t>(first[0].bytes[9]), ip_protocol_ah);
    EXPECT_TRUE(delivered(p.b.receive(2, Family::inet, first[0].bytes, {}, p.now)));
    EXPECT_TRUE(delivered(p.a_to_b(150)));
    // The same packet again is a replay.
    EXPECT_EQ(reason(p.b.receive(2, Family::inet, first[0].bytes, {}, p.now)), RxReject::ah_replay);
    EXPECT_EQ(p.ib->rx_errors()[RxReject::ah_replay], 1U);

    Pair wrong(settings(9, 150, 2, AuthType::ah, "key"), settings(9, 100, 2, AuthType::ah, "no"));
    EXPECT_EQ(reason(wrong.a_to_b(150)), RxReject::auth_failure);

    Pair mixed(settings(9, 150, 2, AuthType::pass, "key"),
               settings(9, 100, 2, AuthType::ah, "key"));
    EXPECT_EQ(reason(mixed.a_to_b(150)), RxReject::auth_type_mismatch);
}

std::uint32_t ah_sequence(const Outbound& o) {
    std::uint32_t seq = 0;
    for (std::size_t k = 0; k < 4; ++k)
        seq = (seq << 8) | static_cast<std::uint8_t>(o.bytes[ipv4_header_size + 8 + k]);
    return seq;
}

// keepalived's AH sequence numbers: from 0, one per advert whatever the number of unicast
// peers (review defect: vigil advanced once per destination, from the wall clock).
TEST(Router, AhSequenceIsOnePerAdvertFromZero) {
    auto s = settings(9, 150, 2, AuthType::ah, "key");
    s.send.unicast_peers = {ip("192.0.2.2"), ip("192.0.2.3")};
    RouterInstance ri(s, bound("192.0.2.1"));
    auto out = ri.build_adverts(150);
    ASSERT_EQ(out.size(), 2U);
    EXPECT_EQ(ah_sequence(out[0]), 1U);
    EXPECT_EQ(ah_sequence(out[1]), 1U);
    out = ri.build_adverts(150);
    EXPECT_EQ(ah_sequence(out[0]), 2U);
}

// Review defect: a peer that restarted (its numbers from 0 again) was dropped as a replay for
// as long as it had run. The replay window is per sender, and our own counter rises to what
// we hear, so that a restarted peer that hears us sends numbers above ours.
TEST(Router, AhReplayWindowIsPerSenderAndARestartedPeerCatchesUp) {
    auto s = settings(9, 100, 2, AuthType::ah, "key");
    Router b;
    auto& ib = b.add(std::make_unique<RouterInstance>(s, bound("192.0.2.2")));
    (void)ib.start(Time{});
    // Peer .1 has sent 50 adverts; peer .3 (a third router) starts from 1: not a replay.
    auto s1 = settings(9, 150, 2, AuthType::ah, "key");
    RouterInstance peer1(s1, bound("192.0.2.1"));
    for (int k = 0; k < 49; ++k) (void)peer1.build_adverts(150);
    EXPECT_TRUE(delivered(b.receive(2, Family::inet, peer1.build_adverts(150)[0].bytes, {}, {})));
    RouterInstance peer3(s1, bound("192.0.2.3"));
    EXPECT_TRUE(delivered(b.receive(2, Family::inet, peer3.build_adverts(150)[0].bytes, {}, {})));
    // Peer .1 restarts: its first numbers are replays for us, as for keepalived...
    RouterInstance restarted(s1, bound("192.0.2.1"));
    EXPECT_EQ(reason(b.receive(2, Family::inet, restarted.build_adverts(150)[0].bytes, {}, {})),
              RxReject::ah_replay);
    // ...until it hears our adverts (number 51 onwards, above everything we heard) and sends
    // above them.
    Router restarted_router;
    auto& r = restarted_router.add(std::make_unique<RouterInstance>(s1, bound("192.0.2.1")));
    (void)r.start(Time{});
    const auto ours = ib.build_adverts(100);
    EXPECT_EQ(ah_sequence(ours[0]), 51U);
    EXPECT_TRUE(delivered(restarted_router.receive(2, Family::inet, ours[0].bytes, {}, {})));
    EXPECT_TRUE(delivered(b.receive(2, Family::inet, r.build_adverts(150)[0].bytes, {}, {})));
}

// keepalived zeroes the TTL in the ICV of unicast AH adverts (review defect: two masters).
TEST(Router, UnicastAhSurvivesARoutedTtl) {
    auto s = settings(9, 150, 2, AuthType::ah, "key");
    s.send.unicast_peers = {ip("192.0.2.2")};
    s.send.ttl = 64;
    auto r = settings(9, 100, 2, AuthType::ah, "key");
    r.send.unicast_peers = {ip("192.0.2.1")};
    r.receive.unicast = true;
    r.receive.peers = {{ip("192.0.2.1"), std::nullopt, std::nullopt}};
    Pair p(s, r);
    auto out = p.ia->build_adverts(150);
    out[0].bytes[8] = std::byte{61};  // three hops on the way
    EXPECT_TRUE(delivered(p.b.receive(2, Family::inet, out[0].bytes, {}, p.now)));
}

// keepalived's old_unicast_checksum: the multicast group in the pseudo-header.
TEST(Router, OldUnicastChecksumIsKeepalivedsForm) {
    auto s = settings(7, 150);
    s.send.unicast_peers = {ip("192.0.2.2")};
    s.send.v3_ipv4_checksum = ChecksumForm::group_destination;
    RouterInstance ri(s, bound("192.0.2.1"));
    const auto out = ri.build_adverts(150);
    const auto vrrp = std::span(out[0].bytes).subspan(ipv4_header_size);
    // Not valid with the peer in the pseudo-header, valid with the group.
    RxMeta meta{ip("192.0.2.1"), ip("192.0.2.2"), 255, std::nullopt};
    ASSERT_TRUE(std::holds_alternative<Reject>(parse_advert(vrrp, meta)));
    meta.group = ip("224.0.0.18");
    const auto parsed = parse_advert(vrrp, meta);
    ASSERT_TRUE(std::holds_alternative<Parsed>(parsed));
    EXPECT_EQ(std::get<Parsed>(parsed).checksum_form, ChecksumForm::group_destination);
    // And a unicast receiver accepts it.
    auto r = settings(7, 100);
    r.send.unicast_peers = {ip("192.0.2.1")};
    r.receive.unicast = true;
    Router b;
    auto& ib = b.add(std::make_unique<RouterInstance>(r, bound("192.0.2.2")));
    (void)ib.start(Time{});
    EXPECT_TRUE(delivered(b.receive(2, Family::inet, out[0].bytes, {}, Time{})));
}

// An advert claiming our own address is forged or misrouted: dropped, never a master.
TEST(Router, AdvertFromOurOwnAddressIsDropped) {
    Pair p(settings(7, 150), settings(7, 150));
    Router forger;
    auto& f = forger.add(std::make_unique<RouterInstance>(settings(7, 150), bound("192.0.2.2")));
    const auto out = f.build_adverts(150);
    const auto r = p.b.receive(2, Family::inet, out[0].bytes, {}, p.now);
    EXPECT_EQ(reason(r), RxReject::own_address);
    EXPECT_EQ(p.ib->fsm().counters().adverts_received, 0U);
}

TEST(Router, ErrorsAreCountedPerInstanceOrRouter) {
    Pair p(settings(7, 150), settings(7, 100));
    auto out = p.ia->build_adverts(150);
    auto bytes = out[0].bytes;
    // Bad VRRP checksum: attributed to the instance by its VRID.
    bytes[ipv4_header_size + 6] ^= std::byte{0xFF};
    EXPECT_EQ(reason(p.b.receive(2, Family::inet, bytes, {}, p.now)), RxReject::bad_checksum);
    EXPECT_EQ(p.ib->rx_errors()[RxReject::bad_checksum], 1U);
    // TTL 64 on a multicast advert.
    bytes = out[0].bytes;
    bytes[8] = std::byte{64};
    EXPECT_EQ(reason(p.b.receive(2, Family::inet, bytes, {}, p.now)), RxReject::ttl);
    EXPECT_EQ(p.ib->rx_errors()[RxReject::ttl], 1U);
    // Another VRID: nobody's.
    Pair other(settings(8, 150), settings(7, 100));
    EXPECT_EQ(reason(other.a_to_b(150)), RxReject::unknown_vrid);
    EXPECT_EQ(other.b.unattributed_errors()[RxReject::unknown_vrid], 1U);
    // Another interface: nobody's either.
    EXPECT_FALSE(delivered(p.b.receive(3, Family::inet, out[0].bytes, {}, p.now)));
    EXPECT_EQ(p.b.unattributed_errors()[RxReject::unknown_vrid], 1U);
    // A truncated IP header is the router's.
    EXPECT_FALSE(
        delivered(p.b.receive(2, Family::inet, std::span(out[0].bytes).first(10), {}, p.now)));
    EXPECT_EQ(p.b.unattributed_errors()[RxReject::bad_ip_header], 1U);
    EXPECT_EQ(p.ib->fsm().counters().adverts_received, 0U);
    EXPECT_EQ(p.ib->fsm().state(), State::backup);
}

TEST(Router, UnicastSendsToEachPeerWithItsTtl) {
    auto s = settings(7, 150);
    s.send.unicast_peers = {ip("192.0.2.2"), ip("192.0.2.3")};
    s.send.ttl = 64;
    RouterInstance ri(s, bound("192.0.2.1"));
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
    auto& ib = b.add(std::make_unique<RouterInstance>(s, bound("fe80::2")));
    (void)ib.start(Time{});
    RouterInstance a(s, bound("fe80::1"));
    auto out = a.build_adverts(200);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].bytes.size(), header_size + 16);
    RxMeta meta{ip("fe80::1"), ip("ff02::12"), 255, std::nullopt};
    EXPECT_TRUE(delivered(b.receive(2, Family::inet6, out[0].bytes, meta, Time{})));
    meta.ttl = 1;
    EXPECT_EQ(reason(b.receive(2, Family::inet6, out[0].bytes, meta, Time{})), RxReject::ttl);
}

// The runtime: an unbound instance is in FAULT by itself and leaves it when bound; the
// gratuitous ARP schedule decides the rounds and survives a reload.
TEST(RouterInstance, UnboundStartsInFaultUntilBound) {
    Router r;
    auto& i = r.add(std::make_unique<RouterInstance>(settings(7, 150), std::nullopt));
    auto e = i.start(Time{});
    ASSERT_EQ(e.size(), 1U);
    EXPECT_EQ(std::get<StateChange>(e[0]).to, State::fault);
    EXPECT_EQ(std::get<StateChange>(e[0]).fault, FaultSource::unbound);
    r.bind(i, bound("192.0.2.1"));
    e = i.set_fault(FaultSource::unbound, false, Time{} + 1s);
    EXPECT_EQ(std::get<StateChange>(e[0]).to, State::backup);
    EXPECT_EQ(i.binding()->source, ip("192.0.2.1"));
}

std::uint32_t announced(const Effects& e) {
    std::uint32_t rounds = 0;
    for (const auto& x : e)
        if (const auto* a = std::get_if<Announce>(&x)) rounds += a->rounds;
    return rounds;
}

// Review defect: a reload reset a master's schedule (garp_master_refresh stopped).
TEST(RouterInstance, GratuitousArpScheduleSurvivesAReload) {
    auto s = settings(7, 255);
    s.garp.master_delay = 5s;
    s.garp.master_repeat = 5;
    s.garp.refresh = 10s;
    s.garp.refresh_repeat = 2;
    RouterInstance i(s, bound("192.0.2.1"));
    const Time t0{};
    EXPECT_EQ(announced(i.start(t0)), 5U);
    i.reconfigure(s, s.fsm.priority, t0 + 3s);       // an unchanged reload
    EXPECT_EQ(announced(i.on_timer(t0 + 5s)), 5U);   // the second burst is still due
    EXPECT_EQ(announced(i.on_timer(t0 + 10s)), 2U);  // and the refresh
    EXPECT_EQ(i.next_deadline(), t0 + 11s);          // the next advert comes first
}

}  // namespace
}  // namespace vigil::vrrp
