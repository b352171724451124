#include "config/tree.h"

#include <gtest/gtest.h>

#include "config/reader.h"

namespace vigil::config {
namespace {

struct Built {
    std::vector<Node> nodes;
    SourceFiles files;
    Diagnostics diags;
};

Built build(const std::string& text) {
    Built b;
    MemoryFileSource fs;
    fs.add("t.conf", text);
    auto r = read_config("t.conf", ReadOptions{}, fs, b.files, b.diags);
    b.nodes = build_tree(std::move(r.lines), b.diags);
    return b;
}

TEST(Tree, BlocksOnSameAndNextLine) {
    const auto b = build("a x {\n  b 1\n  c {\n    d\n  }\n}\ne\n{\n f\n}\n");
    ASSERT_FALSE(b.diags.has_errors()) << b.diags.render(b.files);
    ASSERT_EQ(b.nodes.size(), 2U);
    EXPECT_EQ(b.nodes[0].keyword.text, "a");
    EXPECT_EQ(b.nodes[0].args[0].text, "x");
    ASSERT_EQ(b.nodes[0].children.size(), 2U);
    EXPECT_EQ(b.nodes[0].children[1].children[0].keyword.text, "d");
    EXPECT_TRUE(b.nodes[1].has_block);
    EXPECT_EQ(b.nodes[1].children[0].keyword.text, "f");
}

TEST(Tree, OneLineBlock) {
    const auto b = build("track_script { chk_a }\nurl { path /x }\n");
    ASSERT_EQ(b.nodes.size(), 2U);
    EXPECT_EQ(b.nodes[0].children[0].keyword.text, "chk_a");
    EXPECT_EQ(b.nodes[1].children[0].args[0].text, "/x");
}

TEST(Tree, UnclosedBlockNamesWhereItOpened) {
    const auto b = build("vrrp_instance VI_1 {\n  priority 1\n");
    // keepalived 2.2.7 closes it at the end and runs: a warning, the block is complete.
    ASSERT_EQ(b.diags.error_count(), 0U);
    ASSERT_EQ(b.diags.warning_count(), 1U);
    ASSERT_EQ(b.nodes.size(), 1U);
    EXPECT_EQ(b.nodes[0].children.size(), 1U);
    const auto text = b.diags.render(b.files);
    EXPECT_NE(text.find("t.conf:1:20: warning: block of 'vrrp_instance' is never closed"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("  vrrp_instance VI_1 {\n                     ^"), std::string::npos)
        << text;
}

TEST(Tree, StrayBraces) {
    EXPECT_EQ(build("}\n").diags.error_count(), 1U);
    EXPECT_EQ(build("{\n}\n").diags.error_count(), 1U);
    EXPECT_EQ(build("a {\n} {\n}\n").diags.error_count(), 1U);
}

TEST(Tree, DeepNestingIsAnErrorNotACrash) {
    std::string text;
    for (int i = 0; i < 10000; ++i) text += "a {\n";
    for (int i = 0; i < 10000; ++i) text += "}\n";
    const auto b = build(text);
    EXPECT_EQ(b.diags.error_count(), 1U);
    EXPECT_NE(b.diags.render(b.files).find("nested deeper than 32"), std::string::npos);
}

}  // namespace
}  // namespace vigil::config
