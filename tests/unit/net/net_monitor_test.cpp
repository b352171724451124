// NetMonitor against the kernel, in a network namespace per test: a veth pair going down, up,
// and away; addresses, routes and rules added and deleted.
#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <functional>
#include <type_traits>

#include "net/net_monitor.h"
#include "netns_fixture.h"

namespace vigil::net::testing {
namespace {

class NetMonitorTest : public NetnsTest {
  protected:
    void SetUp() override {
        NetnsTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        auto m = NetMonitor::open();
        ASSERT_TRUE(m.ok()) << m.error();
        monitor_ = std::make_unique<NetMonitor>(std::move(m.value()));
    }

    // Polls and drains until an event of type E matches, or ten seconds pass.
    template <class E = LinkEvent>
    std::optional<E> wait_for(const std::type_identity_t<std::function<bool(const E&)>>& match) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{monitor_->fd(), POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) continue;
            for (auto& ev : monitor_->drain())
                if (const auto* e = std::get_if<E>(&ev); e != nullptr && match(*e)) return *e;
        }
        return std::nullopt;
    }

    std::unique_ptr<NetMonitor> monitor_;
};

TEST_F(NetMonitorTest, NothingPendingDrainsEmpty) {
    (void)monitor_->drain();  // whatever SetUp's carrier changes left
    EXPECT_TRUE(monitor_->drain().empty());
    EXPECT_FALSE(monitor_->take_overrun());
}

TEST_F(NetMonitorTest, SeesCarrierLossAndReturn) {
    // vg0 loses carrier when its peer goes down: admin up, operationally down.
    ASSERT_TRUE(sh("ip link set vg1 down"));
    auto down =
        wait_for([](const LinkEvent& e) { return e.link.name == "vg0" && !e.link.oper_up; });
    ASSERT_TRUE(down.has_value());
    EXPECT_FALSE(down->removed);
    EXPECT_TRUE(down->link.admin_up);
    EXPECT_EQ(down->link.ifindex, vg0_);
    EXPECT_TRUE(down->link.has_mac);
    EXPECT_EQ(down->link.mtu, 1500U);

    ASSERT_TRUE(sh("ip link set vg1 up"));
    auto up = wait_for([](const LinkEvent& e) { return e.link.name == "vg0" && e.link.oper_up; });
    ASSERT_TRUE(up.has_value());
    EXPECT_TRUE(up->link.admin_up);
}

TEST_F(NetMonitorTest, SeesAdminDownAndMtuChange) {
    ASSERT_TRUE(sh("ip link set vg0 down"));
    auto down =
        wait_for([](const LinkEvent& e) { return e.link.name == "vg0" && !e.link.admin_up; });
    ASSERT_TRUE(down.has_value());
    EXPECT_FALSE(down->link.oper_up);
    ASSERT_TRUE(sh("ip link set vg0 mtu 1400"));
    auto mtu =
        wait_for([](const LinkEvent& e) { return e.link.name == "vg0" && e.link.mtu == 1400; });
    EXPECT_TRUE(mtu.has_value());
}

TEST_F(NetMonitorTest, SeesRemovalAndCreation) {
    ASSERT_TRUE(sh("ip link del vg0"));
    auto gone = wait_for([](const LinkEvent& e) { return e.link.name == "vg0" && e.removed; });
    ASSERT_TRUE(gone.has_value());
    EXPECT_EQ(gone->link.ifindex, vg0_);
    ASSERT_TRUE(sh("ip link add vg2 type veth peer name vg3"));
    auto added = wait_for([](const LinkEvent& e) { return e.link.name == "vg2" && !e.removed; });
    ASSERT_TRUE(added.has_value());
    EXPECT_FALSE(added->link.admin_up);
}

TEST_F(NetMonitorTest, IsMovable) {
    NetMonitor moved = std::move(*monitor_);
    EXPECT_GE(moved.fd(), 0);
    *monitor_ = std::move(moved);
    ASSERT_TRUE(sh("ip link set vg0 down"));
    EXPECT_TRUE(wait_for([](const LinkEvent& e) { return e.link.name == "vg0"; }).has_value());
}

TEST_F(NetMonitorTest, SeesAddressesComeAndGo) {
    ASSERT_TRUE(sh("ip addr add 192.0.2.1/24 dev vg0"));
    auto added = wait_for<AddressEvent>([](const AddressEvent& e) {
        return e.address.prefix.address.to_string() == "192.0.2.1" && !e.removed;
    });
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(added->ifindex, vg0_);
    EXPECT_EQ(added->address.prefix.length, 24U);
    EXPECT_FALSE(added->address.secondary);
    ASSERT_TRUE(sh("ip addr add 192.0.2.2/24 dev vg0"));
    auto secondary = wait_for<AddressEvent>([](const AddressEvent& e) {
        return e.address.prefix.address.to_string() == "192.0.2.2" && !e.removed;
    });
    ASSERT_TRUE(secondary.has_value());
    EXPECT_TRUE(secondary->address.secondary);
    ASSERT_TRUE(sh("ip addr del 192.0.2.2/24 dev vg0"));
    EXPECT_TRUE(wait_for<AddressEvent>([](const AddressEvent& e) {
                    return e.address.prefix.address.to_string() == "192.0.2.2" && e.removed;
                }).has_value());
    // IPv6 with duplicate address detection: tentative first, then usable.
    ASSERT_TRUE(sh("ip addr add 2001:db8::1/64 dev vg0"));
    auto tentative = wait_for<AddressEvent>([](const AddressEvent& e) {
        return e.address.prefix.address.to_string() == "2001:db8::1" && e.address.tentative;
    });
    EXPECT_TRUE(tentative.has_value());
    EXPECT_TRUE(wait_for<AddressEvent>([](const AddressEvent& e) {
                    return e.address.prefix.address.to_string() == "2001:db8::1" &&
                           !e.address.tentative && !e.removed;
                }).has_value());
}

TEST_F(NetMonitorTest, SeesRoutesAndRulesDeleted) {
    ASSERT_TRUE(sh("ip addr add 192.0.2.1/24 dev vg0"));
    ASSERT_TRUE(sh("ip route add 198.51.100.0/24 via 192.0.2.254 proto keepalived"));
    ASSERT_TRUE(sh("ip route del 198.51.100.0/24"));
    auto route = wait_for<RouteDeleted>([](const RouteDeleted& e) { return e.protocol == 18; });
    ASSERT_TRUE(route.has_value());
    EXPECT_EQ(route->family, Family::inet);
    ASSERT_TRUE(sh("ip -6 rule add from 2001:db8::5 table 100"));
    ASSERT_TRUE(sh("ip -6 rule del from 2001:db8::5 table 100"));
    auto rule = wait_for<RuleDeleted>([](const RuleDeleted&) { return true; });
    ASSERT_TRUE(rule.has_value());
    EXPECT_EQ(rule->family, Family::inet6);
}

}  // namespace
}  // namespace vigil::net::testing
