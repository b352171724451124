// Linkbeat polling against the kernel, in a network namespace of its own: a veth answers
// ethtool's GLINK (no MII), a dummy neither (the flags alone); carrier loss and a missing
// interface read as down.
#include "net/linkbeat.h"

#include <gtest/gtest.h>

#include "netns_fixture.h"

namespace vigil::net::testing {
namespace {

class LinkbeatTest : public NetnsTest {
  protected:
    void SetUp() override {
        NetnsTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        auto l = Linkbeat::open();
        ASSERT_TRUE(l.ok()) << l.error();
        lb_.emplace(std::move(l.value()));
    }
    std::optional<Linkbeat> lb_;
};

TEST_F(LinkbeatTest, VethByEthtoolFollowsCarrier) {
    auto r = lb_->probe("vg0", LinkbeatMethod::automatic);
    EXPECT_TRUE(r.exists);
    EXPECT_TRUE(r.up);
    EXPECT_EQ(r.method, LinkbeatMethod::ethtool);
    ASSERT_TRUE(sh("ip link set vg1 down"));  // vg0 loses its carrier
    r = lb_->probe("vg0", r.method);
    EXPECT_FALSE(r.up);
    EXPECT_EQ(r.method, LinkbeatMethod::ethtool);
    ASSERT_TRUE(sh("ip link set vg1 up"));
    EXPECT_TRUE(lb_->probe("vg0", LinkbeatMethod::ethtool).up);
    // MII asked for: the veth has none, ETHTOOL is used as keepalived does.
    EXPECT_EQ(lb_->probe("vg0", LinkbeatMethod::mii).method, LinkbeatMethod::ethtool);
}

TEST_F(LinkbeatTest, AdminDownIsDownWhateverTheMethod) {
    ASSERT_TRUE(sh("ip link set vg0 down"));
    EXPECT_FALSE(lb_->probe("vg0", LinkbeatMethod::automatic).up);
    EXPECT_FALSE(lb_->probe("vg0", LinkbeatMethod::ioctl).up);
}

TEST_F(LinkbeatTest, DummyFallsBackToTheFlags) {
    if (!sh("ip link add dm0 type dummy")) GTEST_SKIP() << "no dummy interfaces in this kernel";
    ASSERT_TRUE(sh("ip link set dm0 up"));
    const auto r = lb_->probe("dm0", LinkbeatMethod::automatic);
    EXPECT_TRUE(r.exists);
    EXPECT_TRUE(r.up);
    EXPECT_NE(r.method, LinkbeatMethod::mii);
}

TEST_F(LinkbeatTest, MissingInterfaceIsDown) {
    const auto r = lb_->probe("nosuch0", LinkbeatMethod::automatic);
    EXPECT_FALSE(r.exists);
    EXPECT_FALSE(r.up);
}

}  // namespace
}  // namespace vigil::net::testing
