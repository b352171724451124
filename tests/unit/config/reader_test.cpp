#include "config/reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vigil::config {
namespace {

struct Read {
    ReadResult result;
    SourceFiles files;
    Diagnostics diags;
    std::vector<std::string> lines() const {
        std::vector<std::string> out;
        for (const auto& l : result.lines) {
            std::string s;
            for (const auto& t : l) s += (s.empty() ? "" : " ") + t.text;
            out.push_back(s);
        }
        return out;
    }
};

Read read_mem(MemoryFileSource& fs, const std::string& main = "/etc/k/main.conf",
              const std::string& id = "main", bool require_all = false) {
    Read r;
    ReadOptions o;
    o.config_id = id;
    o.random_seed = 7;
    o.all_includes_required = require_all;
    r.result = read_config(main, o, fs, r.files, r.diags);
    return r;
}

Read read_text(const std::string& text, const std::string& id = "main") {
    MemoryFileSource fs;
    fs.add("/etc/k/main.conf", text);
    return read_mem(fs, "/etc/k/main.conf", id);
}

using Lines = std::vector<std::string>;

TEST(Reader, CommentsAndBlankLines) {
    const auto r = read_text("# c\n! c\n\n  global_defs { # x\n  router_id a ! y\n}\n");
    EXPECT_EQ(r.lines(), (Lines{"global_defs {", "router_id a", "}"}));
    EXPECT_FALSE(r.diags.has_errors());
}

TEST(Reader, LineContinuationJoins) {
    const auto r = read_text("lvs_sync_daemon eth0 \\\n   inst VI_1 \\\n id 5\nnext\n");
    EXPECT_EQ(r.lines(), (Lines{"lvs_sync_daemon eth0 inst VI_1 id 5", "next"}));
    // The joined words keep their own line numbers.
    EXPECT_EQ(r.result.lines[0][3].loc.line, 2U);
    EXPECT_EQ(r.result.lines[0][5].loc.line, 3U);
}

TEST(Reader, CrLfLineEndings) {
    const auto r = read_text("a 1\r\nb 2\r\n");
    EXPECT_EQ(r.lines(), (Lines{"a 1", "b 2"}));
}

TEST(Reader, Conditionals) {
    const std::string text = "@main router_id m\n@backup router_id b\n@^main x 1\n@^backup y 2\n";
    EXPECT_EQ(read_text(text, "main").lines(), (Lines{"router_id m", "y 2"}));
    EXPECT_EQ(read_text(text, "backup").lines(), (Lines{"router_id b", "x 1"}));
    EXPECT_EQ(read_text(text, "other").lines(), (Lines{"x 1", "y 2"}));
}

TEST(Reader, ParametersLateBinding) {
    // The example of keepalived.conf(5): substitution happens at use, not at definition.
    const auto r = read_text(
        "$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n${ADDRESS_BASE}.100/32\n"
        "$ADDRESS_BASE_SUB=10\n${ADDRESS_BASE}.100/32\n");
    EXPECT_EQ(r.lines(), (Lines{"10.2.0.100/32", "10.2.10.100/32"}));
}

TEST(Reader, DollarNameNeedsWhitespaceAfter) {
    const auto r = read_text("$P=7\na $P\nb $P.x\nc ${P}.x\nd $UNDEF ${UNDEF}\n");
    EXPECT_EQ(r.lines(), (Lines{"a 7", "b $P.x", "c 7.x", "d $UNDEF ${UNDEF}"}));
}

TEST(Reader, ParameterWithConditional) {
    const auto main =
        read_text("@main $PRIORITY=240\n@backup $PRIORITY=200\npriority $PRIORITY\n", "main");
    EXPECT_EQ(main.lines(), (Lines{"priority 240"}));
    const auto viaparam = read_text("$IF_MAIN=@main\n$IF_MAIN priority 240\n", "backup");
    EXPECT_TRUE(viaparam.lines().empty());
    const auto viaparam2 = read_text("$IF_MAIN=@main\n$IF_MAIN priority 240\n", "main");
    EXPECT_EQ(viaparam2.lines(), (Lines{"priority 240"}));
}

TEST(Reader, EmptyValueAllowed) {
    const auto r = read_text("$ALPHA=\nx $ALPHA\n");
    EXPECT_EQ(r.lines(), (Lines{"x"}));
}

TEST(Reader, MultiLineDefinitionsNested) {
    const auto r = read_text(
        "$RS= \\\n"
        "real_server 192.0.2.${RS_NUM} 80 { \\\n"
        "    weight ${RS_NUM} \\\n"
        "}\n"
        "$VS= \\\n"
        "virtual_server 198.51.100.${VS_NUM} 80 { \\\n"
        "    $RS_NUM=1 \\\n"
        "    $RS \\\n"
        "    $RS_NUM=2 \\\n"
        "    $RS \\\n"
        "}\n"
        "$VS_NUM=4\n"
        "$VS\n");
    EXPECT_EQ(r.lines(),
              (Lines{"virtual_server 198.51.100.4 80 {", "real_server 192.0.2.1 80 {", "weight 1",
                     "}", "real_server 192.0.2.2 80 {", "weight 2", "}", "}"}));
    EXPECT_FALSE(r.diags.has_errors()) << r.diags.render(r.files);
}

TEST(Reader, SubstitutedTextPointsAtTheUse) {
    const auto r = read_text("$P=300\n\n   priority $P\n");
    ASSERT_EQ(r.result.lines.size(), 1U);
    EXPECT_EQ(r.result.lines[0][1].loc.line, 3U);
    EXPECT_EQ(r.result.lines[0][1].loc.col, 13U);
}

TEST(Reader, PredefinedParameters) {
    const auto r = read_text("a ${_PWD}\nb ${_INSTANCE}\nc ${_HASH}${_BANG}\n", "dir1");
    EXPECT_EQ(r.lines(), (Lines{"a /etc/k", "b dir1", "c #!"}));
    const auto rnd = read_text("r ${_RANDOM 5 9}\n");
    const int v = std::stoi(rnd.lines()[0].substr(2));
    EXPECT_GE(v, 5);
    EXPECT_LE(v, 9);
    // random_seed makes ${_RANDOM} repeatable.
    const auto s1 = read_text("random_seed 3\nr ${_RANDOM}\nr ${_RANDOM}\n").lines();
    const auto s2 = read_text("random_seed 3\nr ${_RANDOM}\nr ${_RANDOM}\n").lines();
    EXPECT_EQ(s1, s2);
}

TEST(Reader, RecursiveParameterIsReportedNotLooped) {
    const auto r = read_text("$A=x ${A}\nv ${A}\n");
    EXPECT_TRUE(r.diags.has_errors());
}

TEST(Reader, SeqBlocks) {
    EXPECT_EQ(read_text("~SEQ(SUBNET, 0, 3) ip 10.0.${SUBNET}.1\n").lines(),
              (Lines{"ip 10.0.0.1", "ip 10.0.1.1", "ip 10.0.2.1", "ip 10.0.3.1"}));
    EXPECT_EQ(read_text("~SEQx(S, 0x90, 0x10, 0xc0) fe80::20:${S}:1\n").lines(),
              (Lines{"fe80::20:90:1", "fe80::20:a0:1", "fe80::20:b0:1", "fe80::20:c0:1"}));
    EXPECT_EQ(read_text("~SEQ(N, 3) n${N}\n").lines(), (Lines{"n1", "n2", "n3"}));
    EXPECT_EQ(read_text("~SEQ(N, 3, 1) n${N}\n").lines(), (Lines{"n3", "n2", "n1"}));
    EXPECT_EQ(read_text("~SEQx(A, 0x12, -1, 0x10) ~SEQ(B,1,2) ${A}.${B}\n").lines(),
              (Lines{"12.1", "12.2", "11.1", "11.2", "10.1", "10.2"}));
    EXPECT_EQ(read_text("$E=2\n~SEQ(N, 1, $E) n${N}\n").lines(), (Lines{"n1", "n2"}));
}

TEST(Reader, SeqErrors) {
    EXPECT_TRUE(read_text("~SEQ(N, 1, 0, 5) x\n").diags.has_errors());
    EXPECT_TRUE(read_text("~SEQ(N, a, 5) x\n").diags.has_errors());
    EXPECT_TRUE(read_text("~SEQ(N, 1, 5 x\n").diags.has_errors());
    EXPECT_TRUE(read_text("~SEQ N x\n").diags.has_errors());
}

TEST(Reader, LstBlocks) {
    EXPECT_EQ(read_text("~LST({IP, IP1}, {10,1},{20,4}) 192.168.${IP}.${IP1}\n").lines(),
              (Lines{"192.168.10.1", "192.168.20.4"}));
    EXPECT_EQ(read_text("~LST(IP, 1, 2) ~LST(IP1, 5,6) ${IP}.${IP1}\n").lines(),
              (Lines{"1.5", "1.6", "2.5", "2.6"}));
    EXPECT_EQ(read_text("~LST({A,B},{1,2}) ~SEQ(C,7,2,9) ${A}${B}${C}\n").lines(),
              (Lines{"127", "129"}));
    EXPECT_TRUE(read_text("~LST({A,B},{1}) x\n").diags.has_errors());
}

TEST(Reader, ExpansionLimit) {
    MemoryFileSource fs;
    fs.add("/m.conf", "~SEQ(A,1,1000) ~SEQ(B,1,1000) ~SEQ(C,1,1000) x\n");
    Read r;
    ReadOptions o;
    o.max_lines = 10000;
    r.result = read_config("/m.conf", o, fs, r.files, r.diags);
    EXPECT_TRUE(r.diags.has_errors());
    EXPECT_LE(r.result.lines.size(), 10000U);
}

TEST(Reader, IncludeRelativeToIncludingFile) {
    MemoryFileSource fs;
    fs.add("/etc/k/main.conf", "a 1\ninclude conf.d/x.conf\nb 2\n");
    fs.add("/etc/k/conf.d/x.conf", "x 1\ninclude ../y.conf\nd ${_PWD}\n");
    fs.add("/etc/k/y.conf", "y 1\n");
    const auto r = read_mem(fs);
    EXPECT_EQ(r.lines(), (Lines{"a 1", "x 1", "y 1", "d /etc/k/conf.d", "b 2"}));
    EXPECT_FALSE(r.diags.has_errors());
    // Tokens know which file they came from.
    EXPECT_EQ(r.files.path(r.result.lines[2][0].loc.file), "/etc/k/y.conf");
}

TEST(Reader, IncludeGlobAndBraces) {
    MemoryFileSource fs;
    fs.add("/etc/k/main.conf", "include /etc/k/d/*.conf\ninclude /etc/k/{p,q}.conf\n");
    fs.add("/etc/k/d/b.conf", "b\n");
    fs.add("/etc/k/d/a.conf", "a\n");
    fs.add("/etc/k/p.conf", "p\n");
    fs.add("/etc/k/q.conf", "q\n");
    EXPECT_EQ(read_mem(fs).lines(), (Lines{"a", "b", "p", "q"}));
}

TEST(Reader, IncludeCycleIsAnError) {
    MemoryFileSource fs;
    fs.add("/etc/k/main.conf", "include a.conf\n");
    fs.add("/etc/k/a.conf", "a\ninclude b.conf\n");
    fs.add("/etc/k/b.conf", "b\ninclude a.conf\n");
    const auto r = read_mem(fs);
    EXPECT_EQ(r.lines(), (Lines{"a", "b"}));
    ASSERT_TRUE(r.diags.has_errors());
    const auto text = r.diags.render(r.files);
    EXPECT_NE(text.find("/etc/k/b.conf:2:9: error: include cycle"), std::string::npos) << text;
}

TEST(Reader, MissingIncludes) {
    MemoryFileSource fs;
    fs.add("/etc/k/main.conf", "include none.conf\ninclude /x/*.conf\n");
    const auto plain = read_mem(fs);
    EXPECT_FALSE(plain.diags.has_errors());
    EXPECT_EQ(plain.diags.warning_count(), 2U);
    EXPECT_TRUE(read_mem(fs, "/etc/k/main.conf", "main", true).diags.has_errors());

    fs.add("/etc/k/main.conf", "includem none.conf\nincluder /x/*.conf\n");
    const auto m = read_mem(fs);
    EXPECT_EQ(m.diags.error_count(), 1U);  // includem: no match; includer: wildcard is fine

    fs.add("/etc/k/main.conf", "includew /x/*.conf\nincludeb /etc/k/{a,b}.conf\n");
    EXPECT_EQ(read_mem(fs).diags.error_count(), 3U);

    fs.add("/etc/k/main.conf", "include_check\ninclude none.conf\n");
    EXPECT_EQ(read_mem(fs).diags.error_count(), 1U);
    fs.add("/etc/k/main.conf", "include_check match -match\ninclude none.conf\n");
    EXPECT_EQ(read_mem(fs).diags.error_count(), 0U);
    fs.add("/etc/k/main.conf", "include_check bogus\n");
    EXPECT_EQ(read_mem(fs).diags.error_count(), 1U);
}

TEST(Reader, IncludeCheckDoesNotLeakOutOfAnIncludedFile) {
    MemoryFileSource fs;
    fs.add("/etc/k/main.conf", "include a.conf\ninclude none.conf\n");
    fs.add("/etc/k/a.conf", "include_check\n");
    EXPECT_EQ(read_mem(fs).diags.error_count(), 0U);
}

TEST(Reader, MissingMainFile) {
    MemoryFileSource fs;
    const auto r = read_mem(fs, "/nope.conf");
    ASSERT_TRUE(r.diags.has_errors());
    EXPECT_NE(r.diags.render(r.files).find("cannot read configuration file '/nope.conf'"),
              std::string::npos);
}

TEST(Reader, RealFilesystemGlobBracesAndRelativePaths) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("vigil_reader_" + std::to_string(getpid()));
    fs::create_directories(dir / "conf.d");
    const auto write = [&](const fs::path& p, const std::string& s) { std::ofstream(p) << s; };
    write(dir / "main.conf", "include conf.d/*.conf\ninclude {x,y}.inc\ninclude main.conf\n");
    write(dir / "conf.d" / "1.conf", "one\n");
    write(dir / "conf.d" / "2.conf", "two ${_PWD}\n");
    write(dir / "x.inc", "x\n");
    write(dir / "y.inc", "y\n");
    RealFileSource real;
    Read r;
    ReadOptions o;
    r.result = read_config((dir / "main.conf").string(), o, real, r.files, r.diags);
    const std::string canon = fs::canonical(dir).string();
    EXPECT_EQ(r.lines(), (Lines{"one", "two " + canon + "/conf.d", "x", "y"}));
    EXPECT_EQ(r.diags.error_count(), 1U);  // main.conf including itself
    fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil::config

namespace vigil::config {
namespace {

TEST(Reader, TokenMemoryBudget) {
    MemoryFileSource fs;
    fs.add("/m.conf", "~SEQ(A,1,1000000) some_keyword with a few words\n");
    SourceFiles files;
    Diagnostics diags;
    ReadOptions o;
    o.max_token_bytes = 1U << 20U;
    const auto r = read_config("/m.conf", o, fs, files, diags);
    ASSERT_TRUE(diags.has_errors());
    EXPECT_NE(diags.render(files).find("/m.conf:1:19: error: configuration expands to more than"),
              std::string::npos)
        << diags.render(files);
    EXPECT_LT(r.lines.size(), 10000U);
}

}  // namespace
}  // namespace vigil::config
