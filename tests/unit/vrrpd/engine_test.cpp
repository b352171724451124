// The VRRP worker's engine on fakes and simulated time: the shell paths the network suite
// cannot reach reliably (reloads, re-binding, interface re-creation, addresses deleted behind
// its back, gratuitous ARP schedules), each a regression test for a defect found in review.
#include "engine_fixture.h"

namespace vigil::vrrpd {
namespace {

using testing::EngineTest;
using testing::instance;
using testing::ip;
using testing::model;
using vrrp::State;
using namespace std::chrono_literals;

TEST_F(EngineTest, ElectsItselfAndHoldsTheVips) {
    engine().start(*model(instance("VI_1", 51, 100)), now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    run_for(4s);
    EXPECT_EQ(state("VI_1"), State::master);
    EXPECT_TRUE(nl_.has(2, "192.0.2.100"));
    ASSERT_FALSE(transport_.sent.empty());
    EXPECT_EQ(transport_.sent.back().source, ip("192.0.2.1"));
    EXPECT_EQ(frames_.frames.size(), 5U);  // garp_master_repeat
    hear(51, 200);
    EXPECT_EQ(state("VI_1"), State::backup);
    EXPECT_FALSE(nl_.has(2, "192.0.2.100"));
}

// vrrp_startup_delay: nobody becomes master before the delay plus Master_Down_Interval.
TEST_F(EngineTest, StartupDelayPostponesTheElection) {
    engine().start(*model("global_defs {\n vrrp_startup_delay 2\n}\n" + instance("VI_1", 51, 100)),
                   now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    run_for(5s);  // 2 s + 3.61 s are not over
    EXPECT_EQ(state("VI_1"), State::backup);
    run_for(1s);
    EXPECT_EQ(state("VI_1"), State::master);
    EXPECT_NE(log_text_.str().find("delaying start-up for 2.000 s"), std::string::npos);
}

// keepalived's notify_master_rx_lower_pri: a master that hears a lower priority master (a
// split brain healing) tells, each time, with its own priority; a backup does not.
TEST_F(EngineTest, MasterHearingALowerPriorityMasterTells) {
    engine().start(*model(instance("VI_1", 51, 100)), now_);
    hear(51, 50);
    EXPECT_TRUE(observer_.lower_masters.empty());  // backup: not a master's event
    run_for(4s);
    ASSERT_EQ(state("VI_1"), State::master);
    hear(51, 50);
    hear(51, 50);
    ASSERT_EQ(observer_.lower_masters.size(), 2U);
    EXPECT_EQ(observer_.lower_masters[0], std::make_pair(std::string("VI_1"), std::uint8_t{100}));
    EXPECT_EQ(state("VI_1"), State::master);
}

// Review defect 1: from the second SIGHUP on, removing an instance or changing its interface or
// VRID read the freed configuration (the worker aborted and dropped every VIP). Under ASan
// this test reads no freed memory; in any build the survivors keep their state.
TEST_F(EngineTest, ThreeReloadsRemovingAndChangingInstances) {
    nl_.add_link("eth1", 3);
    nl_.add(3, "198.51.100.1/24");
    engine().start(
        *model(instance("VI_1", 51, 255) + instance("VI_2", 52, 255, "", "192.0.2.101/24") +
               instance("VI_3", 53, 255, "", "192.0.2.102/24")),
        now_);
    run_for(1s);
    for (int round = 0; round < 3; ++round) {
        // VI_2 removed, VI_3 moves to eth1 and another VRID, then both come back.
        engine().reload(*model(instance("VI_1", 51, 255) +
                               instance("VI_3", 63, 255, "", "198.51.100.102/24", "eth1")),
                        now_);
        run_for(1s);
        EXPECT_EQ(state("VI_1"), State::master) << round;
        EXPECT_FALSE(engine().state_of("VI_2")) << round;
        EXPECT_EQ(state("VI_3"), State::master) << round;
        EXPECT_FALSE(nl_.has(2, "192.0.2.101")) << round;
        EXPECT_FALSE(nl_.has(2, "192.0.2.102")) << round;
        EXPECT_TRUE(nl_.has(3, "198.51.100.102")) << round;
        engine().reload(
            *model(instance("VI_1", 51, 255) + instance("VI_2", 52, 255, "", "192.0.2.101/24") +
                   instance("VI_3", 53, 255, "", "192.0.2.102/24")),
            now_);
        run_for(1s);
        EXPECT_TRUE(nl_.has(2, "192.0.2.101")) << round;
        EXPECT_FALSE(nl_.has(3, "198.51.100.102")) << round;
    }
    // VI_1 never moved.
    EXPECT_EQ(observer_.states("VI_1"), (std::vector<State>{State::master}));
}

// An instance whose interface is missing is in FAULT by itself, binds when the interface
// appears, and an interface re-created takes fresh sockets (review defect 11: a socket pair
// leaked each time).
TEST_F(EngineTest, InterfaceAppearsAndIsRecreatedWithoutLeakingSockets) {
    engine().start(*model(instance("VI_1", 51, 100, "", "192.0.2.100/24", "eth9")), now_);
    EXPECT_EQ(state("VI_1"), State::fault);
    EXPECT_EQ(observer_.changes.front().change.fault, vrrp::FaultSource::unbound);
    auto& l = nl_.add_link("eth9", 9);
    nl_.add(9, "203.0.113.1/24");
    engine().on_net_event(net::LinkEvent{l, false}, now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    EXPECT_EQ(transport_.opened, 1);
    for (int k = 0; k < 5; ++k) {
        nl_.remove_link(9 + k);
        net::Link gone{9 + k, "eth9"};
        engine().on_net_event(net::LinkEvent{gone, true}, now_);
        EXPECT_EQ(state("VI_1"), State::fault);
        auto& again = nl_.add_link("eth9", 10 + k);
        nl_.add(10 + k, "203.0.113.1/24");
        engine().on_net_event(net::LinkEvent{again, false}, now_);
        EXPECT_EQ(state("VI_1"), State::backup);
    }
    EXPECT_EQ(transport_.opened - transport_.closed, 1);  // one socket open, the rest closed
}

// Review defect 8: a reload reset a master's gratuitous ARP schedule.
TEST_F(EngineTest, ReloadKeepsTheGratuitousArpSchedule) {
    const auto text = instance("VI_1", 51, 255, "garp_master_delay 5\n garp_master_refresh 20");
    engine().start(*model(text), now_);
    EXPECT_EQ(frames_.frames.size(), 5U);
    run_for(2s);
    engine().reload(*model(text), now_);
    run_until(vrrp::Time{} + 5s + 1ms);
    EXPECT_EQ(frames_.frames.size(), 10U);  // the second burst, still at 5 s
    run_until(vrrp::Time{} + 20s + 1ms);
    EXPECT_EQ(frames_.frames.size(), 11U);  // and the refresh
}

// Review defect 7: paced gratuitous ARPs kept leaving after the instance left MASTER.
TEST_F(EngineTest, PacedGratuitousArpsStopWhenMastershipEnds) {
    const auto text = "global_defs {\n vrrp_garp_interval 0.5\n}\n" +
                      instance("VI_1", 51, 100, "garp_master_repeat 10");
    engine().start(*model(text), now_);
    run_for(3700ms);
    ASSERT_EQ(state("VI_1"), State::master) << log_text_.str();
    const auto sent = frames_.frames.size();
    EXPECT_LT(sent, 10U);  // paced: the rest wait
    // The higher priority master goes on advertising: no more frames of ours, queued or not.
    for (int k = 0; k < 10; ++k) {
        hear(51, 200);
        ASSERT_EQ(state("VI_1"), State::backup);
        run_for(1s);
    }
    EXPECT_EQ(frames_.frames.size(), sent);
}

// Review defect 4 and keepalived 2.2.7 as measured: a VIP deleted behind a master's back makes
// it send priority 0, remove its VIPs and, unless another router takes over within Skew_Time,
// become master again and add them back. vigil never stays MASTER without its VIPs.
TEST_F(EngineTest, DeletedVipIsNoticedAndRestored) {
    engine().start(*model(instance("VI_1", 51, 100)), now_);
    run_for(4s);
    ASSERT_EQ(state("VI_1"), State::master);
    transport_.sent.clear();
    nl_.del(2, ip("192.0.2.100"));
    engine().on_net_event(net::AddressEvent{2, {*IpPrefix::parse("192.0.2.100/24")}, true}, now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    EXPECT_EQ(transport_.priorities(), (std::vector<std::uint8_t>{0}));
    run_for(700ms);  // Skew_Time at priority 100: 0.609 s
    EXPECT_EQ(state("VI_1"), State::master);
    EXPECT_TRUE(nl_.has(2, "192.0.2.100"));
}

// The deletion event of the instance's own removal, read only after it took the VIP again
// (a loaded machine): the VIP is there, nothing is lost.
TEST_F(EngineTest, AStaleDeletionEventOfAVipStillThereIsIgnored) {
    engine().start(*model(instance("VI_1", 51, 100)), now_);
    run_for(4s);
    ASSERT_EQ(state("VI_1"), State::master);
    ASSERT_TRUE(nl_.has(2, "192.0.2.100"));
    engine().on_net_event(net::AddressEvent{2, {*IpPrefix::parse("192.0.2.100/24")}, true}, now_);
    EXPECT_EQ(state("VI_1"), State::master);
    EXPECT_EQ(observer_.states("VI_1").size(), 2U);  // BACKUP, MASTER
}

TEST_F(EngineTest, DeletedRouteOrRuleIsNoticedAndRestored) {
    engine().start(*model(instance("VI_1", 51, 255,
                                   "virtual_routes {\n 198.51.100.0/24 via 192.0.2.254\n }\n"
                                   " virtual_rules {\n from 192.0.2.100 table 100\n }")),
                   now_);
    ASSERT_EQ(state("VI_1"), State::master);
    nl_.drop_routes();
    engine().on_net_event(net::RouteDeleted{Family::inet, 18}, now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    run_for(10ms);  // Skew_Time at priority 255: 1/256 s
    EXPECT_EQ(state("VI_1"), State::master);
    EXPECT_EQ(observer_.states("VI_1"),
              (std::vector<State>{State::master, State::backup, State::master}));
    EXPECT_EQ(nl_.route_count(), 1U);
    // A foreign route's deletion (another protocol) is not even looked at.
    const auto ops = nl_.ops.size();
    engine().on_net_event(net::RouteDeleted{Family::inet, 4}, now_);
    EXPECT_EQ(nl_.ops.size(), ops);
    nl_.drop_rules();
    engine().on_net_event(net::RuleDeleted{Family::inet}, now_);
    run_for(10ms);
    EXPECT_EQ(observer_.states("VI_1").size(), 5U);
}

// keepalived 2.2.7: its own (chosen) source address deleted puts it in FAULT; with another
// address on the interface it moves to that one instead.
TEST_F(EngineTest, SourceAddressDeleted) {
    engine().start(*model(instance("VI_1", 51, 100)), now_);
    run_for(4s);
    ASSERT_EQ(state("VI_1"), State::master);
    nl_.del(2, ip("192.0.2.1"));
    engine().on_net_event(net::AddressEvent{2, {*IpPrefix::parse("192.0.2.1/24")}, true}, now_);
    EXPECT_EQ(state("VI_1"), State::fault);
    nl_.add(2, "192.0.2.1/24");
    engine().on_net_event(net::AddressEvent{2, {*IpPrefix::parse("192.0.2.1/24")}, false}, now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    // Another address: it moves there, no FAULT.
    nl_.add(2, "203.0.113.1/24");
    nl_.del(2, ip("192.0.2.1"));
    engine().on_net_event(net::AddressEvent{2, {*IpPrefix::parse("192.0.2.1/24")}, true}, now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    run_for(4s);
    EXPECT_EQ(transport_.sent.back().source, ip("203.0.113.1"));
}

// Review defect 6: an IPv6 instance took another instance's link-local VIP as its source.
// The source is the interface's own link-local address, never a VIP and never tentative; a
// master whose adverts cannot be sent does not pretend.
TEST_F(EngineTest, Ipv6SourceIsTheInterfacesOwnLinkLocal) {
    nl_.del(2, ip("fe80::1"));
    nl_.add(2, "fe80::100/64");      // another instance's VIP, already up
    nl_.add(2, "fe80::5/64", true);  // tentative
    nl_.add(2, "fe80::1/64");
    const auto text = instance("VI_6", 60, 100, "", "fe80::100/64") +
                      instance("VI_7", 61, 100, "", "fe80::200/64");
    engine().start(*model(text), now_);
    run_for(4s);
    ASSERT_EQ(state("VI_7"), State::master);
    for (const auto& s : transport_.sent) EXPECT_EQ(s.source, ip("fe80::1"));
    // The link-local goes away: sends fail, and the instance goes to FAULT rather than stay
    // MASTER in name only.
    nl_.del(2, ip("fe80::1"));
    transport_.fail_sends = true;
    run_for(1s);
    EXPECT_EQ(state("VI_7"), State::fault);
}

// Review defect 10: -V sent priority 0 while keeping the VIPs.
TEST_F(EngineTest, DontReleaseSendsNothingAndKeepsTheVips) {
    release_ = false;
    engine().start(*model(instance("VI_1", 51, 255)), now_);
    transport_.sent.clear();
    engine().stop(now_);
    EXPECT_TRUE(transport_.sent.empty());
    EXPECT_TRUE(nl_.has(2, "192.0.2.100"));
    EXPECT_EQ(observer_.states("VI_1").back(), State::init);
}

TEST_F(EngineTest, StopReleases) {
    engine().start(*model(instance("VI_1", 51, 255)), now_);
    transport_.sent.clear();
    engine().stop(now_);
    EXPECT_EQ(transport_.priorities(), (std::vector<std::uint8_t>{0}));
    EXPECT_FALSE(nl_.has(2, "192.0.2.100"));
}

// Review defect 10: a reload that changes mcast_src_ip (unicast_src_ip) must apply it.
TEST_F(EngineTest, ReloadAppliesANewSourceAddress) {
    nl_.add(2, "192.0.2.7/24", false, true);
    engine().start(*model(instance("VI_1", 51, 255)), now_);
    EXPECT_EQ(transport_.sent.back().source, ip("192.0.2.1"));
    engine().reload(*model(instance("VI_1", 51, 255, "mcast_src_ip 192.0.2.7")), now_);
    run_for(1s);
    EXPECT_EQ(transport_.sent.back().source, ip("192.0.2.7"));
    EXPECT_EQ(observer_.states("VI_1"), (std::vector<State>{State::master}));
}

// Rejected adverts are logged with their reason and sender, at most one line per instance and
// reason every ten seconds.
TEST_F(EngineTest, RejectedAdvertsAreLoggedRateLimited) {
    engine().start(*model(instance("VI_1", 51, 100)), now_);
    for (int k = 0; k < 50; ++k) hear(51, 200, "192.0.2.2", "192.0.2.99");  // wrong VIP
    const auto text = log_text_.str();
    const auto count = [&](const std::string& needle) {
        std::size_t n = 0;
        for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(count("(VI_1) dropped an advert from 192.0.2.2: address_mismatch"), 1U);
    run_for(11s);
    hear(51, 200, "192.0.2.2", "192.0.2.99");
    EXPECT_NE(log_text_.str().find("(49 more since the last one logged)"), std::string::npos);
    const auto status = engine().status_json();
    EXPECT_NE(status.find("\"address_mismatch\":51"), std::string::npos) << status;
}

}  // namespace
}  // namespace vigil::vrrpd
