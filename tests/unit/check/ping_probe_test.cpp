// PING_CHECK over a veth pair in a private network namespace: through a raw socket (the
// namespace's default ping_group_range refuses ping sockets) and through a ping socket.
#include "check/ping_probe.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace vigil::check {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Once per test process: a network namespace of its own (gone when the process exits), lo up
// and a veth pair with documentation addresses.
void enter_private_network() {
    static const bool ready = [] {
        if (::unshare(CLONE_NEWNET) != 0) return false;
        return std::system(
                   "ip link set lo up && ip link add vp0 type veth peer name vp1 && "
                   "ip link set vp0 up && ip link set vp1 up && "
                   "ip addr add 192.0.2.1/24 dev vp0 && ip addr add 192.0.2.2/24 dev vp1 && "
                   "ip -6 addr add 2001:db8::1/64 dev vp0 nodad && "
                   "ip -6 addr add 2001:db8::2/64 dev vp1 nodad") == 0;
    }();
    ASSERT_TRUE(ready) << "cannot set up a private network namespace (root needed)";
}

ConnectTarget target(const char* address, std::uint16_t port, std::chrono::milliseconds timeout) {
    ConnectTarget t;
    t.address = *IpAddress::parse(address);
    t.port = port;
    t.timeout = timeout;
    return t;
}

struct Timed {
    ProbeOutcome outcome;
    std::chrono::milliseconds took{};
};

Timed run_probe(asio::io_context& ioc, Probe& p, std::chrono::milliseconds budget = 10s) {
    std::optional<ProbeOutcome> out;
    const auto start = std::chrono::steady_clock::now();
    ioc.restart();  // a loop that ran out of work stays stopped until restarted
    asio::co_spawn(ioc, p.run(), [&](const std::exception_ptr& e, ProbeOutcome o) {
        EXPECT_FALSE(e) << "run() threw";
        out = std::move(o);
    });
    const auto deadline = start + budget;
    while (!out && std::chrono::steady_clock::now() < deadline) ioc.run_one_for(50ms);
    EXPECT_TRUE(out) << "probe did not finish";
    return {out.value_or(ProbeOutcome::failure(ProbeOutcome::Kind::io_error, "unfinished")),
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)};
}

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
