// Netlink links and addresses against the kernel, in a network namespace per test.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "netns_fixture.h"

namespace vigil::net::testing {
namespace {

class NetlinkAddress : public NetnsTest {};

TEST_F(NetlinkAddress, LinkByNameAndByIndex) {
    ASSERT_TRUE(sh("ip link set vg0 address 02:00:5e:00:01:07 mtu 1400"));
    auto by_name = nl_->link("vg0");
    ASSERT_TRUE(by_name.ok()) << by_name.error();
    EXPECT_EQ(by_name->name, "vg0");
    EXPECT_EQ(by_name->ifindex, vg0_);
    EXPECT_TRUE(by_name->admin_up);
    EXPECT_TRUE(by_name->has_mac);
    EXPECT_EQ(by_name->mac, (std::array<std::uint8_t, 6>{0x02, 0x00, 0x5e, 0x00, 0x01, 0x07}));
    EXPECT_EQ(by_name->mtu, 1400U);
    auto by_index = nl_->link(vg0_);
    ASSERT_TRUE(by_index.ok()) << by_index.error();
    EXPECT_EQ(by_index->name, "vg0");

    auto lo = nl_->link("lo");
    ASSERT_TRUE(lo.ok());
    EXPECT_TRUE(lo->admin_up);
}

TEST_F(NetlinkAddress, OperUpFollowsThePeer) {
    // A veth has carrier when both ends are up.
    const auto oper = [&] { return nl_->link("vg0")->oper_up; };
    for (int i = 0; i < 100 && !oper(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(oper());
    ASSERT_TRUE(sh("ip link set vg1 down"));
    EXPECT_FALSE(oper());
    EXPECT_TRUE(nl_->link("vg0")->admin_up);
}

TEST_F(NetlinkAddress, UnknownInterfaceIsAClearError) {
    auto l = nl_->link("nosuchif0");
    ASSERT_FALSE(l.ok());
    EXPECT_TRUE(contains(l.error(), "nosuchif0"));
    auto i = nl_->link(9999);
    ASSERT_FALSE(i.ok());
    EXPECT_TRUE(contains(i.error(), "9999"));
    const Status s = nl_->add_address(9999, address("192.0.2.10/24"));
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(contains(s.error(), "cannot add 192.0.2.10/24"));
    EXPECT_TRUE(contains(s.error(), "9999"));
}

TEST_F(NetlinkAddress, Ipv4VipWithLabelBroadcastAndScope) {
    const Status s =
        nl_->add_address(vg0_, address("192.0.2.10/24 brd + label vg0:vip scope link"));
    ASSERT_TRUE(s.ok()) << s.error();
    const auto a = find_addr("192.0.2.10");
    ASSERT_FALSE(a.is_null());
    EXPECT_EQ(a.value("prefixlen", 0), 24);
    EXPECT_EQ(a.value("broadcast", ""), "192.0.2.255");
    EXPECT_EQ(a.value("label", ""), "vg0:vip");
    EXPECT_EQ(a.value("scope", ""), "link");

    ASSERT_TRUE(nl_->remove_address(vg0_, address("192.0.2.10/24 brd + label vg0:vip")).ok());
    EXPECT_TRUE(find_addr("192.0.2.10").is_null());
}

TEST_F(NetlinkAddress, BroadcastForms) {
    ASSERT_TRUE(nl_->add_address(vg0_, address("192.0.2.10/24 brd 192.0.2.63")).ok());
    ASSERT_TRUE(nl_->add_address(vg0_, address("198.51.100.10/24 brd -")).ok());
    ASSERT_TRUE(nl_->add_address(vg0_, address("203.0.113.10/24")).ok());
    EXPECT_EQ(find_addr("192.0.2.10").value("broadcast", ""), "192.0.2.63");
    EXPECT_EQ(find_addr("198.51.100.10").value("broadcast", ""), "198.51.100.0");
    EXPECT_FALSE(find_addr("203.0.113.10").contains("broadcast"));
    EXPECT_EQ(find_addr("203.0.113.10").value("scope", ""), "global");
}

TEST_F(NetlinkAddress, AddAndRemoveAreIdempotent) {
    const auto vip = address("192.0.2.10/24");
    ASSERT_TRUE(nl_->add_address(vg0_, vip).ok());
    const Status again = nl_->add_address(vg0_, vip);
    EXPECT_TRUE(again.ok()) << again.error();
    ASSERT_TRUE(nl_->remove_address(vg0_, vip).ok());
    const Status gone = nl_->remove_address(vg0_, vip);
    EXPECT_TRUE(gone.ok()) << gone.error();
    EXPECT_TRUE(find_addr("192.0.2.10").is_null());
}

TEST_F(NetlinkAddress, RemovingAVipLeavesTheOtherAddressesAlone) {
    ASSERT_TRUE(sh("ip addr add 192.0.2.1/24 dev vg0"));
    ASSERT_TRUE(sh("ip addr add 2001:db8::1/64 dev vg0 nodad"));
    ASSERT_TRUE(nl_->add_address(vg0_, address("192.0.2.10/24")).ok());
    ASSERT_TRUE(nl_->add_address(vg0_, address("192.0.2.11/24")).ok());
    ASSERT_TRUE(nl_->add_address(vg0_, address("198.51.100.10/32")).ok());
    // The same address with another prefix length is another address: not removed.
    const Status s = nl_->remove_address(vg0_, address("192.0.2.11/25"));
    EXPECT_TRUE(s.ok()) << s.error();
    EXPECT_FALSE(find_addr("192.0.2.11").is_null());

    ASSERT_TRUE(nl_->remove_address(vg0_, address("192.0.2.10/24")).ok());
    EXPECT_TRUE(find_addr("192.0.2.10").is_null());
    for (const char* other : {"192.0.2.1", "192.0.2.11", "198.51.100.10"})
        EXPECT_FALSE(find_addr(other).is_null()) << other;
    EXPECT_FALSE(find_addr("2001:db8::1", "inet6").is_null());
}

// keepalived adds IPv6 addresses without duplicate address detection: usable at once, never
// "dadfailed" while the previous master still answers for the address.
TEST_F(NetlinkAddress, Ipv6VipWithoutDadIgnoresScope) {
    const Status s = nl_->add_address(vg0_, address("2001:db8::10/64 scope host"));
    ASSERT_TRUE(s.ok()) << s.error();
    const auto a = find_addr("2001:db8::10", "inet6");
    ASSERT_FALSE(a.is_null());
    EXPECT_EQ(a.value("prefixlen", 0), 64);
    EXPECT_EQ(a.value("scope", ""), "global");
    EXPECT_FALSE(a.contains("tentative"));
    EXPECT_TRUE(a.value("nodad", false));

    ASSERT_TRUE(nl_->add_address(vg0_, address("2001:db8::10/64")).ok());  // idempotent
    ASSERT_TRUE(nl_->remove_address(vg0_, address("2001:db8::10/64")).ok());
    EXPECT_TRUE(find_addr("2001:db8::10", "inet6").is_null());
}

// -nodad asks for duplicate address detection: the address is tentative until it is over.
TEST_F(NetlinkAddress, MinusNodadRunsDuplicateAddressDetection) {
    ASSERT_TRUE(nl_->add_address(vg0_, address("2001:db8::11/64 -nodad")).ok());
    const auto a = find_addr("2001:db8::11", "inet6");
    ASSERT_FALSE(a.is_null());
    EXPECT_FALSE(a.value("nodad", false));
    EXPECT_TRUE(a.value("tentative", false));
}

TEST_F(NetlinkAddress, Ipv6FlagsAndPreferredLifetime) {
    const Status s = nl_->add_address(
        vg0_, address("2001:db8:1::10/64 noprefixroute mngtmpaddr preferred_lft 100"));
    ASSERT_TRUE(s.ok()) << s.error();
    const auto a = find_addr("2001:db8:1::10", "inet6");
    ASSERT_FALSE(a.is_null());
    EXPECT_TRUE(a.value("noprefixroute", false));
    EXPECT_TRUE(a.value("mngtmpaddr", false));
    EXPECT_LE(a.value("preferred_life_time", 0U), 100U);
    EXPECT_GE(a.value("preferred_life_time", 0U), 90U);
    EXPECT_EQ(a.value("valid_life_time", 0U), 0xFFFFFFFFU);
    // noprefixroute: no 2001:db8:1::/64 route appeared.
    EXPECT_TRUE(ip_json("-6 route show 2001:db8:1::/64").empty());
}

TEST_F(NetlinkAddress, PeerAddress) {
    const Status s = nl_->add_address(vg0_, address("192.0.2.20 peer 192.0.2.21/32"));
    ASSERT_TRUE(s.ok()) << s.error();
    const auto a = find_addr("192.0.2.20");
    ASSERT_FALSE(a.is_null());
    EXPECT_EQ(a.value("address", ""), "192.0.2.21");
    EXPECT_EQ(a.value("prefixlen", 0), 32);
    ASSERT_TRUE(nl_->remove_address(vg0_, address("192.0.2.20 peer 192.0.2.21/32")).ok());
    EXPECT_TRUE(find_addr("192.0.2.20").is_null());
}

TEST_F(NetlinkAddress, LabelMustStartWithTheInterfaceName) {
    const Status s = nl_->add_address(vg0_, address("192.0.2.10/24 label eth0:1"));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error(),
              "cannot add 192.0.2.10/24 to vg0: label 'eth0:1' must start with the interface "
              "name");
    EXPECT_TRUE(find_addr("192.0.2.10").is_null());
}

TEST_F(NetlinkAddress, KernelErrorsNameTheAddressAndTheReason) {
    ASSERT_TRUE(sh("sysctl -w net.ipv6.conf.vg0.disable_ipv6=1"));
    const Status s = nl_->add_address(vg0_, address("2001:db8::10/64"));
    ASSERT_FALSE(s.ok());
    // The errno's text, then the kernel's extended acknowledgement saying why.
    EXPECT_TRUE(
        contains(s.error(), "cannot add 2001:db8::10/64 to vg0: Permission denied (kernel: "));
    EXPECT_TRUE(contains(s.error(), "IPv6 is disabled on this device)"));
}

TEST_F(NetlinkAddress, AddressesListThePrimaryFirst) {
    ASSERT_TRUE(sh("ip addr add 192.0.2.1/24 dev vg0"));
    ASSERT_TRUE(sh("ip addr add 192.0.2.10/24 dev vg0"));  // secondary
    ASSERT_TRUE(sh("ip addr add 198.51.100.1/24 dev vg0"));
    auto v4 = nl_->addresses(vg0_, Family::inet);
    ASSERT_TRUE(v4.ok()) << v4.error();
    ASSERT_EQ(v4->size(), 3U);
    EXPECT_EQ(v4->at(0).prefix.to_string(), "192.0.2.1/24");
    EXPECT_FALSE(v4->at(0).secondary);
    EXPECT_EQ(v4->at(2).prefix.to_string(), "192.0.2.10/24");  // the secondary after the primaries
    EXPECT_TRUE(v4->at(2).secondary);

    ASSERT_TRUE(sh("ip addr add 2001:db8::1/64 dev vg0 nodad"));
    ASSERT_TRUE(sh("ip addr add 2001:db8::2/64 dev vg0"));  // tentative for a second
    auto v6 = nl_->addresses(vg0_, Family::inet6);
    ASSERT_TRUE(v6.ok()) << v6.error();
    ASSERT_GE(v6->size(), 3U);
    EXPECT_TRUE(v6->front().prefix.address.is_link_local()) << v6->front().prefix.to_string();
    bool found = false;
    bool tentative = false;
    for (const auto& a : v6.value()) {
        found = found || (a.prefix.to_string() == "2001:db8::1/64" && !a.tentative);
        tentative = tentative || (a.prefix.to_string() == "2001:db8::2/64" && a.tentative);
    }
    EXPECT_TRUE(found);
    EXPECT_TRUE(tentative);

    auto none = nl_->addresses(nl_->link("vg1")->ifindex, Family::inet);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
}

TEST_F(NetlinkAddress, Ipv6PeerAddress) {
    const Status s = nl_->add_address(vg0_, address("2001:db8::20 peer 2001:db8::21/128"));
    ASSERT_TRUE(s.ok()) << s.error();
    const auto a = find_addr("2001:db8::20", "inet6");
    ASSERT_FALSE(a.is_null());
    EXPECT_EQ(a.value("address", ""), "2001:db8::21");
    ASSERT_TRUE(nl_->remove_address(vg0_, address("2001:db8::20 peer 2001:db8::21/128")).ok());
    EXPECT_TRUE(find_addr("2001:db8::20", "inet6").is_null());
}

}  // namespace
}  // namespace vigil::net::testing
