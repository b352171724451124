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
