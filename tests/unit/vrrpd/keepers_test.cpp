// The engine's pure parts: which lines a reload moves, and which address an instance sends
// from.
#include <gtest/gtest.h>

#include "config/config.h"
#include "vrrpd/address_keeper.h"
#include "vrrpd/socket_keeper.h"

namespace vigil::vrrpd {
namespace {

config::AddressSpec vip(const char* line, std::uint32_t at = 1) {
    config::LoadOptions o;
    o.read.config_id = "main";
    const auto r = config::load_config_text(
        std::string("static_ipaddress {\n") + std::string(at, '\n') + line + "\n}\n", o);
    EXPECT_TRUE(r.ok()) << r.render_diagnostics();
    return r.model->globals.static_addresses.at(0);
}

TEST(DiffLines, OnlyChangedStatementsMove) {
    const std::vector held{vip("192.0.2.1/24 dev eth0"), vip("192.0.2.2/24 dev eth0")};
    // The same statements on other lines, one changed, one new.
    const std::vector wanted{vip("192.0.2.2/24 dev eth0", 5), vip("192.0.2.1/25 dev eth0", 6),
                             vip("192.0.2.3/24 dev eth0", 7)};
    const auto d = diff_lines(held, wanted);
    ASSERT_EQ(d.remove.size(), 1U);
    EXPECT_EQ(d.remove[0].address.to_string(), "192.0.2.1/24");
    ASSERT_EQ(d.add.size(), 2U);
    EXPECT_EQ(d.add[0].address.to_string(), "192.0.2.1/25");
    EXPECT_EQ(d.add[1].address.to_string(), "192.0.2.3/24");
    EXPECT_TRUE(diff_lines(held, held).add.empty());
}

net::InterfaceAddress a(const char* p, bool secondary = false, bool tentative = false) {
    return {*IpPrefix::parse(p), secondary, tentative};
}

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

TEST(ChooseSource, Ipv4PrimaryNeverAVip) {
    const std::vector on{a("192.0.2.100/24"), a("192.0.2.1/24", true), a("198.51.100.1/24")};
    EXPECT_EQ(choose_source(Family::inet, on, {}), ip("192.0.2.100"));
    // The first primary is a VIP (another instance's, added before our address): the next one.
    EXPECT_EQ(choose_source(Family::inet, on, {ip("192.0.2.100")}), ip("198.51.100.1"));
    // Only secondaries left that are not VIPs.
    EXPECT_EQ(choose_source(Family::inet, {a("192.0.2.100/24"), a("192.0.2.1/24", true)},
                            {ip("192.0.2.100")}),
              ip("192.0.2.1"));
    EXPECT_FALSE(choose_source(Family::inet, {a("192.0.2.100/24")}, {ip("192.0.2.100")}));
}

TEST(ChooseSource, Ipv6OwnLinkLocalOnly) {
    const std::vector on{a("fe80::100/64"), a("fe80::2/64", false, true), a("2001:db8::1/64"),
                         a("fe80::1/64")};
    EXPECT_EQ(choose_source(Family::inet6, on, {ip("fe80::100")}), ip("fe80::1"));
    EXPECT_FALSE(
        choose_source(Family::inet6, {a("2001:db8::1/64"), a("fe80::2/64", false, true)}, {}));
}

}  // namespace
}  // namespace vigil::vrrpd
