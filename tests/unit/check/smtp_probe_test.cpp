// SMTP_CHECK against a real server (python3-aiosmtpd) and in-process servers that answer
// wrongly, slowly or not at all.
#include "check/smtp_probe.h"

#include "tcp_http_fixture.h"

namespace vigil::check::testing {
namespace {

using Kind = ProbeOutcome::Kind;

class SmtpProbeTest : public ProbeTest {
  protected:
    ProbeOutcome probe(std::uint16_t port, std::string helo = {},
                       std::chrono::microseconds timeout = 2s) {
        SmtpProbe p(io_.get_executor(), target("127.0.0.1", port, timeout), std::move(helo));
        return run(p);
    }
};

// A scripted SMTP server: sends the banner, then answers each command line from `answers`
// in turn, recording the lines it received.
auto scripted(std::string banner, std::vector<std::string> answers,
              std::shared_ptr<std::vector<std::string>> received) {
    return [=](tcp::socket s) -> asio::awaitable<void> {
        boost::system::error_code ec;
        co_await asio::async_write(s, asio::buffer(banner),
                                   asio::redirect_error(asio::use_awaitable, ec));
        asio::streambuf in;
        for (const auto& answer : answers) {
            const std::size_t n = co_await asio::async_read_until(
                s, in, "\r\n", asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            std::string line(asio::buffers_begin(in.data()),
                             asio::buffers_begin(in.data()) + static_cast<std::ptrdiff_t>(n));
            in.consume(n);
            received->push_back(line);
            co_await asio::async_write(s, asio::buffer(answer),
                                       asio::redirect_error(asio::use_awaitable, ec));
        }
        s.shutdown(tcp::socket::shutdown_send, ec);
    };
}

TEST_F(SmtpProbeTest, AiosmtpdIsHealthy) {
    start("/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:2525");
    ASSERT_TRUE(wait_listening(2525));
    const auto out = probe(2525);
    EXPECT_TRUE(out.ok()) << out.reason;
}

TEST_F(SmtpProbeTest, SendsHeloWithKeepalivedsDefaultNameOrTheConfiguredOne) {
    auto got = std::make_shared<std::vector<std::string>>();
    serve(2526, scripted("220 mx ready\r\n", {"250 hi\r\n", "221 bye\r\n"}, got));
    EXPECT_TRUE(probe(2526).ok());
    ASSERT_EQ(got->size(), 2U);
    EXPECT_EQ((*got)[0], "HELO smtpchecker.keepalived.org\r\n");
    EXPECT_EQ((*got)[1], "QUIT\r\n");
    got->clear();
    EXPECT_TRUE(probe(2526, "director.example.org").ok());
    ASSERT_FALSE(got->empty());
    EXPECT_EQ((*got)[0], "HELO director.example.org\r\n");
}

TEST_F(SmtpProbeTest, MultiLineRepliesAreReadWhole) {
    auto got = std::make_shared<std::vector<std::string>>();
    serve(2527, scripted("220-mx.example.org\r\n220-second line\r\n220 ready\r\n",
                         {"250-mx\r\n250-PIPELINING\r\n250 8BITMIME\r\n", "221 bye\r\n"}, got));
    const auto out = probe(2527);
    EXPECT_TRUE(out.ok()) << out.reason;
    EXPECT_EQ(got->size(), 2U);
}

TEST_F(SmtpProbeTest, WrongBannerIsMismatch) {
    auto got = std::make_shared<std::vector<std::string>>();
    serve(2528, scripted("554 go away\r\n", {}, got));
    const auto out = probe(2528);
    EXPECT_EQ(out.kind, Kind::mismatch) << out.reason;
    EXPECT_NE(out.reason.find("554"), std::string::npos) << out.reason;
}

TEST_F(SmtpProbeTest, RefusedHeloIsMismatch) {
    auto got = std::make_shared<std::vector<std::string>>();
    serve(2529, scripted("220 ok\r\n", {"550 not you\r\n"}, got));
    const auto out = probe(2529);
    EXPECT_EQ(out.kind, Kind::mismatch) << out.reason;
    EXPECT_NE(out.reason.find("HELO"), std::string::npos) << out.reason;
}

TEST_F(SmtpProbeTest, ClosedPortIsConnectFailed) {
    EXPECT_EQ(probe(2530).kind, Kind::connect_failed);
}

TEST_F(SmtpProbeTest, SilentServerTimesOutAtTheDeadline) {
    serve(2531, silent());
    const auto out = probe(2531, {}, 400ms);
    EXPECT_EQ(out.kind, Kind::timed_out) << out.reason;
    EXPECT_LT(elapsed_, 1s);
}

TEST_F(SmtpProbeTest, TrickleSlowerThanTheDeadlineTimesOut) {
    serve(2532, trickle("220 a very slow server\r\n", 50ms));
    const auto out = probe(2532, {}, 400ms);
    EXPECT_EQ(out.kind, Kind::timed_out) << out.reason;
    EXPECT_LT(elapsed_, 1s);
}

TEST_F(SmtpProbeTest, GarbageIsProtocolError) {
    serve(2533, reply_with(std::string("\x16\x03\x01\x00\xff binary\r\n", 14), false));
    EXPECT_EQ(probe(2533).kind, Kind::protocol_error);
}

TEST_F(SmtpProbeTest, EndlessLineIsProtocolErrorInBoundedMemory) {
    serve(2534, flood("220", std::size_t{100} << 20, 'x', false));
    const long before = peak_rss_kib();
    const auto out = probe(2534, {}, 3s);
    EXPECT_EQ(out.kind, Kind::protocol_error) << out.reason;
    EXPECT_LT(peak_rss_kib() - before, 20 * 1024);
}

TEST_F(SmtpProbeTest, CloseAfterBannerIsProtocolError) {
    serve(2535, reply_with("220 hi\r\n", false));
    const auto out = probe(2535);
    EXPECT_EQ(out.kind, Kind::protocol_error) << out.reason;
}

}  // namespace
}  // namespace vigil::check::testing
