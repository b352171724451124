// TCP_CHECK against in-process listeners, a closed port and a black hole.
#include "check/tcp_probe.h"

#include "tcp_http_fixture.h"

namespace vigil::check::testing {
namespace {

using Kind = ProbeOutcome::Kind;

class TcpProbeTest : public ProbeTest {};

TEST_F(TcpProbeTest, ListeningServerIsHealthy) {
    serve(8001, silent());
    TcpProbe probe(io_.get_executor(), target("127.0.0.1", 8001));
    const auto out = run(probe);
    EXPECT_TRUE(out.ok()) << out.reason;
}

TEST_F(TcpProbeTest, ClosedPortIsConnectFailed) {
    TcpProbe probe(io_.get_executor(), target("127.0.0.1", 8002));
    const auto out = run(probe);
    EXPECT_EQ(out.kind, Kind::connect_failed) << out.reason;
    EXPECT_NE(out.reason.find("refused"), std::string::npos) << out.reason;
}

TEST_F(TcpProbeTest, UnansweredSynTimesOutAtTheDeadline) {
    // 192.0.2.2 is on the veth's subnet but nobody has it: ARP never resolves.
    ASSERT_TRUE(
        sh("ip link add vp0 type veth peer name vp1 && ip addr add 192.0.2.1/24 dev vp0 "
           "&& ip link set vp0 up && ip link set vp1 up"));
    TcpProbe probe(io_.get_executor(), target("192.0.2.2", 80, 300ms));
    const auto out = run(probe);
    EXPECT_EQ(out.kind, Kind::timed_out) << out.reason;
    EXPECT_GE(elapsed_, 290ms);
    EXPECT_LT(elapsed_, 1s);
}

TEST_F(TcpProbeTest, BindAddressAndPortAreUsed) {
    tcp::endpoint peer;
    auto acceptor = std::make_shared<tcp::acceptor>(
        io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 8003));
    acceptor->async_accept([&peer, acceptor](boost::system::error_code ec, tcp::socket s) {
        if (!ec) peer = s.remote_endpoint();
    });
    auto t = target("127.0.0.1", 8003);
    t.bind_address = IpAddress::parse("127.0.0.7");
    t.bind_port = 40123;
    TcpProbe probe(io_.get_executor(), t);
    EXPECT_TRUE(run(probe).ok());
    io_.restart();
    io_.poll();
    EXPECT_EQ(peer.address().to_string(), "127.0.0.7");
    EXPECT_EQ(peer.port(), 40123);
}

TEST_F(TcpProbeTest, UnusableBindAddressIsIoError) {
    auto t = target("127.0.0.1", 8004);
    t.bind_address = IpAddress::parse("203.0.113.9");  // not an address of this namespace
    TcpProbe probe(io_.get_executor(), t);
    const auto out = run(probe);
    EXPECT_EQ(out.kind, Kind::io_error) << out.reason;
}

TEST_F(TcpProbeTest, RealServerWithSocat) {
    start("socat TCP-LISTEN:8005,bind=127.0.0.1,fork,reuseaddr EXEC:/bin/true");
    ASSERT_TRUE(wait_listening(8005));
    TcpProbe probe(io_.get_executor(), target("127.0.0.1", 8005));
    EXPECT_TRUE(run(probe).ok());
}

}  // namespace
}  // namespace vigil::check::testing
