// PING_CHECK over a veth pair in a private network namespace: through a raw socket (the
// namespace's default ping_group_range refuses ping sockets) and through a ping socket.
#include "check/ping_probe.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "probe_support.h"

namespace vigil::check {
namespace {

using testing::enter_private_network;
using testing::run_probe;
using testing::target;
using testing::Timed;

namespace asio = boost::asio;
using namespace std::chrono_literals;

void set_ping_group_range(const char* range) {
    std::ofstream("/proc/sys/net/ipv4/ping_group_range") << range;
}

class PingProbeTest : public ::testing::TestWithParam<const char*> {
  protected:
    void SetUp() override {
        enter_private_network();
        set_ping_group_range(GetParam());
    }
    void TearDown() override { set_ping_group_range("1 0"); }
    asio::io_context ioc_;
};

TEST_P(PingProbeTest, AnsweringAddressesAreUp) {
    for (const char* a : {"192.0.2.2", "127.0.0.1", "2001:db8::2", "::1"}) {
        PingProbe p(target(a, 0, 1s));
        const auto o = run_probe(ioc_, p).outcome;
        EXPECT_TRUE(o.ok()) << a << ": " << o.reason;
    }
}

TEST_P(PingProbeTest, SilentAddressTimesOut) {
    PingProbe p(target("192.0.2.99", 0, 500ms));
    const auto r = run_probe(ioc_, p);
    EXPECT_FALSE(r.outcome.ok());
    EXPECT_LT(r.took, 1s);
    PingProbe p6(target("2001:db8::99", 0, 500ms));
    EXPECT_FALSE(run_probe(ioc_, p6).outcome.ok());
}

TEST_P(PingProbeTest, ManyProbesAtOnceOnlyCountTheirOwnReplies) {
    // Raw sockets see each other's replies: each probe must pick out its own.
    std::vector<std::unique_ptr<PingProbe>> probes;
    std::vector<std::optional<ProbeOutcome>> results(20);
    for (std::size_t i = 0; i < results.size(); ++i) {
        probes.push_back(
            std::make_unique<PingProbe>(target(i % 2 == 0 ? "192.0.2.2" : "192.0.2.99", 0, 500ms)));
        asio::co_spawn(
            ioc_, probes.back()->run(),
            [&results, i](const std::exception_ptr&, ProbeOutcome o) { results[i] = o; });
    }
    ioc_.restart();
    ioc_.run_for(3s);
    for (std::size_t i = 0; i < results.size(); ++i) {
        ASSERT_TRUE(results[i]) << i;
        EXPECT_EQ(results[i]->ok(), i % 2 == 0) << i << ": " << results[i]->reason;
    }
}

INSTANTIATE_TEST_SUITE_P(Sockets, PingProbeTest, ::testing::Values("1 0", "0 2147483647"),
                         [](const ::testing::TestParamInfo<const char*>& p) {
                             return std::string(p.param[0] == '1' ? "Raw" : "PingSocket");
                         });

TEST(PingProbe, LinkLocalNeedsAnInterface) {
    asio::io_context ioc;
    PingProbe p(target("fe80::1", 0, 200ms));
    EXPECT_EQ(run_probe(ioc, p).outcome.kind, ProbeOutcome::Kind::io_error);
}

}  // namespace
}  // namespace vigil::check
