#include "vrrp/receive_check.h"

#include <gtest/gtest.h>

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

struct Fixture : ::testing::Test {
    ReceivePolicy p;
    Advert a;
    RxMeta meta{ip("192.0.2.2"), ip("224.0.0.18"), 255};
    Fixture() {
        p.vips = {ip("192.0.2.100"), ip("192.0.2.101")};
        a.vrid = 51;
        a.priority = 150;
        a.addresses = {ip("192.0.2.101"), ip("192.0.2.100")};  // order does not matter
    }
    std::optional<InstanceReject> check(bool same_master = false) {
        return check_received(a, meta, p, same_master);
    }
};

TEST_F(Fixture, AcceptsAMatchingAdvert) {
    EXPECT_FALSE(check());
}

TEST_F(Fixture, MulticastNeedsTtl255) {
    meta.ttl = 254;
    EXPECT_EQ(check(), InstanceReject::ttl);
    p.unicast = true;  // a unicast advert may be routed
    EXPECT_FALSE(check());
}

TEST_F(Fixture, VersionMustMatch) {
    a.version = 2;
    EXPECT_EQ(check(), InstanceReject::version_mismatch);
}

TEST_F(Fixture, V2AuthenticationAndInterval) {
    p.version = a.version = 2;
    p.auth_type = AuthType::pass;
    const std::string pw = "secret12";
    std::copy(pw.begin(), pw.end(), p.auth_data.begin());
    EXPECT_EQ(check(), InstanceReject::auth_type_mismatch);
    a.auth_type = AuthType::pass;
    EXPECT_EQ(check(), InstanceReject::auth_failure);
    a.auth_data = p.auth_data;
    EXPECT_FALSE(check());
    a.interval = 2s;
    EXPECT_EQ(check(), InstanceReject::interval_mismatch);
}

TEST_F(Fixture, V3LearnsTheIntervalInsteadOfRejecting) {
    a.interval = 2s;
    EXPECT_FALSE(check());
}

TEST_F(Fixture, AddressListMustMatchUnlessSkippedForTheSameMaster) {
    a.addresses = {ip("192.0.2.100")};
    EXPECT_EQ(check(), InstanceReject::address_mismatch);
    a.addresses = {ip("192.0.2.100"), ip("192.0.2.102")};
    EXPECT_EQ(check(), InstanceReject::address_mismatch);
    p.skip_check_adv_addr = true;
    EXPECT_EQ(check(false), InstanceReject::address_mismatch);  // a new master is checked
    EXPECT_FALSE(check(true));
}

TEST_F(Fixture, UnicastChecks) {
    p.unicast = true;
    p.peers = {{ip("192.0.2.2"), std::nullopt, std::nullopt}};
    meta.source = ip("192.0.2.9");
    EXPECT_FALSE(check());  // anyone may send without check_unicast_src
    p.check_unicast_src = true;
    EXPECT_EQ(check(), InstanceReject::unknown_source);
    meta.source = ip("192.0.2.2");
    EXPECT_FALSE(check());
    // min_ttl/max_ttl on a peer implies check_unicast_src and bounds the TTL.
    p.check_unicast_src = false;
    p.peers = {{ip("192.0.2.2"), 250, 254}};
    meta.ttl = 255;
    EXPECT_EQ(check(), InstanceReject::ttl_out_of_range);
    meta.ttl = 249;
    EXPECT_EQ(check(), InstanceReject::ttl_out_of_range);
    meta.ttl = 252;
    EXPECT_FALSE(check());
    meta.source = ip("192.0.2.9");
    EXPECT_EQ(check(), InstanceReject::unknown_source);
}

}  // namespace
}  // namespace vigil::vrrp
