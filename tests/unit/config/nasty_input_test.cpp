// Malformed and hostile input: every case ends in diagnostics, never a crash or a hang.
#include <gtest/gtest.h>

#include <random>

#include "test_util.h"

namespace vigil::config {
namespace {

using testing::load;

TEST(NastyInput, BinaryJunk) {
    std::mt19937 rng(1);
    for (int round = 0; round < 50; ++round) {
        std::string junk(4096, '\0');
        for (auto& c : junk) c = static_cast<char>(rng());
        const auto r = load(junk);
        (void)r.render_diagnostics();
    }
}

TEST(NastyInput, BracesAndQuotesSoup) {
    for (const char* text : {"{{{{", "}}}}", "\"\"\"\"", "''''{", "a { b { c", "$", "${",
                             "$A=", "~SEQ(", "~LST({", "@", "@^", "include", "\\", "{ } { }",
                             "vrrp_instance {", "global_defs { } }", "$X=${X}${X}\n$X"}) {
        const auto r = load(text);
        (void)r.render_diagnostics();
    }
}

TEST(NastyInput, HugeFileParses) {
    std::string text;
    for (int i = 0; i < 200000; ++i) text += "! comment line " + std::to_string(i) + "\n";
    const auto r = load(text);
    EXPECT_TRUE(r.ok()) << r.render_diagnostics();
}

TEST(NastyInput, VeryLongLine) {
    const std::string text = "global_defs {\n router_id " + std::string(1 << 20, 'x') + "\n}\n";
    const auto r = load(text);
    (void)r.render_diagnostics();
}

TEST(NastyInput, ExponentialParameters) {
    std::string text = "$A0=x\n";
    for (int i = 1; i < 40; ++i)
        text += "$A" + std::to_string(i) + "=${A" + std::to_string(i - 1) + "}${A" +
                std::to_string(i - 1) + "}\n";
    text += "v ${A39}\n";
    const auto r = load(text);
    EXPECT_FALSE(r.ok());
}

TEST(NastyInput, DiagnosticsAreBounded) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += "}\n";
    const auto r = load(text);
    EXPECT_EQ(r.diags.error_count(), 100000U);
    EXPECT_LE(r.diags.all().size(), Diagnostics::max_kept);
    EXPECT_NE(r.render_diagnostics().find("more diagnostics not shown"), std::string::npos);
}

}  // namespace
}  // namespace vigil::config

namespace vigil::config {
namespace {

// keepalived ignores words after a keyword's arguments; vigil ignores them too, with a warning
// at the first surplus word, in every area.
TEST(SurplusWords, AreWarningsInEveryArea) {
    struct Case {
        std::string text;
        std::string where;
    };
    const std::vector<Case> cases = {
        {"global_defs {\n  vrrp_iptables a b c\n}\n", ":2:21: warning:"},
        {"global_defs {\n  script_user root root extra\n}\n", ":2:25: warning:"},
        {"global_defs {\n  snmp_socket a b\n}\n", ":2:17: warning:"},
        {"bfd_instance b {\n  neighbor_ip 192.0.2.1\n  passive 1\n}\n", ":3:11: warning:"},
        {"virtual_server 192.0.2.1 80 {\n  protocol TCP\n  snmp_name a b\n}\n", ":3:15: warning:"},
        {"virtual_server 192.0.2.1 80 {\n  protocol TCP\n  ha_suspend yes\n}\n", ":3:14: warning:"},
        {"virtual_server_group g {\n  192.0.2.1 80 90\n}\n", ":2:16: warning:"},
    };
    for (const auto& c : cases) {
        const auto r = testing::load(c.text);
        EXPECT_TRUE(r.ok()) << c.text << testing::diags(r);
        EXPECT_TRUE(testing::has_diag(r, "keepalived.conf" + c.where))
            << c.text << testing::diags(r);
        EXPECT_TRUE(testing::has_diag(r, "ignored")) << c.text;
    }
}

}  // namespace
}  // namespace vigil::config

#include "config/dump.h"

namespace vigil::config {
namespace {

// Found by the fuzzer: configured strings need not be UTF-8, and the JSON dump must not throw.
TEST(NastyInput, InvalidUtf8InStringsDumps) {
    const auto r = testing::load("global_defs {\n    router_id caf\xe9\xff\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    const auto j = dump_json(*r.model);
    EXPECT_NE(j.find("\"router_id\": \"caf\xef\xbf\xbd\xef\xbf\xbd\""), std::string::npos) << j;
    EXPECT_FALSE(dump_text(*r.model).empty());
}

}  // namespace
}  // namespace vigil::config
