// One virtual server's desired IPVS state from its real servers' health: quorum with
// hysteresis, sorry server, inhibit_on_failure, dynamic weights, ha_suspend, groups, omega.
#include "check/virtual_server_state.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace vigil::check {
namespace {

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

config::RealServer rs(const char* addr, std::uint32_t weight, std::uint16_t port = 80) {
    config::RealServer r;
    r.address = ip(addr);
    r.port = port;
    r.weight = weight;
    return r;
}

config::VirtualServer vs_with(std::vector<config::RealServer> servers, std::uint32_t quorum = 1,
                              std::uint32_t hysteresis = 0) {
    config::VirtualServer v;
    v.kind = config::VirtualServer::Kind::address;
    v.address = ip("192.0.2.10");
    v.port = 80;
    v.protocol = config::LvsProtocol::tcp;
    v.lvs_sched = config::LvsScheduler::rr;
    v.quorum = quorum;
    v.hysteresis = hysteresis;
    v.real_servers = std::move(servers);
    return v;
}

std::vector<RealServerStatus> all_up(const config::VirtualServer& v) {
    std::vector<RealServerStatus> s;
    for (const auto& r : v.real_servers) s.push_back({true, r.weight});
    return s;
}

ipvs::DesiredState desired(const VirtualServerState& s) {
    ipvs::DesiredState d;
    s.add_desired(d);
    return d;
}

const ipvs::ServiceKey vip_key =
    ipvs::ServiceKey::for_address(ipvs::Protocol::tcp, *IpAddress::parse("192.0.2.10"), 80);

// Destinations of the one service: address -> weight.
std::map<std::string, std::uint32_t> dests(const VirtualServerState& s,
                                           const ipvs::ServiceKey& key = vip_key) {
    std::map<std::string, std::uint32_t> out;
    const auto d = desired(s);
    const auto it = d.services.find(key);
    if (it == d.services.end()) return out;
    for (const auto& [k, dest] : it->second.destinations) out[k.to_string()] = dest.weight;
    return out;
}

template <class T>
std::vector<T> of(const VsActions& actions) {
    std::vector<T> out;
    for (const auto& a : actions)
        if (const auto* x = std::get_if<T>(&a)) out.push_back(*x);
    return out;
}

TEST(VirtualServerState, AllUpAllPresent) {
    const auto v = vs_with({rs("198.51.100.1", 1), rs("198.51.100.2", 3)});
    VirtualServerState s(v, nullptr, all_up(v));
    EXPECT_TRUE(s.start().empty());
    EXPECT_TRUE(s.quorum_up());
    EXPECT_EQ(s.alive_weight(), 4);
    EXPECT_EQ(dests(s), (std::map<std::string, std::uint32_t>{{"198.51.100.1:80", 1},
                                                              {"198.51.100.2:80", 3}}));
    const auto d = desired(s);
    ASSERT_EQ(d.services.size(), 1U);
    EXPECT_EQ(d.services.begin()->second.scheduler, "rr");
}

TEST(VirtualServerState, DownServerRemovedOrInhibited) {
    auto v = vs_with({rs("198.51.100.1", 1), rs("198.51.100.2", 2)});
    v.real_servers[1].effective_inhibit_on_failure = true;
    VirtualServerState s(v, nullptr, all_up(v));
    (void)s.start();
    (void)s.set_real_server(0, {false, 1});
    (void)s.set_real_server(1, {false, 2});
    EXPECT_EQ(dests(s), (std::map<std::string, std::uint32_t>{{"198.51.100.2:80", 0}}));
    (void)s.set_real_server(1, {true, 2});
    EXPECT_EQ(dests(s), (std::map<std::string, std::uint32_t>{{"198.51.100.2:80", 2}}));
}

// (Inheritance from the virtual server is the configuration's: LvsChecker tests.)
TEST(VirtualServerState, InhibitedServerStartingDownIsInTheTable) {
    auto v = vs_with({rs("198.51.100.1", 1)});
    v.real_servers[0].effective_inhibit_on_failure = true;
    // alpha: starts down, and yet is in the table with weight 0, as keepalived adds it.
    VirtualServerState s(v, nullptr, {{false, 1}});
    (void)s.start();
    EXPECT_EQ(dests(s), (std::map<std::string, std::uint32_t>{{"198.51.100.1:80", 0}}));
}

// Alive weight steps for quorum 4, hysteresis 1: lost below 3 (or at 0), regained at 5.
struct QuorumStep {
    std::uint32_t alive;
    int expect;  // +1 gained, -1 lost, 0 nothing
};

TEST(VirtualServerState, QuorumWithHysteresisTable) {
    // One real server whose dynamic weight is the alive weight (0: down).
    const auto v = vs_with({rs("198.51.100.1", 6)}, 4, 1);
    VirtualServerState s(v, nullptr, all_up(v));
    EXPECT_TRUE(s.start().empty());
    const std::vector<QuorumStep> steps{{5, 0},  {4, 0},  {3, 0},  {2, -1}, {3, 0}, {4, 0},
                                        {3, 0},  {4, 0},  {5, +1}, {3, 0},  {4, 0}, {2, -1},
                                        {6, +1}, {0, -1}, {1, 0},  {5, +1}, {1, -1}};
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto alive = steps[i].alive;
        const auto q = of<QuorumChanged>(s.set_real_server(0, {alive > 0, alive}));
        if (steps[i].expect == 0) {
            EXPECT_TRUE(q.empty()) << "step " << i;
        } else {
            ASSERT_EQ(q.size(), 1U) << "step " << i;
            EXPECT_EQ(q[0].up, steps[i].expect > 0) << "step " << i;
            EXPECT_EQ(q[0].alive_weight, alive) << "step " << i;
        }
    }
}

TEST(VirtualServerState, QuorumLostAtZeroEvenWithALargeHysteresis) {
    const auto v = vs_with({rs("198.51.100.1", 1)}, 1, 5);
    VirtualServerState s(v, nullptr, all_up(v));
    (void)s.start();
    const auto q = of<QuorumChanged>(s.set_real_server(0, {false, 1}));
    ASSERT_EQ(q.size(), 1U);
    EXPECT_FALSE(q[0].up);
    EXPECT_NE(q[0].reason.find("lost quorum"), std::string::npos);
}

TEST(VirtualServerState, QuorumLostAtStartWithAlpha) {
    auto v = vs_with({rs("198.51.100.1", 1), rs("198.51.100.2", 1)});
    v.sorry_server = config::SorryServer{};
    v.sorry_server->address = ip("203.0.113.9");
    v.sorry_server->port = 8080;
    VirtualServerState s(v, nullptr, {{false, 1}, {false, 1}});
    const auto a = s.start();
    ASSERT_EQ(of<QuorumChanged>(a).size(), 1U);
    EXPECT_FALSE(s.quorum_up());
    EXPECT_TRUE(s.sorry_server_active());
    EXPECT_EQ(dests(s), (std::map<std::string, std::uint32_t>{{"203.0.113.9:8080", 1}}));
}

TEST(VirtualServerState, SorryServerReplacesTheRemainingServersWhileQuorumIsLost) {
    auto v = vs_with({rs("198.51.100.1", 2), rs("198.51.100.2", 2), rs("198.51.100.3", 2)}, 4, 1);
    v.sorry_server = config::SorryServer{};
    v.sorry_server->address = ip("203.0.113.9");  // no port: the service's
    VirtualServerState s(v, nullptr, all_up(v));
    (void)s.start();
    (void)s.set_real_server(0, {false, 2});  // 4: still >= 3
    EXPECT_FALSE(s.sorry_server_active());
    EXPECT_EQ(dests(s).size(), 2U);
    auto a = s.set_real_server(1, {false, 2});  // 2 < 3: lost
    ASSERT_EQ(of<SorryServerChanged>(a).size(), 1U);
    EXPECT_TRUE(of<SorryServerChanged>(a)[0].active);
    EXPECT_EQ(dests(s), (std::map<std::string, std::uint32_t>{{"203.0.113.9:80", 1}}));
    // Back to 4: inside the band, the sorry server stays.
    a = s.set_real_server(1, {true, 2});
    EXPECT_TRUE(a.empty());
    EXPECT_TRUE(s.sorry_server_active());
    // 6 >= 5: regained, the sorry server leaves, every server that is up comes back.
    a = s.set_real_server(0, {true, 2});
    ASSERT_EQ(of<SorryServerChanged>(a).size(), 1U);
    EXPECT_FALSE(of<SorryServerChanged>(a)[0].active);
    EXPECT_TRUE(of<QuorumChanged>(a).at(0).up);
    EXPECT_EQ(dests(s),
              (std::map<std::string, std::uint32_t>{
                  {"198.51.100.1:80", 2}, {"198.51.100.2:80", 2}, {"198.51.100.3:80", 2}}));
}

TEST(VirtualServerState, FlappingAroundTheThresholdDoesNotFlapTheSorryServer) {
    auto v = vs_with({rs("198.51.100.1", 3), rs("198.51.100.2", 1), rs("198.51.100.3", 1)}, 4, 1);
    v.sorry_server = config::SorryServer{};
    v.sorry_server->address = ip("203.0.113.9");
    VirtualServerState s(v, nullptr, all_up(v));
    (void)s.start();
    std::size_t sorry_changes = 0;
    // Server 2 flaps: alive weight 5 <-> 4, around quorum 4.
    for (int i = 0; i < 20; ++i) {
        sorry_changes += of<SorryServerChanged>(s.set_real_server(2, {i % 2 == 1, 1})).size();
        EXPECT_TRUE(s.quorum_up());
    }
    EXPECT_EQ(sorry_changes, 0U);
    // Without hysteresis the same flapping would cross quorum 5 each time.
    auto v0 = v;
    v0.quorum = 5;
    v0.hysteresis = 0;
    VirtualServerState s0(v0, nullptr, all_up(v0));
    (void)s0.start();
    for (int i = 0; i < 20; ++i)
        sorry_changes += of<SorryServerChanged>(s0.set_real_server(2, {i % 2 == 1, 1})).size();
    EXPECT_EQ(sorry_changes, 20U);
}

TEST(VirtualServerState, SorryServerInhibitKeepsItWithWeightZero) {
    auto v = vs_with({rs("198.51.100.1", 1)});
    v.sorry_server = config::SorryServer{};
    v.sorry_server->address = ip("203.0.113.9");
    v.sorry_server->port = 80;
    v.sorry_server->inhibit = true;
    VirtualServerState s(v, nullptr, all_up(v));
    (void)s.start();
    EXPECT_EQ(dests(s), (std::map<std::string, std::uint32_t>{{"198.51.100.1:80", 1},
                                                              {"203.0.113.9:80", 0}}));
    (void)s.set_real_server(0, {false, 1});
    EXPECT_EQ(dests(s), (std::map<std::string, std::uint32_t>{{"203.0.113.9:80", 1}}));
}

TEST(VirtualServerState, DynamicWeightsCountTowardsQuorum) {
    const auto v = vs_with({rs("198.51.100.1", 5)}, 3);
    VirtualServerState s(v, nullptr, all_up(v));
    (void)s.start();
    auto a = s.apply(0, {ServerWeightChanged{2}});
    ASSERT_EQ(of<QuorumChanged>(a).size(), 1U);
    EXPECT_EQ(dests(s), (std::map<std::string, std::uint32_t>{{"198.51.100.1:80", 2}}));
    a = s.apply(0, {ServerWeightChanged{3}});
    EXPECT_TRUE(of<QuorumChanged>(a).at(0).up);
    a = s.apply(0, {ServerDown{"x"}});
    EXPECT_FALSE(of<QuorumChanged>(a).at(0).up);
    EXPECT_TRUE(dests(s).empty());
}

TEST(VirtualServerState, HaSuspendFollowsTheVip) {
    auto v = vs_with({rs("198.51.100.1", 1)});
    v.ha_suspend = true;
    VirtualServerState s(v, nullptr, all_up(v));
    (void)s.start();
    EXPECT_TRUE(s.suspended());
    EXPECT_TRUE(desired(s).services.empty());
    s.set_local_address(ip("192.0.2.10"), true);
    EXPECT_FALSE(s.suspended());
    EXPECT_EQ(desired(s).services.size(), 1U);
    s.set_local_address(ip("192.0.2.11"), false);
    EXPECT_EQ(desired(s).services.size(), 1U);
    s.set_local_address(ip("192.0.2.10"), false);
    EXPECT_TRUE(desired(s).services.empty());

    // Without ha_suspend the address does not matter.
    v.ha_suspend = false;
    VirtualServerState always(v, nullptr, all_up(v));
    EXPECT_FALSE(always.suspended());
    EXPECT_EQ(desired(always).services.size(), 1U);
}

TEST(VirtualServerState, GroupExpandsRangesAndFwmarks) {
    config::VirtualServerGroup g;
    g.name = "web";
    g.ranges.push_back({{}, ip("192.0.2.1"), ip("192.0.2.3"), 80});
    g.ranges.push_back({{}, ip("2001:db8::fe"), ip("2001:db8::100"), 443});
    g.ranges.push_back({{}, ip("203.0.113.7"), ip("203.0.113.7"), 8080});
    g.fwmarks.push_back({{}, 7, std::nullopt});
    g.fwmarks.push_back({{}, 9, Family::inet6});
    auto v = vs_with({rs("198.51.100.1", 1, 0), rs("198.51.100.2", 2, 8000)});
    v.kind = config::VirtualServer::Kind::group;
    v.group = "web";
    v.ha_suspend = true;
    VirtualServerState s(v, &g, all_up(v));
    (void)s.start();
    ASSERT_EQ(s.service_keys().size(), 9U);
    // ha_suspend: only fwmark services until an address is local.
    EXPECT_EQ(desired(s).services.size(), 2U);
    EXPECT_FALSE(s.suspended());
    s.set_local_address(ip("192.0.2.2"), true);
    s.set_local_address(ip("2001:db8::ff"), true);
    const auto d = desired(s);
    ASSERT_EQ(d.services.size(), 4U);
    const auto tcp = ipvs::Protocol::tcp;
    EXPECT_TRUE(d.services.contains(ipvs::ServiceKey::for_address(tcp, ip("192.0.2.2"), 80)));
    EXPECT_TRUE(d.services.contains(ipvs::ServiceKey::for_address(tcp, ip("2001:db8::ff"), 443)));
    EXPECT_TRUE(d.services.contains(ipvs::ServiceKey::for_fwmark(Family::inet, 7)));
    EXPECT_TRUE(d.services.contains(ipvs::ServiceKey::for_fwmark(Family::inet6, 9)));
    // The same destinations everywhere; a real server without a port takes the service's.
    EXPECT_EQ(
        dests(s, ipvs::ServiceKey::for_address(tcp, ip("192.0.2.2"), 80)),
        (std::map<std::string, std::uint32_t>{{"198.51.100.1:80", 1}, {"198.51.100.2:8000", 2}}));
    EXPECT_EQ(
        dests(s, ipvs::ServiceKey::for_address(tcp, ip("2001:db8::ff"), 443)),
        (std::map<std::string, std::uint32_t>{{"198.51.100.1:443", 1}, {"198.51.100.2:8000", 2}}));
    EXPECT_EQ(
        dests(s, ipvs::ServiceKey::for_fwmark(Family::inet, 7)),
        (std::map<std::string, std::uint32_t>{{"198.51.100.1:0", 1}, {"198.51.100.2:8000", 2}}));
    // A health change reaches every service.
    (void)s.set_real_server(1, {false, 2});
    for (const auto& [key, service] : desired(s).services)
        EXPECT_EQ(service.destinations.size(), 1U) << key.to_string();
}

TEST(VirtualServerState, UnknownGroupHasNoService) {
    auto v = vs_with({rs("198.51.100.1", 1)});
    v.kind = config::VirtualServer::Kind::group;
    v.group = "missing";
    VirtualServerState s(v, nullptr, all_up(v));
    EXPECT_TRUE(desired(s).services.empty());
}

TEST(VirtualServerState, OmegaNotifiesDownAtShutdown) {
    auto v = vs_with({rs("198.51.100.1", 1), rs("198.51.100.2", 1), rs("198.51.100.3", 1)});
    v.omega = true;
    VirtualServerState s(v, nullptr, all_up(v));
    (void)s.start();
    (void)s.set_real_server(1, {false, 1});
    const auto a = s.shutdown();
    const auto notes = of<NotifyRealServerDown>(a);
    ASSERT_EQ(notes.size(), 2U);
    EXPECT_EQ(notes[0].real_server, 0U);
    EXPECT_EQ(notes[1].real_server, 2U);
    const auto q = of<QuorumChanged>(a);
    ASSERT_EQ(q.size(), 1U);
    EXPECT_FALSE(q[0].up);
    EXPECT_TRUE(desired(s).services.empty()) << "shutdown removes the service";
    EXPECT_TRUE(s.shutdown().empty()) << "only once";
    EXPECT_TRUE(s.set_real_server(0, {false, 1}).empty());
}

TEST(VirtualServerState, NoOmegaNoNotificationsAtShutdown) {
    const auto v = vs_with({rs("198.51.100.1", 1)});
    VirtualServerState s(v, nullptr, all_up(v));
    (void)s.start();
    EXPECT_TRUE(s.shutdown().empty());
    EXPECT_TRUE(desired(s).services.empty());
}

TEST(VirtualServerState, OmegaWithQuorumAlreadyLostNotifiesNoQuorumDown) {
    auto v = vs_with({rs("198.51.100.1", 1)});
    v.omega = true;
    VirtualServerState s(v, nullptr, {{false, 1}});
    (void)s.start();
    EXPECT_TRUE(s.shutdown().empty());
}

TEST(VirtualServerState, ServiceOptionsAndDestinationsInTheKernelsTerms) {
    auto v = vs_with({rs("198.51.100.1", 1), rs("2001:db8::5", 1)});
    v.lvs_sched = config::LvsScheduler::sh;
    v.sh_port = true;
    v.flag_3 = true;
    v.ops = true;
    v.protocol = config::LvsProtocol::udp;
    v.persistence_timeout = 600;
    v.persistence_granularity =
        config::PersistenceGranularity{Family::inet, ip("255.255.255.0"), 0};
    v.persistence_engine = "sip";
    v.real_servers[0].effective_lvs_method.kind = config::ForwardingMethod::Kind::dr;
    v.real_servers[0].uthreshold = 100;
    v.real_servers[0].lthreshold = 10;
    auto& tun = v.real_servers[1].effective_lvs_method;
    tun.kind = config::ForwardingMethod::Kind::tun;
    tun.tunnel = config::ForwardingMethod::Tunnel::gue;
    tun.tunnel_port = 6080;
    tun.checksum = config::ForwardingMethod::Checksum::remcsum;
    VirtualServerState s(v, nullptr, all_up(v));
    const auto d = desired(s);
    ASSERT_EQ(d.services.size(), 1U);
    const auto& [key, svc] = *d.services.begin();
    EXPECT_EQ(key.protocol, ipvs::Protocol::udp);
    EXPECT_EQ(svc.scheduler, "sh");
    EXPECT_FALSE(svc.sched_flag_1);
    EXPECT_TRUE(svc.sched_flag_2);
    EXPECT_TRUE(svc.sched_flag_3);
    EXPECT_EQ(ipvs::scheduler_flags(svc), "sh-port,flag-3");
    ASSERT_TRUE(svc.persistence);
    EXPECT_EQ(svc.persistence->timeout_s, 600U);
    EXPECT_EQ(svc.persistence->netmask, 0xffffff00U);
    EXPECT_EQ(
        ipvs::to_string(d),
        "UDP  192.0.2.10:80 sh (sh-port,flag-3) persistent 600 mask 255.255.255.0 pe sip ops\n"
        "  -> 198.51.100.1:80              Route weight 1 uthreshold 100 lthreshold 10\n"
        "  -> [2001:db8::5]:80             Tunnel type gue port 6080 remcsum weight 1\n");
}

TEST(DesiredState, MergesVirtualServersAndComparesByValue) {
    const auto a = vs_with({rs("198.51.100.1", 1)});
    auto b = vs_with({rs("198.51.100.2", 1)});
    b.kind = config::VirtualServer::Kind::fwmark;
    b.fwmark = 3;
    std::vector<VirtualServerState> all;
    all.emplace_back(a, nullptr, all_up(a));
    all.emplace_back(b, nullptr, all_up(b));
    const auto d1 = desired_state(all);
    ASSERT_EQ(d1.services.size(), 2U);
    EXPECT_EQ(d1, desired_state(all));
    (void)all[1].set_real_server(0, {true, 4});
    const auto d2 = desired_state(all);
    EXPECT_NE(d1, d2);
    EXPECT_EQ(d2.services.at(ipvs::ServiceKey::for_fwmark(Family::inet, 3))
                  .destinations.begin()
                  ->second.weight,
              4U);
    EXPECT_EQ(ipvs::to_string(d2),
              "TCP  192.0.2.10:80 rr\n"
              "  -> 198.51.100.1:80              Masq weight 1\n"
              "FWM  3 IPv4 rr\n"
              "  -> 198.51.100.2:80              Masq weight 4\n");
}

}  // namespace
}  // namespace vigil::check
