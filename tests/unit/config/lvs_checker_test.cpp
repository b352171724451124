// The LVS health checkers: keywords, values, defaults, inheritance and validation.
#include <gtest/gtest.h>

#include "test_util.h"

namespace vigil::config {
namespace {

using namespace std::chrono_literals;
using testing::diags;
using testing::has_diag;
using testing::load;

// Lines 1-4 open the virtual and real server; the checker keyword is on line 5, `body`
// starts on line 6.
std::string check(const std::string& type, const std::string& body,
                  const std::string& vs_extra = "", const std::string& rs_extra = "") {
    return "virtual_server 10.0.0.1 80 {\nprotocol TCP\n" + vs_extra +
           (vs_extra.empty() ? "" : "\n") + "real_server 10.0.0.2 8080 {\n" + rs_extra +
           (rs_extra.empty() ? "" : "\n") + "# checker\n" + type + " {\n" + body + "\n}\n}\n}\n";
}

const Checker& first_checker(const LoadResult& r) {
    return r.model->lvs.virtual_servers.at(0).real_servers.at(0).checkers.at(0);
}

template <class K>
const K& as(const LoadResult& r) {
    return std::get<K>(first_checker(r).kind);
}

TEST(LvsChecker, TcpDefaults) {
    const auto r = load(check("TCP_CHECK", ""));
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& c = first_checker(r);
    EXPECT_TRUE(std::holds_alternative<TcpCheck>(c.kind));
    EXPECT_EQ(checker_keyword(c), "TCP_CHECK");
    EXPECT_EQ(c.loc.line, 5U);
    const auto& e = c.effective;
    EXPECT_EQ(e.connect_ip.to_string(), "10.0.0.2");
    EXPECT_EQ(e.connect_port, 8080);
    EXPECT_FALSE(e.alpha);
    EXPECT_EQ(e.connect_timeout, 5s);
    EXPECT_EQ(e.retry, 1U);
    EXPECT_EQ(e.delay_before_retry, 1s);
    EXPECT_EQ(e.delay_loop, 60s);
    EXPECT_EQ(e.warmup, 60s);
    EXPECT_FALSE(r.model->lvs.virtual_servers[0].real_servers[0].effective_inhibit_on_failure);
    EXPECT_FALSE(e.virtualhost.has_value());
    EXPECT_FALSE(c.options.connect_timeout.has_value());
}

TEST(LvsChecker, CommonOptions) {
    const auto r = load(check("TCP_CHECK", R"(connect_ip 10.0.0.7
connect_port 81
bindto 10.0.0.1
bind_if eth0
bind_port 4000
fwmark 4294967295
alpha
connect_timeout 0.5
retry 0
delay_before_retry 2
warmup 0
delay_loop 7.25
log_all_failures on)"));
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& c = first_checker(r);
    EXPECT_EQ(c.options.connect_ip->to_string(), "10.0.0.7");
    EXPECT_EQ(c.options.connect_port, 81);
    EXPECT_EQ(c.options.bindto->to_string(), "10.0.0.1");
    EXPECT_EQ(c.options.bind_if, "eth0");
    EXPECT_EQ(c.options.bind_port, 4000);
    EXPECT_EQ(c.options.fwmark, 4294967295U);
    EXPECT_TRUE(c.options.log_all_failures);
    const auto& e = c.effective;
    EXPECT_EQ(e.connect_ip.to_string(), "10.0.0.7");
    EXPECT_EQ(e.connect_port, 81);
    EXPECT_TRUE(e.alpha);
    EXPECT_EQ(e.connect_timeout, 500ms);
    EXPECT_EQ(e.retry, 0U);
    EXPECT_EQ(e.delay_before_retry, 2s);
    EXPECT_EQ(e.warmup, 0s);
    EXPECT_EQ(e.delay_loop, 7250ms);
}

TEST(LvsChecker, CommonOptionErrors) {
    struct Case {
        const char* text;
        const char* diag;
    };
    for (const auto& c : {
             Case{"connect_port 0",
                  "6:14: error: connect_port: 0 is out of range; expected an "
                  "integer in [1, 65535]"},
             Case{"connect_port 65536", "6:14: error: connect_port: 65536 is out of range"},
             Case{"bind_port 0", "6:11: error: bind_port: 0 is out of range"},
             Case{"connect_ip 10.0.0", "6:12: error: connect_ip: expected an IPv4 or IPv6 address"},
             Case{"bindto", "6:7: error: bindto: missing argument"},
             Case{"bind_if abcdefghijklmnop", "6:9: error: bind_if: expected an interface name"},
             Case{"fwmark 0x10", "6:8: error: fwmark: expected an integer in [0, 4294967295]"},
             Case{"connect_timeout 0", "6:17: error: connect_timeout: 0 is out of range"},
             Case{"delay_loop 0", "6:12: error: delay_loop: 0 is out of range"},
             Case{"retry -1",
                  "6:7: error: retry: -1 is out of range; expected an integer in "
                  "[0, 4294967295]"},
             Case{"log_all_failures bad", "6:18: error: log_all_failures: expected on|off"},
             Case{"alpha maybe", "6:7: error: alpha: expected on|off"},
             Case{"connect_ip fe80::1",
                  "5:1: error: TCP_CHECK: link-local address fe80::1 "
                  "requires bind_if"},
             Case{"bindto 2001:db8::1",
                  "5:1: error: TCP_CHECK: bindto 2001:db8::1 and connect "
                  "address 10.0.0.2 differ in family"},
         }) {
        const auto r = load(check("TCP_CHECK", c.text));
        EXPECT_FALSE(r.ok()) << c.text;
        EXPECT_TRUE(has_diag(r, std::string("keepalived.conf:") + c.diag)) << c.text << diags(r);
    }
    // Link-local with an interface is fine.
    EXPECT_TRUE(load(check("TCP_CHECK", "connect_ip fe80::1\nbind_if eth0")).ok());
    // Options of servers only are unknown in a checker (a warning, skipped).
    const auto w = load(check("TCP_CHECK", "inhibit_on_failure"));
    ASSERT_TRUE(w.ok());
    EXPECT_TRUE(has_diag(w,
                         "keepalived.conf:6:1: warning: unknown keyword 'inhibit_on_failure' "
                         "in TCP_CHECK"));
}

TEST(LvsChecker, InheritanceVirtualToRealToChecker) {
    const std::string vs_opts =
        "delay_loop 20\nconnect_timeout 9\nretry 5\ndelay_before_retry 6\nwarmup 7\nalpha\n"
        "inhibit_on_failure\nvirtualhost vs.example";
    // Everything from the virtual server.
    const auto v = load(check("HTTP_GET", "url {\npath /\n}", vs_opts));
    ASSERT_TRUE(v.ok()) << diags(v);
    {
        const auto& e = first_checker(v).effective;
        EXPECT_EQ(e.delay_loop, 20s);
        EXPECT_EQ(e.connect_timeout, 9s);
        EXPECT_EQ(e.retry, 5U);
        EXPECT_EQ(e.delay_before_retry, 6s);
        EXPECT_EQ(e.warmup, 7s);
        EXPECT_TRUE(e.alpha);
        EXPECT_TRUE(v.model->lvs.virtual_servers[0].real_servers[0].effective_inhibit_on_failure);
        EXPECT_EQ(e.virtualhost, "vs.example");
        EXPECT_EQ(as<HttpCheck>(v).urls[0].effective_virtualhost, "vs.example");
        EXPECT_FALSE(first_checker(v).options.delay_loop.has_value());
    }
    // The real server overrides the virtual server.
    const std::string rs_opts =
        "delay_loop 30\nconnect_timeout 8\nretry 4\ndelay_before_retry 3\nwarmup 2\nalpha off\n"
        "inhibit_on_failure off\nvirtualhost rs.example";
    const auto r = load(check("HTTP_GET", "url {\npath /\n}", vs_opts, rs_opts));
    ASSERT_TRUE(r.ok()) << diags(r);
    {
        const auto& e = first_checker(r).effective;
        EXPECT_EQ(e.delay_loop, 30s);
        EXPECT_EQ(e.connect_timeout, 8s);
        EXPECT_EQ(e.retry, 4U);
        EXPECT_EQ(e.delay_before_retry, 3s);
        EXPECT_EQ(e.warmup, 2s);
        EXPECT_FALSE(e.alpha);
        EXPECT_FALSE(r.model->lvs.virtual_servers[0].real_servers[0].effective_inhibit_on_failure);
        EXPECT_EQ(e.virtualhost, "rs.example");
        const auto& rs = r.model->lvs.virtual_servers[0].real_servers[0];
        EXPECT_EQ(rs.options.delay_loop, 30s);
        EXPECT_EQ(r.model->lvs.virtual_servers[0].options.delay_loop, 20s);
    }
    // The checker overrides both; a url's virtualhost overrides the checker's.
    const auto c = load(check("HTTP_GET",
                              "delay_loop 1\nconnect_timeout 2\nretry 3\ndelay_before_retry 4\n"
                              "warmup 5\nalpha on\nvirtualhost ck.example\n"
                              "url {\npath /\n}\nurl {\npath /x\nvirtualhost url.example\n}",
                              vs_opts, rs_opts));
    ASSERT_TRUE(c.ok()) << diags(c);
    {
        const auto& e = first_checker(c).effective;
        EXPECT_EQ(e.delay_loop, 1s);
        EXPECT_EQ(e.connect_timeout, 2s);
        EXPECT_EQ(e.retry, 3U);
        EXPECT_EQ(e.delay_before_retry, 4s);
        EXPECT_EQ(e.warmup, 5s);
        EXPECT_TRUE(e.alpha);
        // inhibit_on_failure is not a checker option: the real server's.
        EXPECT_FALSE(c.model->lvs.virtual_servers[0].real_servers[0].effective_inhibit_on_failure);
        EXPECT_EQ(e.virtualhost, "ck.example");
        EXPECT_EQ(as<HttpCheck>(c).urls[0].effective_virtualhost, "ck.example");
        EXPECT_EQ(as<HttpCheck>(c).urls[1].effective_virtualhost, "url.example");
    }
}

TEST(LvsChecker, PerCheckerDefaults) {
    // delay_before_retry: HTTP/SSL 3 s, DNS = delay_loop, others 1 s; retry: DNS 3, MISC 0.
    const auto http = load(check("HTTP_GET", "url {\npath /\n}"));
    ASSERT_TRUE(http.ok()) << diags(http);
    EXPECT_EQ(first_checker(http).effective.delay_before_retry, 3s);
    EXPECT_EQ(first_checker(http).effective.retry, 1U);
    const auto ssl = load(check("SSL_GET", "url {\npath /\n}"));
    ASSERT_TRUE(ssl.ok()) << diags(ssl);
    EXPECT_EQ(first_checker(ssl).effective.delay_before_retry, 3s);
    EXPECT_EQ(checker_keyword(first_checker(ssl)), "SSL_GET");
    EXPECT_TRUE(as<HttpCheck>(ssl).ssl);
    const auto dns = load(check("DNS_CHECK", "delay_loop 12"));
    ASSERT_TRUE(dns.ok()) << diags(dns);
    EXPECT_EQ(first_checker(dns).effective.delay_before_retry, 12s);
    EXPECT_EQ(first_checker(dns).effective.retry, 3U);
    EXPECT_EQ(first_checker(dns).effective.warmup, 12s);
    const auto dns_default = load(check("DNS_CHECK", ""));
    ASSERT_TRUE(dns_default.ok());
    EXPECT_EQ(first_checker(dns_default).effective.delay_before_retry, 60s);
    const auto misc = load(check("MISC_CHECK", "misc_path /bin/true"));
    ASSERT_TRUE(misc.ok()) << diags(misc);
    EXPECT_EQ(first_checker(misc).effective.retry, 0U);
    EXPECT_EQ(first_checker(misc).effective.delay_before_retry, 1s);
    // A server-level retry reaches MISC_CHECK and DNS_CHECK too.
    const auto misc_vs = load(check("MISC_CHECK", "misc_path /bin/true", "retry 2"));
    ASSERT_TRUE(misc_vs.ok());
    EXPECT_EQ(first_checker(misc_vs).effective.retry, 2U);
    for (const auto* t : {"SMTP_CHECK", "UDP_CHECK", "PING_CHECK"}) {
        const auto r = load(check(t, ""));
        ASSERT_TRUE(r.ok()) << t << diags(r);
        EXPECT_EQ(first_checker(r).effective.delay_before_retry, 1s) << t;
        EXPECT_EQ(first_checker(r).effective.retry, 1U) << t;
    }
    // The warmup follows the effective delay_loop.
    const auto w = load(check("TCP_CHECK", "", "delay_loop 3"));
    EXPECT_EQ(first_checker(w).effective.warmup, 3s);
}

TEST(LvsChecker, HttpGet) {
    const auto r = load(check("HTTP_GET", R"(http_protocol 1.0C
fast_recovery
enable_sni off
url {
  path /index.html
  digest 9B3A0C85A887A256D6939DA88AABD8CD
  status_code 200 300-399 503
  virtualhost www.example.com
  regex "^OK$"
  regex_no_match
  regex_options caseless multiline
  regex_stack 1024 8192
  regex_min_offset 3
  regex_max_offset 100
}
url {
  path /health
})"));
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& h = as<HttpCheck>(r);
    EXPECT_FALSE(h.ssl);
    EXPECT_EQ(h.http_protocol, HttpCheck::Protocol::http_1_0c);
    EXPECT_TRUE(h.fast_recovery);
    EXPECT_FALSE(h.enable_sni);
    ASSERT_EQ(h.urls.size(), 2U);
    const auto& u = h.urls[0];
    EXPECT_EQ(u.path, "/index.html");
    EXPECT_EQ(u.digest, "9b3a0c85a887a256d6939da88aabd8cd");
    using S = HttpUrl::StatusRange;
    EXPECT_EQ(u.status_codes, (std::vector<S>{{200, 200}, {300, 399}, {503, 503}}));
    EXPECT_EQ(u.virtualhost, "www.example.com");
    EXPECT_EQ(u.regex, "^OK$");
    EXPECT_TRUE(u.regex_no_match);
    EXPECT_EQ(u.regex_options, (std::vector<std::string>{"caseless", "multiline"}));
    EXPECT_EQ(u.regex_stack_start, 1024U);
    EXPECT_EQ(u.regex_stack_max, 8192U);
    EXPECT_EQ(u.regex_min_offset, 3U);
    EXPECT_EQ(u.regex_max_offset, 100U);
    // Defaults of the second url.
    EXPECT_EQ(h.urls[1].status_codes, (std::vector<S>{{200, 299}}));
    EXPECT_TRUE(h.urls[1].digest.empty());
    EXPECT_EQ(h.urls[1].loc.line, 21U);
    for (const auto& [text, p] : {std::pair{"1.0", HttpCheck::Protocol::http_1_0},
                                  {"1.1", HttpCheck::Protocol::http_1_1}}) {
        const auto v =
            load(check("HTTP_GET", std::string("http_protocol ") + text + "\nurl {\npath /\n}"));
        ASSERT_TRUE(v.ok());
        EXPECT_EQ(as<HttpCheck>(v).http_protocol, p);
    }
    const auto sni = load(check("SSL_GET", "enable_sni\nurl {\npath /\n}"));
    ASSERT_TRUE(sni.ok());
    EXPECT_TRUE(as<HttpCheck>(sni).enable_sni);
}

TEST(LvsChecker, HttpGetErrors) {
    struct Case {
        const char* text;
        const char* diag;
    };
    for (const auto& c : {
             Case{"url {\npath /\ndigest 9b3a0c85a887a256d6939da88aabd8c\n}",
                  "8:8: error: digest: expected an MD5 digest of 32 hex digits, got "
                  "'9b3a0c85a887a256d6939da88aabd8c'"},
             Case{"url {\npath /\ndigest 9b3a0c85a887a256d6939da88aabd8cg\n}",
                  "8:8: error: digest: expected an MD5 digest"},
             Case{"url {\npath /\nstatus_code 200 99\n}",
                  "8:17: error: status_code: expected a status code 100-599 or a range "
                  "LOW-HIGH of them, got '99'"},
             Case{"url {\npath /\nstatus_code 600\n}", "8:13: error: status_code: expected a"},
             Case{"url {\npath /\nstatus_code 400-300\n}", "8:13: error: status_code:"},
             Case{"url {\npath /\nstatus_code 2x0\n}", "8:13: error: status_code:"},
             Case{"url {\npath /\nregex_options caseless bogus\n}",
                  "8:24: error: regex_options: unknown regex option 'bogus'"},
             Case{"url {\npath /\nregex_stack 8192 1024\n}",
                  "8:18: error: regex_stack: maximum stack 1024 is less than the start 8192"},
             Case{"url {\npath /\nregex_min_offset -1\n}", "8:18: error: regex_min_offset:"},
             Case{"url {\nstatus_code 200\n}", "6:1: error: url: missing 'path'"},
             Case{"", "5:1: error: HTTP_GET: missing 'url' block"},
             Case{"http_protocol 2\nurl {\npath /\n}",
                  "6:15: error: http_protocol: expected one of 1.0|1.0C|1.0c|1.1, got '2'"},
             Case{"fast_recovery maybe\nurl {\npath /\n}", "6:15: error: fast_recovery:"},
             Case{"url /\n", "6:6: error: 'url' expects a block"},
         }) {
        const auto r = load(check("HTTP_GET", c.text));
        EXPECT_FALSE(r.ok()) << c.text;
        EXPECT_TRUE(has_diag(r, std::string("keepalived.conf:") + c.diag)) << c.text << diags(r);
    }
}

TEST(LvsChecker, Smtp) {
    const auto r = load(check("SMTP_CHECK", "helo_name \"foo.bar.com\"\nretry 2"));
    ASSERT_TRUE(r.ok()) << diags(r);
    EXPECT_EQ(as<SmtpCheck>(r).helo_name, "foo.bar.com");
    EXPECT_EQ(first_checker(r).effective.retry, 2U);
    const auto missing = load(check("SMTP_CHECK", "helo_name"));
    EXPECT_TRUE(has_diag(missing, "keepalived.conf:6:10: error: helo_name: missing argument"));
    // Legacy host blocks become one checker each, sharing the other settings.
    const auto hosts = load(check("SMTP_CHECK",
                                  "connect_timeout 10\nhost {\nconnect_ip 10.0.0.5\n"
                                  "connect_port 25\nbindto 10.0.0.1\n}\nhost {\n"
                                  "connect_ip 10.0.0.6\n}"));
    ASSERT_TRUE(hosts.ok()) << diags(hosts);
    const auto& cs = hosts.model->lvs.virtual_servers[0].real_servers[0].checkers;
    ASSERT_EQ(cs.size(), 2U);
    EXPECT_EQ(cs[0].effective.connect_ip.to_string(), "10.0.0.5");
    EXPECT_EQ(cs[0].effective.connect_port, 25);
    EXPECT_EQ(cs[0].options.bindto->to_string(), "10.0.0.1");
    EXPECT_EQ(cs[1].effective.connect_ip.to_string(), "10.0.0.6");
    EXPECT_EQ(cs[1].effective.connect_port, 8080);
    EXPECT_EQ(cs[1].effective.connect_timeout, 10s);
    EXPECT_TRUE(std::get<SmtpCheck>(cs[1].kind).hosts.empty());
}

TEST(LvsChecker, Dns) {
    const auto d = load(check("DNS_CHECK", ""));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(as<DnsCheck>(d).type, DnsCheck::Type::soa);
    EXPECT_EQ(as<DnsCheck>(d).name, ".");
    const auto r = load(check("DNS_CHECK", "type aaaa\nname example.com"));
    ASSERT_TRUE(r.ok()) << diags(r);
    EXPECT_EQ(as<DnsCheck>(r).type, DnsCheck::Type::aaaa);
    EXPECT_EQ(as<DnsCheck>(r).name, "example.com");
    for (const auto& [t, v] : {std::pair{"A", DnsCheck::Type::a},
                               {"NS", DnsCheck::Type::ns},
                               {"CNAME", DnsCheck::Type::cname},
                               {"MX", DnsCheck::Type::mx},
                               {"TXT", DnsCheck::Type::txt}}) {
        const auto x = load(check("DNS_CHECK", std::string("type ") + t));
        ASSERT_TRUE(x.ok());
        EXPECT_EQ(as<DnsCheck>(x).type, v);
    }
    const auto bad = load(check("DNS_CHECK", "type PTR"));
    EXPECT_TRUE(has_diag(bad,
                         "keepalived.conf:6:6: error: type: expected one of "
                         "A|NS|CNAME|SOA|MX|TXT|AAAA, got 'PTR'"));
}

TEST(LvsChecker, Misc) {
    const auto r = load(check("MISC_CHECK",
                              "misc_path \"/usr/bin/check --port 80\"\nmisc_timeout 5\n"
                              "misc_dynamic\nuser nobody nogroup\nwarmup 1\nalpha"));
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& m = as<MiscCheck>(r);
    EXPECT_EQ(m.misc_path.argv, (std::vector<std::string>{"/usr/bin/check", "--port", "80"}));
    EXPECT_EQ(m.misc_path.user, "nobody");
    EXPECT_EQ(m.misc_path.group, "nogroup");
    EXPECT_EQ(m.misc_timeout, 5s);
    EXPECT_TRUE(m.misc_dynamic);
    EXPECT_TRUE(first_checker(r).effective.alpha);
    // misc_path may carry the user itself, and `user` given first is kept.
    const auto u = load(check("MISC_CHECK", "user alice\nmisc_path /bin/x"));
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(as<MiscCheck>(u).misc_path.user, "alice");
    const auto p = load(check("MISC_CHECK", "misc_path /bin/x bob"));
    EXPECT_EQ(as<MiscCheck>(p).misc_path.user, "bob");
    EXPECT_FALSE(as<MiscCheck>(p).misc_timeout.has_value());

    struct Case {
        const char* text;
        const char* diag;
    };
    for (const auto& c : {
             Case{"", "5:1: error: MISC_CHECK: missing 'misc_path'"},
             Case{"misc_path /bin/x\nmisc_timeout 1.5",
                  "7:14: error: misc_timeout: expected an integer in [0, 4294], got '1.5'"},
             Case{"misc_path /bin/x\nmisc_timeout 4295", "7:14: error: misc_timeout: 4295 is out"},
             Case{"misc_path /bin/x\nuser", "7:5: error: user: missing argument"},
             Case{"misc_path \"\"", "6:11: error: misc_path: expected a script path"},
         }) {
        const auto x = load(check("MISC_CHECK", c.text));
        EXPECT_FALSE(x.ok()) << c.text;
        EXPECT_TRUE(has_diag(x, std::string("keepalived.conf:") + c.diag)) << c.text << diags(x);
    }
    // MISC_CHECK has no connection options.
    const auto conn = load(check("MISC_CHECK", "misc_path /bin/x\nconnect_ip 10.0.0.3"));
    ASSERT_TRUE(conn.ok());
    EXPECT_TRUE(has_diag(conn,
                         "keepalived.conf:7:1: warning: unknown keyword 'connect_ip' in "
                         "MISC_CHECK"));
}

TEST(LvsChecker, Udp) {
    const auto r = load(check("UDP_CHECK",
                              "payload Ab12f 3 456 546443123\nrequire_reply 12xX 3\n"
                              "min_reply_length 3\nmax_reply_length 300"));
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& u = as<UdpCheck>(r);
    // The man page's example: AB 12 0F 03 45 06 54 64 43 12 03.
    EXPECT_EQ(u.payload, (std::vector<std::uint8_t>{0xAB, 0x12, 0x0F, 0x03, 0x45, 0x06, 0x54, 0x64,
                                                    0x43, 0x12, 0x03}));
    EXPECT_TRUE(u.require_reply);
    EXPECT_EQ(u.reply_data, (std::vector<std::uint8_t>{0x12, 0x00, 0x03}));
    EXPECT_EQ(u.reply_mask, (std::vector<std::uint8_t>{0xFF, 0x00, 0x0F}));
    EXPECT_EQ(u.min_reply_length, 3);
    EXPECT_EQ(u.max_reply_length, 300);
    const auto d = load(check("UDP_CHECK", "require_reply"));
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(as<UdpCheck>(d).require_reply);
    EXPECT_TRUE(as<UdpCheck>(d).reply_data.empty());
    EXPECT_TRUE(as<UdpCheck>(d).payload.empty());
    EXPECT_EQ(as<UdpCheck>(d).min_reply_length, 0);
    EXPECT_EQ(as<UdpCheck>(d).max_reply_length, 255);
    const auto wild = load(check("UDP_CHECK", "payload 12xX"));
    EXPECT_TRUE(has_diag(wild,
                         "keepalived.conf:6:9: error: payload: expected hex digits, got "
                         "'12xX'"));
    const auto zz = load(check("UDP_CHECK", "payload 00 zz"));
    EXPECT_TRUE(has_diag(zz, "keepalived.conf:6:12: error: payload: expected hex digits"));
    const auto big = load(check("UDP_CHECK", "min_reply_length 65536"));
    EXPECT_TRUE(has_diag(big, "keepalived.conf:6:18: error: min_reply_length: 65536 is out"));
    const auto inverted = load(check("UDP_CHECK", "min_reply_length 10\nmax_reply_length 5"));
    ASSERT_TRUE(inverted.ok());
    EXPECT_TRUE(has_diag(inverted,
                         "keepalived.conf:5:1: warning: UDP_CHECK: min_reply_length "
                         "10 > max_reply_length 5"));
}

// The objects FILE_CHECK and BFD_CHECK name, defined after the virtual server (order does
// not matter) so that line numbers above stay as they are.
const std::string kReferenced =
    "track_file tf {\n    file /tmp/tf\n}\nbfd_instance bfd1 {\n    neighbor_ip 192.0.2.9\n}\n";

TEST(LvsChecker, PingFileBfd) {
    const auto p = load(check("PING_CHECK", "connect_ip 10.0.0.3\nretry 3"));
    ASSERT_TRUE(p.ok()) << diags(p);
    EXPECT_TRUE(std::holds_alternative<PingCheck>(first_checker(p).kind));
    EXPECT_EQ(first_checker(p).effective.connect_ip.to_string(), "10.0.0.3");

    const auto f =
        load(check("FILE_CHECK", "track_file tf\nweight -5 reverse\ndynamic") + kReferenced);
    ASSERT_TRUE(f.ok()) << diags(f);
    const auto& fc = as<FileCheck>(f);
    EXPECT_EQ(fc.track_file, "tf");
    EXPECT_EQ(fc.track_file_loc.line, 6U);
    EXPECT_EQ(fc.track_file_loc.col, 12U);
    EXPECT_EQ(fc.weight, -5);
    EXPECT_TRUE(fc.reverse);
    EXPECT_TRUE(fc.dynamic);
    const auto fd = load(check("FILE_CHECK", "track_file tf") + kReferenced);
    EXPECT_EQ(as<FileCheck>(fd).weight, 0);  // not given: the track_file's weight
    EXPECT_FALSE(as<FileCheck>(fd).reverse);

    const auto b = load(check("BFD_CHECK", "name bfd1") + kReferenced);
    ASSERT_TRUE(b.ok()) << diags(b);
    // BFD is not implemented: the checker is read, said to be not supported, and dropped.
    EXPECT_TRUE(has_diag(b, "'BFD_CHECK' is not supported by vigil")) << diags(b);
    EXPECT_TRUE(b.model->lvs.virtual_servers.at(0).real_servers.at(0).checkers.empty());

    struct Case {
        const char* type;
        const char* text;
        const char* diag;
    };
    for (const auto& c : {
             Case{"FILE_CHECK", "", "5:1: error: FILE_CHECK: missing 'track_file'"},
             Case{"FILE_CHECK", "track_file tf\nweight 2147483648",
                  "7:8: error: weight: 2147483648 is out of range; expected an integer in "
                  "[-2147483647, 2147483647]"},
             Case{"FILE_CHECK", "track_file tf\nweight 3 inverse",
                  "7:10: error: weight: expected 'reverse', got 'inverse'"},
             Case{"BFD_CHECK", "", "5:1: error: BFD_CHECK: missing 'name'"},
         }) {
        const auto x = load(check(c.type, c.text));
        EXPECT_FALSE(x.ok()) << c.text;
        EXPECT_TRUE(has_diag(x, std::string("keepalived.conf:") + c.diag)) << c.text << diags(x);
    }
    // FILE_CHECK and BFD_CHECK take none of the standard options.
    const auto fo = load(check("FILE_CHECK", "track_file tf\ndelay_loop 3"));
    EXPECT_TRUE(has_diag(fo,
                         "keepalived.conf:7:1: warning: unknown keyword 'delay_loop' in "
                         "FILE_CHECK"));
}

TEST(LvsChecker, SeveralCheckersOnOneServer) {
    const auto r = load(
        "virtual_server 10.0.0.1 80 {\nprotocol TCP\nreal_server 10.0.0.2 80 {\n"
        "TCP_CHECK {\n}\nHTTP_GET {\nurl {\npath /\n}\n}\n"
        "PING_CHECK {\n}\nTCP_CHECK {\nconnect_port 81\n}\n}\n}\n");
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& cs = r.model->lvs.virtual_servers[0].real_servers[0].checkers;
    ASSERT_EQ(cs.size(), 4U);
    EXPECT_EQ(checker_keyword(cs[0]), "TCP_CHECK");
    EXPECT_EQ(checker_keyword(cs[1]), "HTTP_GET");
    EXPECT_EQ(checker_keyword(cs[2]), "PING_CHECK");
    EXPECT_EQ(cs[3].effective.connect_port, 81);
    const auto noblock = load(check("TCP_CHECK", "") +
                              "virtual_server 10.0.0.3 80 {\n"
                              "real_server 10.0.0.4 80 {\nTCP_CHECK\n}\n}\n");
    EXPECT_TRUE(has_diag(noblock, "keepalived.conf:12:10: error: 'TCP_CHECK' expects a block"))
        << diags(noblock);
}

}  // namespace
}  // namespace vigil::config

namespace vigil::config {
namespace {

// keepalived 2.2.7 still reads nb_get_retry ("deprecated - please use 'retry'").
TEST(LvsChecker, NbGetRetryIsRetry) {
    const auto r = testing::load(
        "virtual_server 192.0.2.10 80 {\n    protocol TCP\n    real_server 198.51.100.1 80 {\n"
        "        HTTP_GET {\n            url {\n                path /\n            }\n"
        "            nb_get_retry 4\n        }\n    }\n}\n");
    ASSERT_TRUE(r.ok()) << testing::diags(r);
    EXPECT_TRUE(testing::has_diag(r, "keepalived.conf:8:26: warning: nb_get_retry: deprecated"))
        << testing::diags(r);
    EXPECT_EQ(r.model->lvs.virtual_servers[0].real_servers[0].checkers[0].effective.retry, 4U);
    // Elsewhere keepalived 2.2.7 does not know it (measured): skipped, the default retry.
    const auto t = testing::load(
        "virtual_server 192.0.2.10 80 {\n    protocol TCP\n    real_server 198.51.100.1 80 {\n"
        "        TCP_CHECK {\n            nb_get_retry 4\n        }\n    }\n}\n");
    ASSERT_TRUE(t.ok()) << testing::diags(t);
    EXPECT_TRUE(testing::has_diag(t,
                                  "keepalived.conf:5:13: warning: unknown keyword "
                                  "'nb_get_retry' in TCP_CHECK"))
        << testing::diags(t);
    EXPECT_EQ(t.model->lvs.virtual_servers[0].real_servers[0].checkers[0].effective.retry, 1U);
}

}  // namespace
}  // namespace vigil::config
