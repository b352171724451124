// `vigilctl genhash` against Debian's keepalived genhash on the same nginx pages: same
// digests, same verbose layout (dates and timings masked), and keepalived's dump format.
#include "app/genhash.h"

#include <regex>

#include "nginx_fixture.h"

namespace vigil::check::testing {
namespace {

TEST(GenhashHexDump, KeepalivedsLayout) {
    EXPECT_EQ(app::hex_dump("HTTP/1.1 200 OK\r\n"),
              "0000  48 54 54 50 2f 31 2e 31 - 20 32 30 30 20 4f 4b 0d   HTTP/1.1 200 OK.\n"
              "0016  0a                      -                           .               \n");
    EXPECT_EQ(app::hex_dump("es\r\n\r\n", 224),
              "0224  65 73 0d 0a 0d 0a       -                           es....          \n");
    EXPECT_EQ(app::hex_dump(std::string(16, '\x7f'), 10000),
              "10000  7f 7f 7f 7f 7f 7f 7f 7f - 7f 7f 7f 7f 7f 7f 7f 7f   ................\n");
    EXPECT_EQ(app::hex_dump(""), "");
}

class GenhashTest : public NginxTest {
  protected:
    static std::string vigilctl(const std::string& args) {
        return capture(std::string(VIGILCTL_PATH) + " genhash " + args + " 2>/dev/null");
    }
    static std::string keepalived(const std::string& args) {
        return capture("genhash " + args + " 2>/dev/null");
    }
    // Drops what differs between two fetches: dates (and their hex dump lines) and timings.
    static std::string masked(const std::string& out) {
        static const std::regex volatile_line(
            R"((^|\n)(Date: [^\n]*|Last-Modified: [^\n]*|\d{4}  [^\n]*|Global response time[^\n]*))");
        return std::regex_replace(out, volatile_line, "$1#");
    }
};

TEST_F(GenhashTest, SameDigestsAsKeepalived) {
    for (const std::string args :
         {"-s 127.0.0.1 -p 8080 -u /index.html", "-s 127.0.0.1 -p 8080 -u /big.txt",
          "-s 127.0.0.1 -p 8080 -u /missing",
          "-s 127.0.0.1 -p 8080 -u /index.html -P 1.1 -V vhost.example",
          "--server 127.0.0.1 --port 8080 --url /index.html "
          "--protocol 1.0c --use-virtualhost vhost.example",
          "-S -s 127.0.0.1 -p 8443 -u /index.html",
          "-S -I -V sni.example -s 127.0.0.1 -p 8443 -u /index.html"}) {
        const auto ours = vigilctl(args);
        EXPECT_EQ(ours, keepalived(args)) << args;
        EXPECT_EQ(ours.size(), 33U) << args;
    }
    EXPECT_EQ(vigilctl("-s 127.0.0.1 -p 8080 -u /index.html"), md5_of(index_body) + "\n");
    EXPECT_EQ(vigilctl("-s 127.0.0.1 -p 8080 -u /index.html -V vhost.example"),
              md5_of(vhost_body) + "\n");
    EXPECT_NE(access_log("sni=sni.example \"GET /index.html HTTP/1.0\"")
                  .find("sni=sni.example \"GET /index.html HTTP/1.0\""),
              std::string::npos);
}

TEST_F(GenhashTest, VerboseOutputAsKeepalived) {
    const std::string args = "-s 127.0.0.1 -p 8080 -u /index.html -v";
    const auto ours = vigilctl(args);
    EXPECT_EQ(masked(ours), masked(keepalived(args)));
    EXPECT_NE(ours.find("HTTP Header Ascii Buffer"), std::string::npos);
    EXPECT_NE(ours.find("Global response time for [/index.html] = "), std::string::npos);
}

TEST_F(GenhashTest, FailuresExitNonZero) {
    nginx_->stop();
    int status = std::system((std::string(VIGILCTL_PATH) +  // NOLINT(cert-env33-c)
                              " genhash -s 127.0.0.1 -p 8080 -u / >/dev/null 2>&1")
                                 .c_str());
    EXPECT_EQ(WEXITSTATUS(status), 1);
    EXPECT_EQ(vigilctl("-s 127.0.0.1 -p 8080 -u /"), "");
    status = std::system((std::string(VIGILCTL_PATH) +  // NOLINT(cert-env33-c)
                          " genhash -s 127.0.0.1 -u / >/dev/null 2>&1")
                             .c_str());
    EXPECT_EQ(WEXITSTATUS(status), 1);  // -p is required, as in keepalived
}

}  // namespace
}  // namespace vigil::check::testing
