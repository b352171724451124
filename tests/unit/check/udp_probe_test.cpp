// UDP_CHECK against socat, an in-process echo server, a closed port and a flood, in a
// private network namespace of the test process.
#include "check/udp_probe.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "probe_support.h"

namespace vigil::check {
namespace {

using testing::Child;
using testing::enter_private_network;
using testing::run_probe;
using testing::target;
using testing::Timed;

namespace asio = boost::asio;
using asio::ip::udp;
using Bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;

config::UdpCheck expect_reply(Bytes data, Bytes mask, std::uint16_t min_len = 0,
                              std::uint16_t max_len = 255) {
    config::UdpCheck c;
    c.payload = {0x01, 0x02, 0x03};
    c.require_reply = true;
    c.reply_data = std::move(data);
    c.reply_mask = std::move(mask);
    c.min_reply_length = min_len;
    c.max_reply_length = max_len;
    return c;
}

TEST(UdpReplyRule, LengthAndMaskedData) {
    const auto c = expect_reply({0xab, 0x12, 0x0f}, {0xff, 0xf0, 0xff}, 2, 4);
    EXPECT_EQ(check_udp_reply(Bytes{0xab, 0x1f, 0x0f}, c), "");  // low nibble of byte 1 free
    EXPECT_NE(check_udp_reply(Bytes{0xab, 0x22, 0x0f}, c), "");  // high nibble must match
    EXPECT_EQ(check_udp_reply(Bytes{0xab, 0x12}, c), "");  // shorter: compared as far as it goes
    EXPECT_NE(check_udp_reply(Bytes{0xab}, c), "");        // below min_reply_length
    EXPECT_NE(check_udp_reply(Bytes{0xab, 0x12, 0x0f, 0, 0}, c), "");  // above max_reply_length
    EXPECT_EQ(check_udp_reply(Bytes{0xab, 0x12, 0x0f, 0x99}, c), "");  // extra bytes unchecked
    const auto any = expect_reply({}, {}, 0, 255);
    EXPECT_EQ(check_udp_reply(Bytes{1, 2, 3}, any), "");
    EXPECT_EQ(check_udp_reply(Bytes{}, any), "");
}

class UdpProbeTest : public ::testing::Test {
  protected:
    void SetUp() override { enter_private_network(); }

    // An in-process server answering the first datagram with `reply(datagram)`.
    std::uint16_t serve(std::function<std::vector<Bytes>(const Bytes&)> reply) {
        server_.emplace(ioc_, udp::endpoint(asio::ip::make_address("192.0.2.2"), 0));
        asio::co_spawn(
            ioc_,
            [this, reply = std::move(reply)]() -> asio::awaitable<void> {
                Bytes buf(2048);
                udp::endpoint from;
                const auto n = co_await server_->async_receive_from(asio::buffer(buf), from,
                                                                    asio::use_awaitable);
                buf.resize(n);
                for (const auto& d : reply(buf))
                    co_await server_->async_send_to(asio::buffer(d), from, asio::use_awaitable);
            },
            asio::detached);
        return server_->local_endpoint().port();
    }

    void TearDown() override {
        if (server_) server_->close();
        ioc_.poll();
    }

    asio::io_context ioc_;
    std::optional<udp::socket> server_;
};

TEST_F(UdpProbeTest, EchoFromSocatIsUp) {
    Child socat({"socat", "UDP4-RECVFROM:7007,bind=192.0.2.2,fork", "PIPE"});
    config::UdpCheck c = expect_reply({0xde, 0xad}, {0xff, 0xff});
    c.payload = {0xde, 0xad, 0xbe, 0xef};
    ProbeOutcome last;
    for (int i = 0; i < 40; ++i) {  // socat needs a moment to bind
        UdpProbe p(target("192.0.2.2", 7007, 500ms), c);
        last = run_probe(ioc_, p).outcome;
        if (last.ok()) break;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_TRUE(last.ok()) << last.reason;
}

TEST_F(UdpProbeTest, ClosedPortIsDownAtOnce) {
    config::UdpCheck c;  // no require_reply: only an ICMP error fails
    UdpProbe p(target("192.0.2.2", 9, 2s), c);
    const auto r = run_probe(ioc_, p);
    EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::connect_failed) << r.outcome.reason;
    EXPECT_LT(r.took, 1s);
    UdpProbe p6(target("2001:db8::2", 9, 2s), c);
    EXPECT_EQ(run_probe(ioc_, p6).outcome.kind, ProbeOutcome::Kind::connect_failed);
}

TEST_F(UdpProbeTest, SilenceIsUpWithoutRequireReplyAndDownWithIt) {
    const auto port = serve([](const Bytes&) { return std::vector<Bytes>{}; });
    config::UdpCheck quiet;
    UdpProbe p(target("192.0.2.2", port, 300ms), quiet);
    const auto r = run_probe(ioc_, p);
    EXPECT_TRUE(r.outcome.ok()) << r.outcome.reason;
    EXPECT_GE(r.took, 290ms);

    const auto port2 = serve([](const Bytes&) { return std::vector<Bytes>{}; });
    UdpProbe strict(target("192.0.2.2", port2, 300ms), expect_reply({}, {}));
    EXPECT_EQ(run_probe(ioc_, strict).outcome.kind, ProbeOutcome::Kind::timed_out);
}

TEST_F(UdpProbeTest, RandomPayloadWhenNoneIsConfigured) {
    Bytes seen;
    const auto port = serve([&seen](const Bytes& d) {
        seen = d;
        return std::vector<Bytes>{Bytes{1}};
    });
    UdpProbe p(target("192.0.2.2", port, 1s), config::UdpCheck{});
    EXPECT_TRUE(run_probe(ioc_, p).outcome.ok());
    EXPECT_EQ(seen.size(), UdpProbe::random_payload_size);
}

TEST_F(UdpProbeTest, WrongReplyIsAMismatch) {
    const auto port = serve([](const Bytes&) { return std::vector<Bytes>{Bytes{0xde, 0xae}}; });
    UdpProbe p(target("192.0.2.2", port, 1s), expect_reply({0xde, 0xad}, {0xff, 0xff}));
    EXPECT_EQ(run_probe(ioc_, p).outcome.kind, ProbeOutcome::Kind::mismatch);
}

TEST_F(UdpProbeTest, MaskedNibblesAndLengthLimits) {
    const auto port = serve([](const Bytes&) { return std::vector<Bytes>{Bytes{0xd7, 0xad, 9}}; });
    UdpProbe p(target("192.0.2.2", port, 1s), expect_reply({0xd0, 0xad}, {0xf0, 0xff}, 3, 3));
    EXPECT_TRUE(run_probe(ioc_, p).outcome.ok());

    const auto port2 = serve([](const Bytes&) { return std::vector<Bytes>{Bytes(300, 0xd0)}; });
    UdpProbe longer(target("192.0.2.2", port2, 1s), expect_reply({0xd0}, {0xff}));  // max 255
    const auto o = run_probe(ioc_, longer).outcome;
    EXPECT_EQ(o.kind, ProbeOutcome::Kind::mismatch) << o.reason;
}

TEST_F(UdpProbeTest, FloodOfWrongRepliesEndsAtTheFirstAndInTime) {
    const auto port =
        serve([](const Bytes&) { return std::vector<Bytes>(5000, Bytes(1400, 0x55)); });
    UdpProbe p(target("192.0.2.2", port, 1s), expect_reply({0xaa}, {0xff}, 0, 65535));
    const auto r = run_probe(ioc_, p);
    EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::mismatch);
    EXPECT_LT(r.took, 1500ms);
}

TEST_F(UdpProbeTest, UnreachableHostIsDownOrTimesOut) {
    // 192.0.2.99 does not exist on the veth link: ARP fails; with require_reply that is a
    // failure either way (host unreachable or no reply in time).
    UdpProbe p(target("192.0.2.99", 7, 500ms), expect_reply({}, {}));
    const auto o = run_probe(ioc_, p).outcome;
    EXPECT_FALSE(o.ok());
}

}  // namespace
}  // namespace vigil::check
