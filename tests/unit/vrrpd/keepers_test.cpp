// The engine's pure parts: which lines a reload moves, and which address an instance sends
// from.
#include <gtest/gtest.h>

#include "config/config.h"
#include "vrrpd/address_keeper.h"
#include "vrrpd/socket_keeper.h"
#include "vrrpd/trackers.h"

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

namespace vigil::vrrpd {
namespace {

ProcessDef def(std::vector<std::string> process, config::ParamMatch m = config::ParamMatch::none,
               bool full = false) {
    return {"p", std::move(process), m, full};
}

// keepalived 2.2.7, measured: the name is compared with comm (15 characters), or with the
// whole argv[0] with full_command; then the parameters.
TEST(ProcessMatches, NameCommandAndParameters) {
    EXPECT_TRUE(process_matches(def({"nginx"}), "nginx", {"/usr/sbin/nginx", "-g", "x"}));
    EXPECT_FALSE(process_matches(def({"ngin"}), "nginx", {}));
    EXPECT_FALSE(process_matches(def({"ktsleep_very_long_name_x"}), "ktsleep_very_lo", {}));
    EXPECT_TRUE(process_matches(def({"ktsleep_very_lo"}), "ktsleep_very_lo", {}));
    const auto full = def({"/tmp/ktsleepB"}, config::ParamMatch::none, true);
    EXPECT_TRUE(process_matches(full, "ktsleepB", {"/tmp/ktsleepB", "1000"}));
    EXPECT_FALSE(process_matches(def({"ktsleepB"}, config::ParamMatch::none, true), "ktsleepB",
                                 {"/tmp/ktsleepB", "1000"}));
    const std::vector<std::string> argv{"/bin/sleep", "1000", "5"};
    EXPECT_FALSE(process_matches(def({"/bin/sleep", "1000"}, config::ParamMatch::exact, true),
                                 "sleep", argv));
    EXPECT_TRUE(process_matches(def({"/bin/sleep", "1000"}, config::ParamMatch::partial, true),
                                "sleep", argv));
    EXPECT_FALSE(process_matches(def({"/bin/sleep", "100"}, config::ParamMatch::partial, true),
                                 "sleep", argv));
    EXPECT_TRUE(process_matches(def({"/bin/sleep", "10"}, config::ParamMatch::initial, true),
                                "sleep", argv));
    EXPECT_TRUE(process_matches(def({"/bin/sleep"}, config::ParamMatch::exact, true), "sleep",
                                {"/bin/sleep"}));
    EXPECT_FALSE(
        process_matches(def({"/bin/sleep"}, config::ParamMatch::exact, true), "sleep", argv));
}

}  // namespace
}  // namespace vigil::vrrpd
