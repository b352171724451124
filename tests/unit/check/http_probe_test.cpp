// HTTP_GET / SSL_GET: the request bytes, the streamed reply reader and regex scanner (pure),
// then whole probes against a real nginx and against in-process servers that misbehave.
#include "check/http_probe.h"

#include "check/http_request.h"
#include "check/tls_context.h"
#include "nginx_fixture.h"

namespace vigil::check::testing {
namespace {

using Kind = ProbeOutcome::Kind;
using Protocol = config::HttpCheck::Protocol;

// ---------------------------------------------------------------- request

TEST(HttpRequest, KeepalivedsBytesForEachProtocol) {
    const auto v4 = *IpAddress::parse("192.0.2.10");
    EXPECT_EQ(build_http_request("/health", Protocol::http_1_0, std::nullopt, v4, 80),
              "GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
              "Host: 192.0.2.10:80\r\n\r\n");
    EXPECT_EQ(build_http_request("/", Protocol::http_1_0c, std::nullopt, v4, 8080),
              "GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n"
              "Host: 192.0.2.10:8080\r\n\r\n");
    EXPECT_EQ(build_http_request("/x", Protocol::http_1_1, std::string("www.example.org"), v4, 80),
              "GET /x HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n"
              "Host: www.example.org\r\n\r\n");
    EXPECT_EQ(build_http_request("/", Protocol::http_1_0, std::nullopt,
                                 *IpAddress::parse("2001:db8::1"), 443),
              "GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: [2001:db8::1]:443\r\n\r\n");
}

// ---------------------------------------------------------------- reply reader

struct Collected {
    std::string header;
    std::string body;
};

Status feed_bytewise(HttpReplyReader& r, std::string_view bytes, Collected& c) {
    r.on_header([&c](std::string_view h) { c.header = h; });
    r.on_body([&c](std::string_view b) { c.body += b; });
    for (char ch : bytes) {
        if (auto st = r.feed(std::string_view(&ch, 1)); !st) return st;
    }
    return Ok{};
}

TEST(HttpReplyReader, ContentLengthBodyByteByByte) {
    HttpReplyReader r;
    Collected c;
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\n";
    ASSERT_TRUE(feed_bytewise(r, head + "helloEXTRA", c));
    EXPECT_TRUE(r.done());
    EXPECT_EQ(r.status(), 200U);
    EXPECT_EQ(c.header, head);
    EXPECT_EQ(c.body, "hello");  // bytes after the reply are not the body
}

TEST(HttpReplyReader, ChunkedBodyIsDechunked) {
    HttpReplyReader r;
    Collected c;
    ASSERT_TRUE(feed_bytewise(r,
                              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n",
                              c));
    EXPECT_TRUE(r.done());
    EXPECT_EQ(c.body, "hello, world");
}

TEST(HttpReplyReader, BodyEndsAtCloseWithoutLength) {
    HttpReplyReader r;
    Collected c;
    ASSERT_TRUE(feed_bytewise(r, "HTTP/1.0 503 Busy\r\n\r\nsome text", c));
    EXPECT_FALSE(r.done());
    EXPECT_TRUE(r.finish());
    EXPECT_EQ(r.status(), 503U);
    EXPECT_EQ(c.body, "some text");
}

TEST(HttpReplyReader, FailuresAreErrors) {
    {
        HttpReplyReader r;
        EXPECT_FALSE(r.finish());  // nothing received
    }
    {
        HttpReplyReader r;
        ASSERT_TRUE(r.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
        auto st = r.finish();
        ASSERT_FALSE(st);
        EXPECT_EQ(st.error(), "reply truncated");
    }
    {
        HttpReplyReader r;
        EXPECT_FALSE(r.feed(std::string("\x00\x01\x02 binary junk\r\n\r\n", 19)));
    }
    {
        HttpReplyReader r;
        EXPECT_FALSE(r.feed("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
    }
    {
        HttpReplyReader r;  // a header that never ends
        Status st = r.feed("HTTP/1.1 200 OK\r\n");
        for (int i = 0; st && i < 2000; ++i) st = r.feed("X-Filler: 0123456789abcdef\r\n");
        ASSERT_FALSE(st);
        EXPECT_EQ(st.error(), "reply header too large");
    }
    {
        HttpReplyReader r({.header_limit = 16 * 1024, .body_limit = 4});
        auto st = r.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
        ASSERT_FALSE(st);
        EXPECT_EQ(st.error(), "reply body too large");
    }
}

// ---------------------------------------------------------------- regex

config::HttpUrl regex_url(std::string re, std::vector<std::string> options = {}) {
    config::HttpUrl u;
    u.path = "/";
    u.regex = std::move(re);
    u.regex_options = std::move(options);
    return u;
}

bool scan(const config::HttpUrl& u, const std::string& body, std::size_t piece) {
    auto re = HttpRegex::compile(u);
    EXPECT_TRUE(re) << (re ? "" : re.error());
    RegexScan s(re.value());
    for (std::size_t i = 0; i < body.size(); i += piece) s.feed(body.substr(i, piece));
    s.finish();
    return s.matched();
}

TEST(HttpRegex, MatchesAcrossPiecesOfAnySize) {
    const std::string body =
        std::string(100'000, 'a') + "status: <b>OK</b>" + std::string(5000, 'z');
    for (std::size_t piece : {1UL, 7UL, 4096UL, 1'000'000UL}) {
        EXPECT_TRUE(scan(regex_url("status: <b>O+K</b>"), body, piece)) << piece;
        EXPECT_FALSE(scan(regex_url("status: <b>FAIL"), body, piece)) << piece;
        EXPECT_TRUE(scan(regex_url("(?<=<b>)OK"), body, piece)) << piece;  // lookbehind
        EXPECT_FALSE(scan(regex_url("^status"), body, piece)) << piece;    // ^ is the body's start
        EXPECT_TRUE(scan(regex_url("^aaa"), body, piece)) << piece;
        EXPECT_TRUE(scan(regex_url("z+$"), body, piece)) << piece;  // resolved at the end
    }
}

TEST(HttpRegex, OptionsAndOffsets) {
    EXPECT_FALSE(scan(regex_url("hello"), "HELLO", 2));
    EXPECT_TRUE(scan(regex_url("hello", {"caseless"}), "HELLO", 2));
    EXPECT_TRUE(scan(regex_url("^two", {"multiline"}), "one\ntwo\n", 4));
    auto u = regex_url("needle");
    u.regex_min_offset = 10;
    EXPECT_FALSE(scan(u, "needle....................", 3));
    EXPECT_TRUE(scan(u, "..........needle", 3));
    u.regex_min_offset = 0;
    u.regex_max_offset = 5;
    EXPECT_TRUE(scan(u, ".....needle", 2));
    EXPECT_FALSE(scan(u, "......needle", 2));
    u.regex_max_offset.reset();
    u.regex_stack_start = 32768;
    u.regex_stack_max = 65536;
    EXPECT_TRUE(scan(u, "a needle", 3));
}

TEST(HttpRegex, CompileErrors) {
    auto bad = HttpRegex::compile(regex_url("(unclosed"));
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find("(unclosed"), std::string::npos);
    auto opt = HttpRegex::compile(regex_url("x", {"no_such_option"}));
    ASSERT_FALSE(opt);
    EXPECT_NE(opt.error().find("no_such_option"), std::string::npos);
}

// ---------------------------------------------------------------- probes against nginx

config::HttpUrl url(std::string path, std::string digest = {}) {
    config::HttpUrl u;
    u.path = std::move(path);
    u.digest = std::move(digest);
    return u;
}

class HttpProbeTest : public NginxTest {
  protected:
    ProbeOutcome get(std::vector<config::HttpUrl> urls, std::uint16_t port = 8080, bool ssl = false,
                     std::chrono::microseconds timeout = 2s,
                     const std::function<void(config::HttpCheck&, ConnectTarget&)>& tweak = {},
                     std::shared_ptr<asio::ssl::context> tls = nullptr) {
        config::HttpCheck c;
        c.ssl = ssl;
        c.urls = std::move(urls);
        auto t = target("127.0.0.1", port, timeout);
        if (tweak) tweak(c, t);
        if (ssl && !tls) tls = make_tls_context(std::nullopt).value();
        auto p = HttpProbe::create(io_.get_executor(), t, c, tls);
        EXPECT_TRUE(p) << (p ? "" : p.error());
        if (!p) return ProbeOutcome::failure(Kind::io_error, "create");
        return run(*p.value());
    }
};

TEST_F(HttpProbeTest, HealthyPageWithDigest) {
    const auto out = get({url("/index.html", md5_of(index_body))});
    EXPECT_TRUE(out.ok()) << out.reason;
    EXPECT_NE(access_log("\"GET /index.html HTTP/1.0\" 200 host=127.0.0.1:8080")
                  .find("\"GET /index.html HTTP/1.0\" 200 host=127.0.0.1:8080"),
              std::string::npos)
        << access_log();
}

TEST_F(HttpProbeTest, StoppedServerIsConnectFailed) {
    nginx_->stop();
    const auto out = get({url("/index.html")});
    EXPECT_EQ(out.kind, Kind::connect_failed) << out.reason;
    EXPECT_NE(out.reason.find("/index.html"), std::string::npos) << out.reason;
}

TEST_F(HttpProbeTest, StatusCodes) {
    auto out = get({url("/missing")});
    EXPECT_EQ(out.kind, Kind::mismatch);
    EXPECT_EQ(out.reason, "HTTP status 404 for /missing");
    auto teapot = url("/teapot");
    teapot.status_codes = {{200, 200}, {400, 499}};
    EXPECT_TRUE(get({teapot}).ok());
    teapot.status_codes = {{200, 299}, {500, 599}};
    EXPECT_EQ(get({teapot}).kind, Kind::mismatch);
}

TEST_F(HttpProbeTest, WrongDigestIsMismatch) {
    const auto out = get({url("/index.html", std::string(32, '0'))});
    EXPECT_EQ(out.kind, Kind::mismatch);
    EXPECT_NE(out.reason.find("MD5 digest " + md5_of(index_body) + " for /index.html"),
              std::string::npos)
        << out.reason;
}

TEST_F(HttpProbeTest, BigPageDigestStreams) {
    const auto out = get({url("/big.txt", md5_of(read_file(dir_ / "www/big.txt")))});
    EXPECT_TRUE(out.ok()) << out.reason;
}

TEST_F(HttpProbeTest, RegexMatchAndNoMatch) {
    auto u = url("/index.html");
    u.regex = "from vigil.s test";
    EXPECT_TRUE(get({u}).ok());
    u.regex_no_match = true;
    auto out = get({u});
    EXPECT_EQ(out.kind, Kind::mismatch);
    EXPECT_NE(out.reason.find("matched /index.html"), std::string::npos) << out.reason;
    u.regex = "Internal Server Error";
    EXPECT_TRUE(get({u}).ok());
    u.regex_no_match = false;
    out = get({u});
    EXPECT_EQ(out.kind, Kind::mismatch);
    EXPECT_NE(out.reason.find("did not match /index.html"), std::string::npos) << out.reason;
}

TEST_F(HttpProbeTest, EveryUrlMustPassAndTheFailureNamesIt) {
    const auto out = get({url("/index.html"), url("/big.txt"), url("/gone.html"), url("/")});
    EXPECT_EQ(out.kind, Kind::mismatch);
    EXPECT_EQ(out.reason, "HTTP status 404 for /gone.html");
    EXPECT_EQ(access_log("gone.html").find("GET / HTTP"),
              std::string::npos);  // stopped at the failure
}

TEST_F(HttpProbeTest, VirtualhostSelectsTheServerBlock) {
    auto u = url("/index.html", md5_of(vhost_body));
    u.effective_virtualhost = "vhost.example";
    for (auto proto : {Protocol::http_1_0, Protocol::http_1_0c, Protocol::http_1_1}) {
        const auto out = get({u}, 8080, false, 2s, [proto](config::HttpCheck& c, ConnectTarget&) {
            c.http_protocol = proto;
        });
        EXPECT_TRUE(out.ok()) << out.reason;
    }
    EXPECT_NE(access_log("\"GET /index.html HTTP/1.1\" 200 host=vhost.example")
                  .find("\"GET /index.html HTTP/1.1\" 200 host=vhost.example"),
              std::string::npos)
        << access_log();
}

TEST_F(HttpProbeTest, SslGetWithoutAndWithSni) {
    auto plain = url("/index.html", md5_of(index_body));
    auto out = get({plain}, 8443, true);
    EXPECT_TRUE(out.ok()) << out.reason;
    auto sni = url("/index.html", md5_of(vhost_body));
    sni.effective_virtualhost = "sni.example";
    out = get({sni}, 8443, true, 2s,
              [](config::HttpCheck& c, ConnectTarget&) { c.enable_sni = true; });
    EXPECT_TRUE(out.ok()) << out.reason;
    const auto log = access_log("sni=sni.example");
    EXPECT_NE(log.find("sni=- \"GET"), std::string::npos) << log;
    EXPECT_NE(log.find("sni=sni.example \"GET /index.html HTTP/1.0\" 200 host=sni.example"),
              std::string::npos)
        << log;
}

TEST_F(HttpProbeTest, SslGetVerifiesOnlyWhenACaIsConfigured) {
    config::SslConfig ssl;
    ssl.ca = (dir_ / "cert.pem").string();
    auto out = get({url("/index.html")}, 8443, true, 2s, {}, make_tls_context(ssl).value());
    EXPECT_TRUE(out.ok()) << out.reason;
    ssl.ca = (dir_ / "other.pem").string();
    out = get({url("/index.html")}, 8443, true, 2s, {}, make_tls_context(ssl).value());
    EXPECT_EQ(out.kind, Kind::protocol_error) << out.reason;
    ssl.ca = (dir_ / "missing.pem").string();
    EXPECT_FALSE(make_tls_context(ssl));
}

TEST_F(HttpProbeTest, SslGetToPlainHttpIsProtocolError) {
    const auto out = get({url("/index.html")}, 8080, true);
    EXPECT_EQ(out.kind, Kind::protocol_error) << out.reason;
}

TEST_F(HttpProbeTest, BindtoAndBindPortAreUsed) {
    const auto out =
        get({url("/index.html")}, 8080, false, 2s, [](config::HttpCheck&, ConnectTarget& t) {
            t.bind_address = IpAddress::parse("127.0.0.9");
            t.bind_port = 41234;
        });
    EXPECT_TRUE(out.ok()) << out.reason;
    EXPECT_NE(access_log("127.0.0.9 41234 ").find("127.0.0.9 41234 "), std::string::npos)
        << access_log();
}

// ---------------------------------------------------------------- misbehaving servers

class HostileHttpTest : public ProbeTest {
  protected:
    ProbeOutcome get(std::uint16_t port, config::HttpUrl u = url("/"),
                     std::chrono::microseconds timeout = 500ms) {
        config::HttpCheck c;
        c.urls = {std::move(u)};
        auto p = HttpProbe::create(io_.get_executor(), target("127.0.0.1", port, timeout), c);
        return run(*p.value());
    }
};

TEST_F(HostileHttpTest, ChunkedBodyDigestIsOfTheDechunkedBody) {
    serve(9001, reply_with("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n"));
    const auto out = get(9001, url("/", md5_of("hello world")));
    EXPECT_TRUE(out.ok()) << out.reason;
}

TEST_F(HostileHttpTest, SilentServerTimesOutAtTheDeadline) {
    serve(9002, silent());
    const auto out = get(9002);
    EXPECT_EQ(out.kind, Kind::timed_out) << out.reason;
    EXPECT_GE(elapsed_, 490ms);
    EXPECT_LT(elapsed_, 900ms);
}

TEST_F(HostileHttpTest, TrickleSlowerThanTheDeadlineTimesOut) {
    serve(9003, trickle("HTTP/1.0 200 OK\r\nContent-Length: 1000000\r\n\r\n", 20ms));
    const auto out = get(9003);
    EXPECT_EQ(out.kind, Kind::timed_out) << out.reason;
    EXPECT_LT(elapsed_, 900ms);
}

TEST_F(HostileHttpTest, HundredMegabytesInBoundedMemory) {
    serve(9004, flood("HTTP/1.0 200 OK\r\n\r\n", std::size_t{100} << 20));
    const long before = peak_rss_kib();
    auto u = url("/", md5_of("no"));
    u.regex = "never there";
    const auto out = get(9004, u, 5s);
    // Hashed and scanned through, or cut by the deadline on a slow machine: never held.
    EXPECT_TRUE(out.kind == Kind::mismatch || out.kind == Kind::timed_out)
        << to_string(out.kind) << ": " << out.reason;
    EXPECT_LT(elapsed_, 5500ms);
    EXPECT_LT(peak_rss_kib() - before, 20 * 1024);
}

TEST_F(HostileHttpTest, HugeHeaderIsProtocolErrorInBoundedMemory) {
    serve(9005, flood("HTTP/1.1 200 OK\r\nX-Huge: ", std::size_t{100} << 20));
    const long before = peak_rss_kib();
    const auto out = get(9005, url("/"), 5s);
    EXPECT_EQ(out.kind, Kind::protocol_error) << out.reason;
    EXPECT_NE(out.reason.find("header too large"), std::string::npos) << out.reason;
    EXPECT_LT(peak_rss_kib() - before, 20 * 1024);
}

TEST_F(HostileHttpTest, GarbageAndBinaryAreProtocolErrors) {
    serve(9006, reply_with("this is not HTTP at all\r\n\r\n"));
    EXPECT_EQ(get(9006).kind, Kind::protocol_error);
    serve(9007, flood("", std::size_t{1} << 20, '\0'));
    EXPECT_EQ(get(9007).kind, Kind::protocol_error);
}

TEST_F(HostileHttpTest, CloseWithoutReplyIsProtocolError) {
    serve(9008, reply_with(""));
    const auto out = get(9008);
    EXPECT_EQ(out.kind, Kind::protocol_error) << out.reason;
    EXPECT_NE(out.reason.find("no data received"), std::string::npos) << out.reason;
}

TEST_F(HostileHttpTest, EndlessChunkedBodyEndsAtTheDeadline) {
    serve(9009, flood("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffff\r\n",
                      std::size_t{1} << 40));
    const long before = peak_rss_kib();
    const auto out = get(9009, url("/"), 700ms);
    EXPECT_EQ(out.kind, Kind::timed_out) << out.reason;
    EXPECT_LT(elapsed_, 1200ms);
    EXPECT_LT(peak_rss_kib() - before, 20 * 1024);
}

}  // namespace
}  // namespace vigil::check::testing
