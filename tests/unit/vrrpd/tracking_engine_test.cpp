// Tracking in the engine, on fakes and simulated time: scripts, interfaces, files and processes
// move the effective priority or put the instance in FAULT as keepalived 2.2.7 does; one run
// per script whatever the number of instances; a reload keeps every tracker's state.
#include "engine_fixture.h"

namespace vigil::vrrpd {
namespace {

using testing::EngineTest;
using testing::FakeTransport;
using testing::instance;
using testing::model;
using vrrp::State;
using namespace std::chrono_literals;

std::string script(const std::string& name, const std::string& extra = "") {
    return fmt::format("vrrp_script {} {{\n script /bin/true\n interval 1\n {}\n}}\n", name, extra);
}

class TrackingTest : public EngineTest {
  protected:
    // Answers every script run asked for so far with `r`.
    void answer(const std::string& name, ScriptResult r) {
        for (std::size_t k = answered_[name]; k < tracking_.runs.size(); ++k)
            if (tracking_.runs[k].first == name) engine().on_script_result(name, r, now_);
        answered_[name] = tracking_.runs.size();
    }
    std::uint8_t effective(const std::string& name) {
        for (const auto& i : engine().router().instances())
            if (i->name() == name) return i->fsm().config().priority;
        ADD_FAILURE() << "no instance " << name;
        return 0;
    }
    std::map<std::string, std::size_t> answered_;
};

TEST_F(TrackingTest, WeightedScriptMovesThePriorityAndTheMasterSaysSoAtOnce) {
    engine().start(
        *model(script("chk", "weight -20") + instance("VI_1", 51, 100, "track_script {\n chk\n }")),
        now_);
    ASSERT_EQ(tracking_.runs_of("chk"), 1U);  // run at once
    answer("chk", ScriptResult::success);
    run_for(4s);
    answer("chk", ScriptResult::success);
    ASSERT_EQ(state("VI_1"), State::master);
    EXPECT_EQ(effective("VI_1"), 100);
    transport_.sent.clear();
    // The service dies: 100 - 20, announced in an advert at once (not at the next interval).
    engine().on_script_result("chk", ScriptResult::failure, now_);
    EXPECT_EQ(effective("VI_1"), 80);
    EXPECT_EQ(transport_.priorities(), (std::vector<std::uint8_t>{80}));
    // It comes back.
    engine().on_script_result("chk", ScriptResult::success, now_);
    EXPECT_EQ(effective("VI_1"), 100);
    EXPECT_NE(log_text_.str().find("(VI_1) Changing effective priority from 100 to 80"),
              std::string::npos);
}

TEST_F(TrackingTest, WeightZeroScriptHoldsInFaultUntilItsFirstSuccess) {
    engine().start(*model(script("chk") + instance("VI_1", 51, 100, "track_script {\n chk\n }")),
                   now_);
    EXPECT_EQ(state("VI_1"), State::fault);
    answer("chk", ScriptResult::success);
    EXPECT_EQ(state("VI_1"), State::backup);
    run_for(4s);
    answer("chk", ScriptResult::success);
    ASSERT_EQ(state("VI_1"), State::master);
    transport_.sent.clear();
    // A failure (or a timeout) is FAULT; a master says goodbye with priority 0.
    engine().on_script_result("chk", ScriptResult::timed_out, now_);
    EXPECT_EQ(state("VI_1"), State::fault);
    EXPECT_EQ(transport_.priorities(), (std::vector<std::uint8_t>{0}));
    EXPECT_FALSE(nl_.has(2, "192.0.2.100"));
    EXPECT_EQ(observer_.changes.back().change.fault, vrrp::FaultSource::tracking);
}

TEST_F(TrackingTest, AScriptThatCannotRunTracksNothing) {
    engine().start(*model(script("chk") + instance("VI_1", 51, 100, "track_script {\n chk\n }")),
                   now_);
    answer("chk", ScriptResult::not_runnable);
    EXPECT_EQ(state("VI_1"), State::backup);  // keepalived drops it: no FAULT
}

TEST_F(TrackingTest, OneRunPerScriptWhateverTheNumberOfInstances) {
    std::string text = script("a") + script("b") + script("c");
    for (int k = 0; k < 1000; ++k)
        text +=
            instance(fmt::format("VI_{}", k), 1 + k % 255, 100, "track_script {\n a\n b\n c\n }",
                     fmt::format("198.51.{}.{}/32", 100 + k / 250, 1 + k % 250),
                     k % 4 == 0 ? "eth0" : fmt::format("eth{}", k % 4));
    for (int i = 1; i < 4; ++i) nl_.add_link(fmt::format("eth{}", i), 10 + i);
    engine().start(*model(text), now_);
    for (int s = 0; s < 10; ++s) {
        for (const char* n : {"a", "b", "c"}) answer(n, ScriptResult::success);
        run_for(1s);
    }
    for (const char* n : {"a", "b", "c"}) EXPECT_EQ(tracking_.runs_of(n), 11U) << n;
}

TEST_F(TrackingTest, AScriptStillRunningSkipsItsTurn) {
    engine().start(
        *model(script("chk", "weight 10") + instance("VI_1", 51, 100, "track_script {\n chk\n }")),
        now_);
    run_for(3500ms);  // never answered: runs 2, 3 and 4 are skipped
    EXPECT_EQ(tracking_.runs_of("chk"), 1U);
    answer("chk", ScriptResult::success);
    run_for(1s);
    EXPECT_EQ(tracking_.runs_of("chk"), 2U);
}

// A loop held up for 5 s (a storm of notify forks, a loaded machine) does not make up the
// missed runs: one run when it comes back, then one per interval again.
TEST_F(TrackingTest, MissedRunsAreNotMadeUp) {
    engine().start(
        *model(script("chk", "weight 10") + instance("VI_1", 51, 100, "track_script {\n chk\n }")),
        now_);
    answer("chk", ScriptResult::success);
    now_ += 5s;  // nothing ran meanwhile
    engine().on_timer(now_);
    EXPECT_EQ(tracking_.runs_of("chk"), 2U);
    answer("chk", ScriptResult::success);
    run_for(999ms);
    EXPECT_EQ(tracking_.runs_of("chk"), 2U);  // no burst of catch-up runs
    run_for(1ms);
    EXPECT_EQ(tracking_.runs_of("chk"), 3U);
}

TEST_F(TrackingTest, InterfacesWeightedOrFault) {
    nl_.add_link("eth1", 3);
    nl_.add_link("eth2", 4);
    engine().start(
        *model(instance("VI_1", 51, 100, "track_interface {\n eth1\n eth2 weight -30\n }")), now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    net::Link eth2{4, "eth2"};  // admin down
    engine().on_net_event(net::LinkEvent{eth2, false}, now_);
    EXPECT_EQ(effective("VI_1"), 70);
    // The dumps say why: SIGUSR1 (state) and SIGUSR2 (statistics).
    for (const auto& text : {engine().state_text(), engine().stats_text()}) {
        EXPECT_NE(text.find("  Priority: 100\n  Effective priority: 70\n"), std::string::npos)
            << text;
        EXPECT_NE(text.find("    interface eth2: FAILED, weight -30, contribution -30\n"),
                  std::string::npos)
            << text;
        EXPECT_NE(
            text.find("    interface eth1: OK, weight 0 (FAULT when failing), contribution 0\n"),
            std::string::npos)
            << text;
        EXPECT_NE(text.find("Track interface: eth2\n  Status: down\n"), std::string::npos) << text;
    }
    net::Link eth1{3, "eth1"};
    eth1.admin_up = true;  // up but no carrier: down for tracking (IFF_RUNNING missing)
    engine().on_net_event(net::LinkEvent{eth1, false}, now_);
    EXPECT_EQ(state("VI_1"), State::fault);
    eth1.oper_up = true;
    engine().on_net_event(net::LinkEvent{eth1, false}, now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    // Deleted: down at once.
    engine().on_net_event(net::LinkEvent{eth1, true}, now_);
    EXPECT_EQ(state("VI_1"), State::fault);
}

// linkbeat: a polled interface's link events do not count, its polls do. Only tracked
// interfaces are polled; the listed method is handed to the shell.
TEST_F(TrackingTest, LinkbeatPolledInterfacesFollowThePollsNotTheEvents) {
    nl_.add_link("eth1", 3);
    nl_.add_link("eth9", 9);
    const auto text = std::string("linkbeat_interfaces {\n eth1 ETHTOOL\n eth9\n}\n") +
                      instance("VI_1", 51, 100, "track_interface {\n eth1\n }");
    engine().start(*model(text), now_);
    ASSERT_EQ(tracking_.linkbeat.size(), 1U);  // eth9 is tracked by no one
    EXPECT_EQ(tracking_.linkbeat[0].interface, "eth1");
    EXPECT_EQ(tracking_.linkbeat[0].method, net::LinkbeatMethod::ethtool);
    run_for(4s);
    ASSERT_EQ(state("VI_1"), State::master);
    net::Link eth1{3, "eth1"};  // the event says down: ignored
    engine().on_net_event(net::LinkEvent{eth1, false}, now_);
    EXPECT_EQ(state("VI_1"), State::master);
    engine().on_linkbeat("eth1", false, now_);
    EXPECT_EQ(state("VI_1"), State::fault);
    engine().on_linkbeat("eth1", true, now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    // An interface nobody polls: linkbeat results are ignored.
    engine().on_linkbeat("eth9", false, now_);
    EXPECT_EQ(state("VI_1"), State::backup);
}

// linkbeat_use_polling (global_defs) polls each instance's own interface.
TEST_F(TrackingTest, LinkbeatUsePollingPollsTheInstancesInterfaces) {
    engine().start(*model(std::string("global_defs {\n linkbeat_use_polling\n}\n") +
                          instance("VI_1", 51, 100)),
                   now_);
    EXPECT_EQ(tracking_.linkbeat,
              (std::vector<LinkbeatDef>{{"eth0", net::LinkbeatMethod::automatic}}));
}

TEST_F(TrackingTest, OwnInterfaceWithDelaysAndDontTrackPrimary) {
    const auto text = std::string("interface_up_down_delays {\n eth0 2 0\n}\n") +
                      instance("VI_1", 51, 100) +
                      instance("VI_2", 52, 100, "dont_track_primary", "192.0.2.101/24");
    engine().start(*model(text), now_);
    net::Link down{2, "eth0"};
    down.admin_up = true;
    engine().on_net_event(net::LinkEvent{down, false}, now_);
    EXPECT_EQ(state("VI_1"), State::backup);  // the down delay runs
    run_for(2100ms);
    EXPECT_EQ(state("VI_1"), State::fault);
    run_for(2s);
    EXPECT_EQ(state("VI_2"), State::master);  // its own interface is not tracked
}

TEST_F(TrackingTest, TrackFileValues) {
    const auto text = std::string(
                          "track_file f1 {\n file /run/x/f1\n weight 10\n}\n"
                          "track_file f0 {\n file /run/x/f0\n weight 0\n init_file 0\n}\n") +
                      instance("VI_1", 51, 100, "track_file {\n f1\n f0\n }");
    engine().start(*model(text), now_);
    ASSERT_EQ(tracking_.files.size(), 2U);
    EXPECT_TRUE(tracking_.started);
    EXPECT_EQ(tracking_.files[0].name, "f0");
    EXPECT_EQ(tracking_.files[0].init_value, 0);
    engine().on_file_content("f1", std::string("3\n"), now_);
    EXPECT_EQ(effective("VI_1"), 130);
    engine().on_file_content("f1", std::string("-30\n"), now_);  // -300: clamped to -254: FAULT
    EXPECT_EQ(state("VI_1"), State::fault);
    engine().on_file_content("f1", std::nullopt, now_);  // deleted: 0
    EXPECT_EQ(state("VI_1"), State::backup);
    EXPECT_EQ(effective("VI_1"), 100);
    engine().on_file_content("f0", std::string("1"), now_);
    EXPECT_EQ(state("VI_1"), State::fault);
}

TEST_F(TrackingTest, ProcessQuorum) {
    const auto text =
        std::string(
            "vrrp_track_process nginx {\n process nginx\n quorum 2\n weight 25\n}\n"
            "vrrp_track_process haproxy {\n process /usr/sbin/haproxy -f /etc/h.cfg\n}\n") +
        instance("VI_1", 51, 100, "track_process {\n nginx\n haproxy\n }");
    engine().start(*model(text), now_);
    ASSERT_EQ(tracking_.processes.size(), 2U);
    // Parameters mean the whole command line, matched exactly (keepalived).
    EXPECT_TRUE(tracking_.processes[0].full_command);
    EXPECT_EQ(tracking_.processes[0].param_match, config::ParamMatch::exact);
    // The default weight is 0 (keepalived 2.2.7; its man page says 1): haproxy missing = FAULT.
    EXPECT_EQ(state("VI_1"), State::fault);
    engine().on_process_count("haproxy", 1, vrrp::ProcessQuorum::Cause::scan, now_);
    EXPECT_EQ(state("VI_1"), State::backup);
    engine().on_process_count("nginx", 1, vrrp::ProcessQuorum::Cause::exec, now_);
    EXPECT_EQ(effective("VI_1"), 100);
    engine().on_process_count("nginx", 2, vrrp::ProcessQuorum::Cause::exec, now_);
    EXPECT_EQ(effective("VI_1"), 125);
}

TEST_F(TrackingTest, ReloadKeepsTrackerStatesWithoutFlapOrRunStorm) {
    const auto text =
        script("chk", "weight -20") + instance("VI_1", 51, 100, "track_script {\n chk\n }");
    engine().start(*model(text), now_);
    answer("chk", ScriptResult::failure);
    run_for(4s);
    answer("chk", ScriptResult::failure);
    ASSERT_EQ(state("VI_1"), State::master);
    EXPECT_EQ(effective("VI_1"), 80);
    const auto changes = observer_.changes.size();
    const auto runs = tracking_.runs.size();
    transport_.sent.clear();
    engine().reload(*model(text), now_);
    EXPECT_EQ(effective("VI_1"), 80);
    EXPECT_EQ(observer_.changes.size(), changes);
    EXPECT_EQ(tracking_.runs.size(), runs);  // no run of its own at the reload
    EXPECT_TRUE(transport_.sent.empty());
    // A changed definition keeps its result too.
    engine().reload(*model(script("chk", "weight -20\n rise 3") +
                           instance("VI_1", 51, 100, "track_script {\n chk\n }")),
                    now_);
    EXPECT_EQ(effective("VI_1"), 80);
    EXPECT_EQ(observer_.changes.size(), changes);
}

TEST_F(TrackingTest, AddressOwnerIgnoresWeights) {
    engine().start(*model(script("chk", "weight -50") + script("must") +
                          instance("VI_1", 51, 255, "track_script {\n chk\n must\n }")),
                   now_);
    answer("chk", ScriptResult::failure);
    answer("must", ScriptResult::success);
    EXPECT_EQ(state("VI_1"), State::master);
    EXPECT_EQ(effective("VI_1"), 255);  // its weighted tracker was dropped with a warning
    answer("must", ScriptResult::failure);
    run_for(1s);
    answer("must", ScriptResult::failure);
    EXPECT_EQ(state("VI_1"), State::fault);
}

TEST_F(TrackingTest, NotifyPriorityChanges) {
    engine().start(
        *model(script("chk", "weight 10") +
               instance("VI_1", 51, 100, "track_script {\n chk\n }\n notify_priority_changes")),
        now_);
    answer("chk", ScriptResult::success);
    ASSERT_EQ(observer_.priorities.size(), 1U);
    EXPECT_EQ(observer_.priorities[0].second, 110);
}

}  // namespace
}  // namespace vigil::vrrpd
