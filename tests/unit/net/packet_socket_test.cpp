// The AF_PACKET shell for real: each test unshares into a network namespace of its own with a
// veth pair a <-> b, sends frames built by vrrp/gratuitous.h on a and reads them on b.
#include "net/packet_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "vrrp/gratuitous.h"

namespace vigil::net {
namespace {

using namespace std::chrono_literals;

const vrrp::Mac kMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};

class PacketSocketTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (::unshare(CLONE_NEWNET) != 0) GTEST_SKIP() << "unshare(CLONE_NEWNET) needs root";
        ASSERT_EQ(std::system("ip link add name a type veth peer name b && "
                              "ip link set dev a address 02:00:00:00:00:0a && "
                              "ip link set dev a up && ip link set dev b up"),
                  0);
        // Frames sent before the kernel's link watch marks the link running go to a qdisc
        // that drops them silently: wait for it.
        ASSERT_TRUE(wait_running("a"));
        ASSERT_TRUE(wait_running("b"));
        a_ = static_cast<int>(::if_nametoindex("a"));
        b_ = static_cast<int>(::if_nametoindex("b"));
        ASSERT_NE(a_, 0);
        ASSERT_NE(b_, 0);
        rx_.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)));
        ASSERT_TRUE(rx_.valid());
        sockaddr_ll at{};
        at.sll_family = AF_PACKET;
        at.sll_protocol = htons(ETH_P_ALL);
        at.sll_ifindex = b_;
        ASSERT_EQ(::bind(rx_.get(), reinterpret_cast<const sockaddr*>(&at), sizeof at), 0);
    }

    static bool wait_running(const char* name) {
        const UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        const auto until = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < until) {
            ifreq req{};
            std::strncpy(req.ifr_name, name, IFNAMSIZ - 1);
            if (::ioctl(fd.get(), SIOCGIFFLAGS, &req) == 0 && (req.ifr_flags & IFF_RUNNING) != 0)
                return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }

    // The next frame b receives with the Ethernet header of `like` (same destination, source
    // and type), skipping the kernel's own traffic on the pair (router solicitations, MLD
    // reports); nothing within a second: nullopt.
    std::optional<std::vector<std::byte>> receive_like(std::span<const std::byte> like) {
        const auto header = like.first(ETH_HLEN);
        const auto until = std::chrono::steady_clock::now() + 1s;
        while (std::chrono::steady_clock::now() < until) {
            pollfd p{rx_.get(), POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            std::vector<std::byte> buf(2048);
            sockaddr_ll from{};
            socklen_t from_len = sizeof from;
            const ssize_t n = ::recvfrom(rx_.get(), buf.data(), buf.size(), 0,
                                         reinterpret_cast<sockaddr*>(&from), &from_len);
            if (n < static_cast<ssize_t>(ETH_HLEN) || from.sll_pkttype == PACKET_OUTGOING) continue;
            buf.resize(static_cast<std::size_t>(n));
            if (std::equal(header.begin(), header.end(), buf.begin())) return buf;
        }
        return std::nullopt;
    }

    int a_ = 0;
    int b_ = 0;
    UniqueFd rx_;
};

TEST_F(PacketSocketTest, OpensNonBlockingCloseOnExec) {
    auto s = PacketSocket::open();
    ASSERT_TRUE(s) << s.error();
    EXPECT_NE(::fcntl(s->fd(), F_GETFL) & O_NONBLOCK, 0);
    EXPECT_NE(::fcntl(s->fd(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST_F(PacketSocketTest, SendsAGratuitousArp) {
    auto s = PacketSocket::open();
    ASSERT_TRUE(s) << s.error();
    std::array<std::byte, vrrp::max_gratuitous_frame_size> frame{};
    const auto size = vrrp::build_garp(frame, kMac, *IpAddress::parse("192.0.2.100"));
    const auto sent = std::span(frame).first(size);
    const auto r = s->send(a_, sent);
    ASSERT_TRUE(r) << r.error();
    const auto got = receive_like(sent);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, std::vector<std::byte>(sent.begin(), sent.end()));
}

TEST_F(PacketSocketTest, SendsAnUnsolicitedNeighbourAdvert) {
    auto s = PacketSocket::open();
    ASSERT_TRUE(s) << s.error();
    std::array<std::byte, vrrp::max_gratuitous_frame_size> frame{};
    const auto size = vrrp::build_unsolicited_na(frame, kMac, *IpAddress::parse("2001:db8::100"),
                                                 *IpAddress::parse("2001:db8::100"), false);
    const auto sent = std::span(frame).first(size);
    const auto r = s->send(a_, sent);
    ASSERT_TRUE(r) << r.error();
    const auto got = receive_like(sent);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, std::vector<std::byte>(sent.begin(), sent.end()));
}

TEST_F(PacketSocketTest, ABurstArrivesWhole) {
    auto s = PacketSocket::open();
    ASSERT_TRUE(s) << s.error();
    std::array<std::byte, vrrp::max_gratuitous_frame_size> frame{};
    const auto size = vrrp::build_garp(frame, kMac, *IpAddress::parse("198.51.100.9"));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(s->send(a_, std::span(frame).first(size)));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(receive_like(std::span(frame).first(size))) << i;
}

TEST_F(PacketSocketTest, UnknownInterfaceIsAnError) {
    auto s = PacketSocket::open();
    ASSERT_TRUE(s) << s.error();
    std::array<std::byte, vrrp::max_gratuitous_frame_size> frame{};
    const auto size = vrrp::build_garp(frame, kMac, *IpAddress::parse("192.0.2.100"));
    const auto r = s->send(9999, std::span(frame).first(size));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find("sendto"), std::string::npos) << r.error();
}

TEST_F(PacketSocketTest, DownInterfaceIsAnError) {
    ASSERT_EQ(std::system("ip link set dev a down"), 0);
    auto s = PacketSocket::open();
    ASSERT_TRUE(s) << s.error();
    std::array<std::byte, vrrp::max_gratuitous_frame_size> frame{};
    const auto size = vrrp::build_garp(frame, kMac, *IpAddress::parse("192.0.2.100"));
    EXPECT_FALSE(s->send(a_, std::span(frame).first(size)));
}

TEST_F(PacketSocketTest, RuntFrameIsRefused) {
    auto s = PacketSocket::open();
    ASSERT_TRUE(s) << s.error();
    const std::array<std::byte, 6> runt{};
    EXPECT_FALSE(s->send(a_, runt));
}

}  // namespace
}  // namespace vigil::net
