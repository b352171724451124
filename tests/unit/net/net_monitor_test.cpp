// LinkMonitor against the kernel, in a network namespace per test: a veth pair going down,
// up, and away.
#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <functional>

#include "net/link_monitor.h"
#include "netns_fixture.h"

namespace vigil::net::testing {
namespace {

class LinkMonitorTest : public NetnsTest {
  protected:
    void SetUp() override {
        NetnsTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        auto m = LinkMonitor::open();
        ASSERT_TRUE(m.ok()) << m.error();
        monitor_ = std::make_unique<LinkMonitor>(std::move(m.value()));
    }

    // Polls and drains until an event matches, or two seconds pass.
    std::optional<LinkEvent> wait_for(const std::function<bool(const LinkEvent&)>& match) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{monitor_->fd(), POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) continue;
            for (auto& ev : monitor_->drain())
                if (match(ev)) return ev;
        }
        return std::nullopt;
    }

    std::unique_ptr<LinkMonitor> monitor_;
};

TEST_F(LinkMonitorTest, NothingPendingDrainsEmpty) {
    (void)monitor_->drain();  // whatever SetUp's carrier changes left
    EXPECT_TRUE(monitor_->drain().empty());
    EXPECT_FALSE(monitor_->take_overrun());
}

TEST_F(LinkMonitorTest, SeesCarrierLossAndReturn) {
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

TEST_F(LinkMonitorTest, SeesAdminDownAndMtuChange) {
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

TEST_F(LinkMonitorTest, SeesRemovalAndCreation) {
    ASSERT_TRUE(sh("ip link del vg0"));
    auto gone = wait_for([](const LinkEvent& e) { return e.link.name == "vg0" && e.removed; });
    ASSERT_TRUE(gone.has_value());
    EXPECT_EQ(gone->link.ifindex, vg0_);
    ASSERT_TRUE(sh("ip link add vg2 type veth peer name vg3"));
    auto added = wait_for([](const LinkEvent& e) { return e.link.name == "vg2" && !e.removed; });
    ASSERT_TRUE(added.has_value());
    EXPECT_FALSE(added->link.admin_up);
}

TEST_F(LinkMonitorTest, IsMovable) {
    LinkMonitor moved = std::move(*monitor_);
    EXPECT_GE(moved.fd(), 0);
    *monitor_ = std::move(moved);
    ASSERT_TRUE(sh("ip link set vg0 down"));
    EXPECT_TRUE(wait_for([](const LinkEvent& e) { return e.link.name == "vg0"; }).has_value());
}

}  // namespace
}  // namespace vigil::net::testing
