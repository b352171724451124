// DNS_CHECK against dnsmasq and against hostile in-process servers, in a private network
// namespace of the test process.
#include "check/dns_probe.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "check/dns_message.h"

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

config::DnsCheck query(config::DnsCheck::Type type, std::string name) {
    config::DnsCheck c;
    c.type = type;
    c.name = std::move(name);
    return c;
}

class DnsmasqTest : public ::testing::Test {
  protected:
    void SetUp() override {
        enter_private_network();
        dnsmasq_.emplace(std::vector<std::string>{
            "dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
            "--port=5353", "--listen-address=192.0.2.2", "--listen-address=2001:db8::2",
            "--bind-interfaces",
            "--pid-file=", "--host-record=www.example.test,192.0.2.10,2001:db8::10",
            "--txt-record=txt.example.test,hello", "--mx-host=example.test,mail.example.test,10",
            "--cname=alias.example.test,www.example.test", "--auth-zone=example.test",
            "--auth-server=ns.example.test", "--auth-soa=1,hostmaster.example.test"});
        // Wait for it to answer.
        for (int i = 0; i < 50; ++i) {
            DnsProbe p(target("192.0.2.2", 5353, 200ms),
                       query(config::DnsCheck::Type::a, "www.example.test"));
            if (run_probe(ioc_, p).outcome.ok()) return;
            std::this_thread::sleep_for(50ms);
        }
        FAIL() << "dnsmasq did not start";
    }

    ProbeOutcome check(const char* address, config::DnsCheck::Type type, std::string name) {
        DnsProbe p(target(address, 5353, 2s), query(type, std::move(name)));
        return run_probe(ioc_, p).outcome;
    }

    asio::io_context ioc_;
    std::optional<Child> dnsmasq_;
};

TEST_F(DnsmasqTest, RecordsOfEachTypeAreUp) {
    using T = config::DnsCheck::Type;
    EXPECT_TRUE(check("192.0.2.2", T::a, "www.example.test").ok());
    EXPECT_TRUE(check("192.0.2.2", T::aaaa, "www.example.test").ok());
    EXPECT_TRUE(check("192.0.2.2", T::mx, "example.test").ok());
    EXPECT_TRUE(check("192.0.2.2", T::txt, "txt.example.test").ok());
    EXPECT_TRUE(check("192.0.2.2", T::cname, "alias.example.test").ok());
    EXPECT_TRUE(check("192.0.2.2", T::soa, "example.test").ok());
    EXPECT_TRUE(check("2001:db8::2", T::a, "www.example.test").ok());
}

TEST_F(DnsmasqTest, NoErrorWithoutAnswersIsUpAsInKeepalived) {
    // keepalived 2.2.7 looks at the RCODE only: NOERROR with no MX record counts as up.
    const auto o = check("192.0.2.2", config::DnsCheck::Type::mx, "www.example.test");
    EXPECT_TRUE(o.ok()) << o.reason;
}

TEST_F(DnsmasqTest, UnknownNameIsDown) {
    const auto o = check("192.0.2.2", config::DnsCheck::Type::a, "nx.example.test");
    EXPECT_EQ(o.kind, ProbeOutcome::Kind::mismatch) << o.reason;
    EXPECT_NE(o.reason.find("NXDOMAIN"), std::string::npos) << o.reason;
}

TEST_F(DnsmasqTest, NoServerIsAConnectionFailure) {
    DnsProbe p(target("192.0.2.2", 5354, 2s), query(config::DnsCheck::Type::a, "x.test"));
    const auto r = run_probe(ioc_, p);
    EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::connect_failed) << r.outcome.reason;
    EXPECT_LT(r.took, 1s);
}

// A server that answers each query with what `reply` makes of it.
class HostileDnsTest : public ::testing::Test {
  protected:
    using Replier = std::function<std::vector<Bytes>(const Bytes& query)>;

    void SetUp() override { enter_private_network(); }

    Timed probe_against(Replier reply, std::chrono::milliseconds timeout = 1s) {
        udp::socket server(ioc_, udp::endpoint(asio::ip::make_address("192.0.2.2"), 0));
        const auto port = server.local_endpoint().port();
        asio::co_spawn(
            ioc_,
            [&server, reply = std::move(reply)]() -> asio::awaitable<void> {
                Bytes buf(512);
                udp::endpoint from;
                const auto n = co_await server.async_receive_from(asio::buffer(buf), from,
                                                                  asio::use_awaitable);
                buf.resize(n);
                for (const auto& d : reply(buf))
                    co_await server.async_send_to(asio::buffer(d), from, asio::use_awaitable);
            },
            asio::detached);
        DnsProbe p(target("192.0.2.2", port, timeout),
                   query(config::DnsCheck::Type::a, "www.example.test"));
        auto r = run_probe(ioc_, p);
        server.close();
        ioc_.poll();  // lets the server coroutine finish
        return r;
    }

    // A valid reply to `q` (one A answer) with the given id and flags.
    static Bytes reply_to(const Bytes& q, std::uint16_t flags, int id_delta = 0) {
        Bytes r = q;
        const auto id = static_cast<std::uint16_t>(((q[0] << 8U) | q[1]) + id_delta);
        r[0] = static_cast<std::uint8_t>(id >> 8U);
        r[1] = static_cast<std::uint8_t>(id);
        r[2] = static_cast<std::uint8_t>(flags >> 8U);
        r[3] = static_cast<std::uint8_t>(flags);
        r[7] = 1;  // ANCOUNT
        const Bytes answer{0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10};
        r.insert(r.end(), answer.begin(), answer.end());
        return r;
    }

    asio::io_context ioc_;
};

TEST_F(HostileDnsTest, WrongIdsAreIgnoredUntilTheRightOne) {
    const auto r = probe_against([](const Bytes& q) {
        return std::vector<Bytes>{reply_to(q, 0x8180, 1), reply_to(q, 0x8180, -1),
                                  reply_to(q, 0x0100),  // our id, but a query
                                  reply_to(q, 0x8180)};
    });
    EXPECT_TRUE(r.outcome.ok()) << r.outcome.reason;
}

TEST_F(HostileDnsTest, OnlyWrongIdsTimeOutWithinTheDeadline) {
    const auto r = probe_against([](const Bytes& q) {
        std::vector<Bytes> flood;
        for (int i = 1; i <= 2000; ++i) flood.push_back(reply_to(q, 0x8180, i));
        return flood;
    });
    EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::timed_out) << r.outcome.reason;
    EXPECT_GE(r.took, 900ms);
    EXPECT_LT(r.took, 1500ms);
}

TEST_F(HostileDnsTest, ShortDatagramsAreIgnored) {
    const auto r = probe_against([](const Bytes& q) {
        return std::vector<Bytes>{Bytes(q.begin(), q.begin() + 11), Bytes{}, Bytes(2, 0)};
    });
    EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::timed_out) << r.outcome.reason;
}

TEST_F(HostileDnsTest, ErrorRcodesAreDown) {
    for (std::uint16_t rcode : {1, 2, 3, 5}) {
        const auto r = probe_against(
            [rcode](const Bytes& q) { return std::vector<Bytes>{reply_to(q, 0x8180 | rcode)}; });
        EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::mismatch) << r.outcome.reason;
        EXPECT_NE(r.outcome.reason.find(dns::rcode_name(static_cast<std::uint8_t>(rcode))),
                  std::string::npos);
    }
}

TEST_F(HostileDnsTest, TruncatedBodyIsAProtocolError) {
    const auto r = probe_against([](const Bytes& q) {
        Bytes full = reply_to(q, 0x8180);
        full.resize(full.size() - 3);
        return std::vector<Bytes>{full};
    });
    EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::protocol_error) << r.outcome.reason;
}

TEST_F(HostileDnsTest, CompressionLoopIsAProtocolError) {
    const auto r = probe_against([](const Bytes& q) {
        Bytes loop(q.begin(), q.begin() + 12);
        loop[2] = 0x81;
        loop[3] = 0x80;
        loop[5] = 1;  // one question whose name points at itself
        const Bytes name{0xc0, 12, 0, 1, 0, 1};
        loop.insert(loop.end(), name.begin(), name.end());
        return std::vector<Bytes>{loop};
    });
    EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::protocol_error) << r.outcome.reason;
}

TEST_F(HostileDnsTest, HugeGarbageEndsWithinTheDeadline) {
    std::mt19937 rng(42);
    const auto r = probe_against([&rng](const Bytes& q) {
        Bytes noise(65000);
        for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
        Bytes ours = noise;  // our id, a NOERROR response, garbage counts and records
        ours[0] = q[0];
        ours[1] = q[1];
        ours[2] = 0x81;
        ours[3] = 0x80;
        noise[0] = static_cast<std::uint8_t>(q[0] ^ 0xffU);
        return std::vector<Bytes>{noise, noise, ours};
    });
    EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::protocol_error) << r.outcome.reason;
    EXPECT_LT(r.took, 1s);
}

TEST_F(HostileDnsTest, SilenceTimesOut) {
    const auto r = probe_against([](const Bytes&) { return std::vector<Bytes>{}; }, 300ms);
    EXPECT_EQ(r.outcome.kind, ProbeOutcome::Kind::timed_out);
    EXPECT_GE(r.took, 290ms);
    EXPECT_LT(r.took, 800ms);
}

TEST(DnsProbe, UnencodableNameIsALocalError) {
    asio::io_context ioc;
    DnsProbe p(target("192.0.2.2", 53, 1s), query(config::DnsCheck::Type::a, "a..b"));
    EXPECT_EQ(run_probe(ioc, p).outcome.kind, ProbeOutcome::Kind::io_error);
}

}  // namespace
}  // namespace vigil::check
