// vigil's rule for keywords: each one acts, or reading it says "not supported". The keyword
// catalogue lists every table; these tests walk it, and keep docs/compatibility.md (generated
// from it) current.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "test_util.h"

namespace vigil::config {
namespace {

using testing::load;

// Blocks whose lines are items (addresses, names, ranges), not keywords.
const std::set<std::string, std::less<>> list_blocks = {"virtual_ipaddress",
                                                        "virtual_ipaddress_excluded",
                                                        "virtual_routes",
                                                        "virtual_rules",
                                                        "static_ipaddress",
                                                        "static_routes",
                                                        "static_rules",
                                                        "unicast_peer",
                                                        "track_interface",
                                                        "track_script",
                                                        "track_file",
                                                        "track_process",
                                                        "track_bfd",
                                                        "group",
                                                        "interfaces",
                                                        "notification_email",
                                                        "linkbeat_interfaces",
                                                        "interface_up_down_delays",
                                                        "virtual_server_group",
                                                        "vrrp_ipsets",
                                                        "nftables",
                                                        "nftables_ipvs"};

// Contexts below the top level that these tests can write a keyword into.
const std::map<std::string, std::pair<std::string, std::string>, std::less<>> skeletons = {
    {"top level", {"", ""}},
    {"global_defs", {"global_defs {\n", "}\n"}},
    {"vrrp_instance", {"vrrp_instance VI_1 {\n", "}\n"}},
    {"virtual_server", {"virtual_server 192.0.2.1 80 {\n", "}\n"}},
    {"real_server", {"virtual_server 192.0.2.1 80 {\nreal_server 192.0.2.2 80 {\n", "}\n}\n"}},
    {"MISC_CHECK",
     {"virtual_server 192.0.2.1 80 {\nreal_server 192.0.2.2 80 {\nMISC_CHECK {\n", "}\n}\n}\n"}},
};

const CataloguedTable* find_table(const KeywordCatalogue& c, std::string_view context) {
    for (const auto& t : c)
        if (t.context == context) return &t;
    return nullptr;
}

// The block keywords that are not supported as a whole: their tables' keywords with them.
std::set<std::string, std::less<>> unsupported_blocks(const KeywordCatalogue& c) {
    std::set<std::string, std::less<>> out;
    for (const auto& t : c)
        for (const auto& k : t.keywords)
            if (k.block != BlockUse::none && !k.unsupported.empty()) out.insert(k.name);
    return out;
}

TEST(KeywordCatalogue, EveryBlockKeywordHasItsTable) {
    const auto c = keyword_catalogue();
    ASSERT_GT(c.size(), 20U);
    for (const auto& t : c)
        for (const auto& k : t.keywords) {
            if (k.block == BlockUse::none || !k.alias_of.empty()) continue;
            EXPECT_TRUE(find_table(c, k.name) != nullptr || list_blocks.contains(k.name))
                << t.context << ": block keyword '" << k.name
                << "' has no table in the catalogue (add it, or list it as a list block)";
        }
}

TEST(KeywordCatalogue, EveryUnsupportedKeywordSaysSoWhereItIsRead) {
    std::size_t walked = 0;
    for (const auto& t : keyword_catalogue()) {
        const auto sk = skeletons.find(t.context);
        for (const auto& k : t.keywords) {
            if (k.unsupported.empty()) continue;
            ASSERT_NE(sk, skeletons.end())
                << "no skeleton for '" << t.context << "' (unsupported '" << k.name << "')";
            const auto& [open, close] = sk->second;
            const auto line =
                static_cast<std::size_t>(std::count(open.begin(), open.end(), '\n')) + 1;
            const std::string use = k.block == BlockUse::none
                                        ? k.name
                                        : k.name + (t.context == "top level" ? " X {\n}" : " {\n}");
            const auto r = load(open + "    " + use + "\n" + close);
            const auto text = testing::diags(r);
            EXPECT_NE(text.find(fmt::format("keepalived.conf:{}:5: warning: '{}' is not supported "
                                            "by vigil",
                                            line, k.name)),
                      std::string::npos)
                << t.context << " " << k.name << ":\n"
                << text;
            ++walked;
        }
    }
    EXPECT_GT(walked, 100U);
}

TEST(KeywordCatalogue, SupportedKeywordsSayNothingOfIt) {
    const auto r = load(R"(global_defs {
    router_id r1
    vrrp_garp_master_delay 2
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
    priority 100
    virtual_ipaddress {
        192.0.2.10/24
    }
}
)");
    EXPECT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_EQ(testing::diags(r).find("not supported"), std::string::npos) << testing::diags(r);
}

// BFD is not implemented: a real server checked by BFD_CHECK (and something else) is
// checked by the rest alone, never held down for the BFD_CHECK.
TEST(KeywordCatalogue, BfdCheckIsDroppedWithAWarning) {
    const auto r = load(R"(bfd_instance b1 {
    neighbor_ip 192.0.2.2
}
virtual_server 192.0.2.1 80 {
    real_server 192.0.2.2 80 {
        BFD_CHECK {
            name b1
        }
        TCP_CHECK {
        }
    }
}
)");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_TRUE(testing::has_diag(r, "keepalived.conf:6:9: warning: 'BFD_CHECK' is not supported"))
        << testing::diags(r);
    const auto& rs = r.model->lvs.virtual_servers.at(0).real_servers.at(0);
    ASSERT_EQ(rs.checkers.size(), 1U);
    EXPECT_TRUE(std::holds_alternative<TcpCheck>(rs.checkers[0].kind));
}

std::string status_of(const KeywordInfo& k, bool in_unsupported_block) {
    if (!k.alias_of.empty()) return "alias of `" + k.alias_of + "`";
    if (!k.unsupported.empty()) return "**not supported**: " + k.unsupported;
    if (in_unsupported_block) return "**not supported** (with its block)";
    return "acts";
}

std::string compatibility_markdown(const KeywordCatalogue& c) {
    const auto blocks = unsupported_blocks(c);
    std::ostringstream out;
    out << "# Compatibility: what vigil does with each keyword of keepalived.conf\n\n"
           "Generated from vigil's keyword tables by `scripts/update-compatibility.sh`; the unit "
           "test\n`KeywordCatalogue.CompatibilityDocIsCurrent` fails when it is out of date.\n\n"
           "- **acts**: vigil acts on the keyword as keepalived 2.2.7 does; where it differs, "
           "the\n  difference is written in [configuration.md](configuration.md), "
           "[vrrp.md](vrrp.md),\n  [checkers.md](checkers.md) or [ipvs.md](ipvs.md).\n"
           "- **not supported**: vigil reads the keyword and checks its syntax, then ignores "
           "it. It says so\n  where it reads it, at load (in the daemon's log) and in `vigild "
           "-t`, as a warning that\n  names the keyword and its file:line:column and contains "
           "\"not supported\". The reason\n  is given here and in the warning.\n\n"
           "Keywords that keepalived does not know are skipped with a warning (\"unknown "
           "keyword\").\n";
    std::size_t acts = 0;
    std::size_t unsupported = 0;
    for (const auto& t : c) {
        const bool whole = blocks.contains(t.context);
        out << "\n## " << t.context << "\n\n| keyword | status |\n|---|---|\n";
        for (const auto& k : t.keywords) {
            out << "| `" << k.name << "` | " << status_of(k, whole) << " |\n";
            if (!k.alias_of.empty()) continue;
            (k.unsupported.empty() && !whole ? acts : unsupported) += 1;
        }
    }
    out << "\n"
        << acts << " keyword entries act and " << unsupported
        << " are not supported (aliases not counted; a keyword of several blocks counts once "
           "per block).\n";
    return out.str();
}

TEST(KeywordCatalogue, CompatibilityDocIsCurrent) {
    const std::string path = VIGIL_SOURCE_DIR "/docs/compatibility.md";
    const auto expected = compatibility_markdown(keyword_catalogue());
    if (std::getenv("VIGIL_WRITE_COMPATIBILITY") != nullptr) {
        std::ofstream(path, std::ios::trunc) << expected;
        return;
    }
    std::ifstream in(path);
    std::stringstream have;
    have << in.rdbuf();
    EXPECT_EQ(have.str(), expected)
        << path << " is out of date: run scripts/update-compatibility.sh and commit it";
}

}  // namespace
}  // namespace vigil::config
