// virtual_server_group, virtual_server, real_server and sorry_server: keywords, values,
// defaults and validation.
#include <gtest/gtest.h>

#include "test_util.h"

namespace vigil::config {
namespace {

using namespace std::chrono_literals;
using testing::diags;
using testing::has_diag;
using testing::load;

// Line 1 opens the virtual server, line 2 sets the protocol, `body` starts on line 3.
std::string vs(const std::string& body) {
    return "virtual_server 10.0.0.1 80 {\nprotocol TCP\n" + body + "\n}\n";
}

const VirtualServer& first_vs(const LoadResult& r) {
    return r.model->lvs.virtual_servers.at(0);
}

TEST(LvsVirtualServer, AddressForm) {
    const auto r = load(vs("real_server 10.0.0.2 8080 {\n}"));
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& v = first_vs(r);
    EXPECT_EQ(v.kind, VirtualServer::Kind::address);
    EXPECT_EQ(v.address.to_string(), "10.0.0.1");
    EXPECT_EQ(v.port, 80);
    EXPECT_EQ(v.loc.line, 1U);
    EXPECT_EQ(v.family, Family::inet);
    ASSERT_EQ(v.real_servers.size(), 1U);
    EXPECT_EQ(v.real_servers[0].address.to_string(), "10.0.0.2");
    EXPECT_EQ(v.real_servers[0].port, 8080);
    EXPECT_EQ(r.diags.warning_count(), 0U) << diags(r);
}

TEST(LvsVirtualServer, Defaults) {
    const auto r = load(vs("real_server 10.0.0.2 80 {\n}"));
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& v = first_vs(r);
    EXPECT_EQ(v.lvs_sched, LvsScheduler::wlc);
    EXPECT_FALSE(v.lvs_method.has_value());
    EXPECT_EQ(v.effective_lvs_method.kind, ForwardingMethod::Kind::nat);
    EXPECT_EQ(v.quorum, 1U);
    EXPECT_EQ(v.hysteresis, 0U);
    EXPECT_EQ(v.weight, 1U);
    EXPECT_FALSE(v.persistence_timeout.has_value());
    EXPECT_EQ(v.smtp_alert, false);  // keepalived.conf(5): virtual servers default to no
    EXPECT_FALSE(v.options.delay_loop.has_value());
    EXPECT_FALSE(v.ha_suspend);
    EXPECT_FALSE(v.omega);
    EXPECT_EQ(v.real_servers[0].weight, 1U);
    EXPECT_EQ(v.real_servers[0].effective_lvs_method.kind, ForwardingMethod::Kind::nat);
    EXPECT_EQ(v.real_servers[0].smtp_alert, true);  // real servers default to yes
}

TEST(LvsVirtualServer, EveryKeyword) {
    const auto r = load(vs(R"(lb_algo sh
flag-1
flag-2
flag-3
sh-port
sh-fallback
lb_kind DR
persistence_engine sip
persistence_timeout 600
persistence_granularity 255.255.255.0
ha_suspend
smtp_alert off
virtualhost www.example.com
snmp_name web
alpha
omega
quorum 3
hysteresis 2
quorum_up "/bin/up arg" nobody
quorum_down /bin/down
ip_family inet
weight 7
sorry_server 10.0.0.9 8080
sorry_server_inhibit
sorry_server_lvs_method NAT
connect_timeout 2.5
retry 4
delay_before_retry 0.25
warmup 0
delay_loop 10
inhibit_on_failure
real_server 10.0.0.2 80 {
  weight 5
})"));
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& v = first_vs(r);
    EXPECT_EQ(v.lvs_sched, LvsScheduler::sh);
    EXPECT_TRUE(v.flag_1 && v.flag_2 && v.flag_3 && v.sh_port && v.sh_fallback);
    ASSERT_TRUE(v.lvs_method.has_value());
    EXPECT_EQ(v.lvs_method->kind, ForwardingMethod::Kind::dr);
    EXPECT_EQ(v.persistence_engine, "sip");
    EXPECT_EQ(v.persistence_timeout, 600U);
    ASSERT_TRUE(v.persistence_granularity.has_value());
    EXPECT_EQ(v.persistence_granularity->netmask.to_string(), "255.255.255.0");
    EXPECT_EQ(v.protocol, LvsProtocol::tcp);
    EXPECT_TRUE(v.ha_suspend);
    EXPECT_EQ(v.smtp_alert, false);
    EXPECT_EQ(v.options.virtualhost, "www.example.com");
    EXPECT_EQ(v.snmp_name, "web");
    EXPECT_EQ(v.options.alpha, true);
    EXPECT_TRUE(v.omega);
    EXPECT_EQ(v.quorum, 3U);
    EXPECT_EQ(v.hysteresis, 2U);
    ASSERT_TRUE(v.quorum_up.has_value());
    EXPECT_EQ(v.quorum_up->argv, (std::vector<std::string>{"/bin/up", "arg"}));
    EXPECT_EQ(v.quorum_up->user, "nobody");
    ASSERT_TRUE(v.quorum_down.has_value());
    EXPECT_EQ(v.quorum_down->argv, (std::vector<std::string>{"/bin/down"}));
    EXPECT_EQ(v.ip_family, Family::inet);
    EXPECT_EQ(v.weight, 7U);
    ASSERT_TRUE(v.sorry_server.has_value());
    EXPECT_EQ(v.sorry_server->address.to_string(), "10.0.0.9");
    EXPECT_EQ(v.sorry_server->port, 8080);
    EXPECT_TRUE(v.sorry_server->inhibit);
    EXPECT_EQ(v.sorry_server->effective_lvs_method.kind, ForwardingMethod::Kind::nat);
    EXPECT_EQ(v.options.connect_timeout, 2500ms);
    EXPECT_EQ(v.options.retry, 4U);
    EXPECT_EQ(v.options.delay_before_retry, 250ms);
    EXPECT_EQ(v.options.warmup, 0s);
    EXPECT_EQ(v.options.delay_loop, 10s);
    EXPECT_EQ(v.options.inhibit_on_failure, true);
    EXPECT_EQ(v.real_servers[0].weight, 5U);
    // The real server inherits the virtual server's DR.
    EXPECT_EQ(v.real_servers[0].effective_lvs_method.kind, ForwardingMethod::Kind::dr);
}

TEST(LvsVirtualServer, AllSchedulersAndAliases) {
    for (const auto* s : {"rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr",
                          "sed", "nq", "twos"}) {
        const auto r = load(vs(std::string("lvs_sched ") + s));
        EXPECT_TRUE(r.ok()) << s << diags(r);
    }
    const auto r = load(vs("lvs_sched mh\nmh-port\nmh-fallback\nlvs_method TUN"));
    ASSERT_TRUE(r.ok()) << diags(r);
    EXPECT_TRUE(first_vs(r).mh_port);
    EXPECT_TRUE(first_vs(r).mh_fallback);
    const auto bad = load(vs("lvs_sched xx"));
    EXPECT_FALSE(bad.ok());
    EXPECT_TRUE(has_diag(bad, "keepalived.conf:3:11: error: lvs_sched: expected one of rr|wrr"))
        << diags(bad);
}

TEST(LvsVirtualServer, ShFlagsWithoutShAreIgnored) {
    const auto r = load(vs("lvs_sched rr\nsh-port\nmh-fallback"));
    ASSERT_TRUE(r.ok()) << diags(r);
    EXPECT_FALSE(first_vs(r).sh_port);
    EXPECT_FALSE(first_vs(r).mh_fallback);
    EXPECT_TRUE(has_diag(r, "keepalived.conf:1:1: warning: virtual_server 10.0.0.1 80: sh-port"));
}

TEST(LvsVirtualServer, OpsRequiresUdp) {
    const auto tcp = load(vs("ops"));
    ASSERT_TRUE(tcp.ok());
    EXPECT_FALSE(first_vs(tcp).ops);
    EXPECT_TRUE(has_diag(tcp, "ops (one-packet scheduling) requires UDP")) << diags(tcp);
    const auto udp = load("virtual_server 10.0.0.1 53 {\nprotocol udp\nops\n}\n");
    ASSERT_TRUE(udp.ok()) << diags(udp);
    EXPECT_TRUE(first_vs(udp).ops);
    EXPECT_EQ(first_vs(udp).protocol, LvsProtocol::udp);
}

TEST(LvsVirtualServer, ForwardingMethods) {
    using F = ForwardingMethod;
    struct Case {
        const char* text;
        F::Kind kind;
        F::Tunnel tunnel;
        std::uint16_t port;
        F::Checksum csum;
    };
    for (const auto& c :
         {Case{"NAT", F::Kind::nat, F::Tunnel::ipip, 0, F::Checksum::nocsum},
          Case{"DR", F::Kind::dr, F::Tunnel::ipip, 0, F::Checksum::nocsum},
          Case{"TUN", F::Kind::tun, F::Tunnel::ipip, 0, F::Checksum::nocsum},
          Case{"TUN type ipip", F::Kind::tun, F::Tunnel::ipip, 0, F::Checksum::nocsum},
          Case{"TUN type gue port 5555", F::Kind::tun, F::Tunnel::gue, 5555, F::Checksum::nocsum},
          Case{"TUN type gue port 6080 remcsum", F::Kind::tun, F::Tunnel::gue, 6080,
               F::Checksum::remcsum},
          Case{"TUN type gre csum", F::Kind::tun, F::Tunnel::gre, 0, F::Checksum::csum},
          Case{"TUN type gre nocsum", F::Kind::tun, F::Tunnel::gre, 0, F::Checksum::nocsum}}) {
        const auto r = load(vs(std::string("lvs_method ") + c.text));
        ASSERT_TRUE(r.ok()) << c.text << diags(r);
        const auto& m = *first_vs(r).lvs_method;
        EXPECT_EQ(m.kind, c.kind) << c.text;
        EXPECT_EQ(m.tunnel, c.tunnel) << c.text;
        EXPECT_EQ(m.tunnel_port, c.port) << c.text;
        EXPECT_EQ(m.checksum, c.csum) << c.text;
    }
}

TEST(LvsVirtualServer, ForwardingMethodErrors) {
    struct Case {
        const char* text;
        const char* diag;
    };
    for (const auto& c : {
             Case{"lb_kind MASQ", "3:9: error: lb_kind: expected one of NAT|DR|TUN, got 'MASQ'"},
             Case{"lvs_method nat", "3:12: error: lvs_method: expected one of NAT|DR|TUN"},
             Case{"lvs_method TUN type gue", "3:12: error: lvs_method: gue tunnels require"},
             Case{"lvs_method TUN port 5", "3:12: error: lvs_method: gue tunnels require"},
             Case{"lvs_method TUN type ipip csum", "3:12: error: lvs_method: ipip tunnels"},
             Case{"lvs_method TUN type gre remcsum", "3:12: error: lvs_method: gre tunnels"},
             Case{"lvs_method TUN type vxlan",
                  "3:21: error: lvs_method: expected one of ipip|gue|gre"},
             Case{"lvs_method TUN type gue port 0", "3:30: error: lvs_method: 0 is out of range"},
             Case{"lvs_method TUN bogus", "3:16: error: lvs_method: unknown tunnel option 'bogus'"},
             Case{"lvs_method", "3:11: error: lvs_method: missing argument"},
         }) {
        const auto r = load(vs(c.text));
        EXPECT_FALSE(r.ok()) << c.text;
        EXPECT_TRUE(has_diag(r, std::string("keepalived.conf:") + c.diag)) << c.text << diags(r);
    }
}

TEST(LvsVirtualServer, Persistence) {
    const auto bare = load(vs("persistence_timeout"));
    ASSERT_TRUE(bare.ok()) << diags(bare);
    EXPECT_EQ(first_vs(bare).persistence_timeout, 360U);
    const auto max = load(vs("persistence_timeout 2678400"));
    ASSERT_TRUE(max.ok());
    EXPECT_EQ(first_vs(max).persistence_timeout, 2678400U);
    // keepalived 2.2.7 ignores 0 (invalid) and runs the service without persistence.
    const auto zero = load(vs("persistence_timeout 0"));
    ASSERT_TRUE(zero.ok()) << diags(zero);
    EXPECT_FALSE(first_vs(zero).persistence_timeout.has_value());
    EXPECT_TRUE(has_diag(zero,
                         "3:21: warning: persistence_timeout: 0 is ignored, as "
                         "keepalived does"))
        << diags(zero);
    // Granularity alone makes the service persistent with the default timeout.
    const auto gran = load(vs("persistence_granularity 255.255.0.0"));
    ASSERT_TRUE(gran.ok()) << diags(gran);
    EXPECT_EQ(first_vs(gran).persistence_timeout, 360U);
    const auto v6 = load(
        "virtual_server 2001:db8::1 80 {\nprotocol TCP\n"
        "persistence_granularity 64\n}\n");
    ASSERT_TRUE(v6.ok()) << diags(v6);
    EXPECT_EQ(first_vs(v6).persistence_granularity->family, Family::inet6);
    EXPECT_EQ(first_vs(v6).persistence_granularity->prefix_len, 64);
    const auto mismatch = load(vs("persistence_granularity 64"));
    EXPECT_TRUE(has_diag(mismatch,
                         "keepalived.conf:1:1: error: virtual_server 10.0.0.1 80: "
                         "persistence_granularity is for inet6"))
        << diags(mismatch);
    const auto badmask = load(vs("persistence_granularity 255.255.0"));
    EXPECT_TRUE(has_diag(badmask,
                         "3:25: error: persistence_granularity: expected an IPv4 "
                         "netmask"))
        << diags(badmask);
    const auto pe = load(vs("persistence_engine abcdefghijklmnop"));
    EXPECT_TRUE(has_diag(pe,
                         "3:20: error: persistence_engine: expected a persistence engine "
                         "name of 1-15 characters"))
        << diags(pe);
}

TEST(LvsVirtualServer, PortOmission) {
    const auto np = load("virtual_server 10.0.0.1 {\nprotocol TCP\n}\n");
    EXPECT_FALSE(np.ok());
    EXPECT_TRUE(has_diag(np,
                         "keepalived.conf:1:1: error: virtual_server 10.0.0.1 0: the port "
                         "can only be omitted for a persistent service"))
        << diags(np);
    // Port 0 means "no port", as in keepalived.
    EXPECT_FALSE(load("virtual_server 10.0.0.1 0 {\nprotocol TCP\n}\n").ok());
    const auto p = load(
        "virtual_server 10.0.0.1 {\nprotocol TCP\npersistence_timeout 30\n"
        "real_server 10.0.0.2 {\n}\n}\n");
    ASSERT_TRUE(p.ok()) << diags(p);
    EXPECT_EQ(first_vs(p).port, 0);
    EXPECT_EQ(first_vs(p).real_servers[0].port, 0);
    const auto big = load("virtual_server 10.0.0.1 65536 {\n}\n");
    EXPECT_TRUE(has_diag(big,
                         "keepalived.conf:1:25: error: virtual_server: 65536 is out of "
                         "range; expected an integer in [0, 65535]"))
        << diags(big);
    const auto badip = load("virtual_server 10.0.0.300 80 {\n}\n");
    EXPECT_TRUE(has_diag(badip,
                         "keepalived.conf:1:16: error: virtual_server: expected an IPv4 "
                         "or IPv6 address, got '10.0.0.300'"))
        << diags(badip);
}

TEST(LvsVirtualServer, ProtocolDefaultsAndFwmark) {
    const auto none = load("virtual_server 10.0.0.1 80 {\n}\n");
    ASSERT_TRUE(none.ok()) << diags(none);
    EXPECT_EQ(first_vs(none).protocol, LvsProtocol::udp);
    EXPECT_TRUE(has_diag(none,
                         "keepalived.conf:1:1: warning: virtual_server 10.0.0.1 80: no "
                         "protocol set; defaulting to UDP"));
    for (const auto& [text, proto] : {std::pair{"TCP", LvsProtocol::tcp},
                                      {"udp", LvsProtocol::udp},
                                      {"SCTP", LvsProtocol::sctp}}) {
        const auto r =
            load(std::string("virtual_server 10.0.0.1 80 {\nprotocol ") + text + "\n}\n");
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(first_vs(r).protocol, proto);
    }
    const auto bad = load("virtual_server 10.0.0.1 80 {\nprotocol ICMP\n}\n");
    EXPECT_TRUE(has_diag(bad,
                         "keepalived.conf:2:10: error: protocol: expected one of "
                         "TCP|UDP|SCTP, got 'ICMP'"));

    const auto fw = load(
        "virtual_server fwmark 7 {\nprotocol TCP\n"
        "real_server 10.0.0.2 {\n}\n}\n");
    ASSERT_TRUE(fw.ok()) << diags(fw);
    EXPECT_EQ(first_vs(fw).kind, VirtualServer::Kind::fwmark);
    EXPECT_EQ(first_vs(fw).fwmark, 7U);
    EXPECT_FALSE(first_vs(fw).protocol.has_value());
    EXPECT_TRUE(has_diag(fw, "warning: virtual_server fwmark 7: protocol is ignored"));
    const auto fw0 = load("virtual_server fwmark 0 {\n}\n");
    EXPECT_TRUE(has_diag(fw0,
                         "keepalived.conf:1:23: error: virtual_server: 0 is out of range; "
                         "expected an integer in [1, 4294967295]"))
        << diags(fw0);
    const auto fwhex = load("virtual_server fwmark 0x10 {\n}\n");
    EXPECT_TRUE(has_diag(fwhex, "keepalived.conf:1:23: error:")) << diags(fwhex);
}

TEST(LvsVirtualServer, FwmarkFamily) {
    // Family from a non-tunnelled real server.
    const auto v6 = load("virtual_server fwmark 1 {\nreal_server 2001:db8::2 80 {\n}\n}\n");
    ASSERT_TRUE(v6.ok()) << diags(v6);
    EXPECT_EQ(first_vs(v6).family, Family::inet6);
    // All tunnelled and mixed: IPv4 unless ip_family says otherwise.
    const std::string mixed = "real_server 2001:db8::2 80 {\n}\nreal_server 10.0.0.2 80 {\n}\n}\n";
    const auto m4 = load("virtual_server fwmark 1 {\nlvs_method TUN\n" + mixed);
    ASSERT_TRUE(m4.ok()) << diags(m4);
    EXPECT_EQ(first_vs(m4).family, Family::inet);
    const auto m6 = load("virtual_server fwmark 1 {\nlvs_method TUN\nip_family inet6\n" + mixed);
    ASSERT_TRUE(m6.ok()) << diags(m6);
    EXPECT_EQ(first_vs(m6).family, Family::inet6);
    // All tunnelled, same family: that family.
    const auto t6 = load(
        "virtual_server fwmark 1 {\nlvs_method TUN\n"
        "real_server 2001:db8::2 80 {\n}\n}\n");
    ASSERT_TRUE(t6.ok());
    EXPECT_EQ(first_vs(t6).family, Family::inet6);
    const auto conflict = load(vs("ip_family inet6"));
    EXPECT_TRUE(has_diag(conflict,
                         "keepalived.conf:1:1: error: virtual_server 10.0.0.1 80: "
                         "ip_family inet6 conflicts"))
        << diags(conflict);
    const auto badfam = load(vs("ip_family ipv4"));
    EXPECT_TRUE(has_diag(badfam, "3:11: error: ip_family: expected one of inet|inet6"));
}

TEST(LvsVirtualServer, QuorumAndHysteresis) {
    // keepalived 2.2.7: "Setting to 1".
    const auto q0 = load(vs("quorum 0"));
    ASSERT_TRUE(q0.ok()) << diags(q0);
    EXPECT_EQ(first_vs(q0).quorum, 1U);
    EXPECT_TRUE(has_diag(q0, "3:8: warning: quorum: 0 is set to 1")) << diags(q0);
    const auto h = load(vs("quorum 2\nhysteresis 5"));
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(first_vs(h).hysteresis, 1U);
    EXPECT_TRUE(has_diag(h,
                         "warning: virtual_server 10.0.0.1 80: hysteresis 5 >= quorum 2; "
                         "using 1"));
    const auto neg = load(vs("hysteresis -1"));
    EXPECT_TRUE(has_diag(neg, "3:12: error: hysteresis: -1 is out of range"));
    const auto w = load(vs("weight 0"));
    EXPECT_TRUE(has_diag(w,
                         "3:8: error: weight: 0 is out of range; expected an integer in "
                         "[1, 2147483647]"));
}

TEST(LvsVirtualServer, TimerRangesAndBooleans) {
    struct Case {
        const char* text;
        const char* diag;
    };
    for (const auto& c : {
             Case{"delay_loop 0", "3:12: error: delay_loop: 0 is out of range"},
             Case{"delay_loop 1.1234567", "3:12: error: delay_loop: expected seconds"},
             Case{"connect_timeout 0", "3:17: error: connect_timeout: 0 is out of range"},
             Case{"connect_timeout 4295",
                  "3:17: error: connect_timeout: 4295 is out of range; "
                  "expected seconds in [0.000001, 4294.967295]"},
             Case{"retry 0",
                  "3:7: error: retry: 0 is out of range; expected an integer in "
                  "[1, 4294967295]"},
             Case{"warmup -1", "3:8: error: warmup: expected seconds"},
             Case{"smtp_alert bad", "3:12: error: smtp_alert: expected on|off|true|false|yes|no"},
             Case{"virtualhost", "3:12: error: virtualhost: missing argument"},
             Case{"sorry_server_inhibit",
                  "3:21: error: sorry_server_inhibit: sorry_server_"
                  "inhibit must follow a sorry_server line"},
             Case{"sorry_server_lvs_method DR",
                  "3:25: error: sorry_server_lvs_method: "
                  "sorry_server_lvs_method must follow"},
             Case{"quorum_up /a\nquorum_up /b",
                  "4:11: error: quorum_up: quorum_up is already "
                  "set"},
             Case{"sorry_server 10.0.0.9 x", "3:23: error: sorry_server: expected an integer"},
         }) {
        const auto r = load(vs(c.text));
        EXPECT_FALSE(r.ok()) << c.text;
        EXPECT_TRUE(has_diag(r, std::string("keepalived.conf:") + c.diag)) << c.text << diags(r);
    }
    const auto ok =
        load(vs("delay_loop 0.000001\nwarmup 0\ndelay_before_retry 0\n"
                "inhibit_on_failure off\nsmtp_alert\nalpha no\nomega on"));
    ASSERT_TRUE(ok.ok()) << diags(ok);
    EXPECT_EQ(first_vs(ok).options.delay_loop, 1us);
    EXPECT_EQ(first_vs(ok).options.inhibit_on_failure, false);
    EXPECT_EQ(first_vs(ok).smtp_alert, true);
    EXPECT_EQ(first_vs(ok).options.alpha, false);
    EXPECT_TRUE(first_vs(ok).omega);
}

TEST(LvsVirtualServer, UnknownKeywordWarns) {
    const auto r = load(vs("delay_lop 5"));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(has_diag(r,
                         "keepalived.conf:3:1: warning: unknown keyword 'delay_lop' in "
                         "virtual_server; skipped (did you mean 'delay_loop'?)"))
        << diags(r);
}

TEST(LvsRealServer, EveryKeyword) {
    const auto r = load(vs(R"(real_server 10.0.0.2 8080 {
  weight 0
  lvs_method TUN type gre
  notify_up "/bin/notify up" root
  notify_down /bin/down
  uthreshold 4294967295
  lthreshold 10
  smtp_alert on
  virtualhost rs.example.com
  snmp_name rs1
  alpha off
  connect_timeout 1
  retry 2
  delay_before_retry 3
  warmup 4
  delay_loop 5
  inhibit_on_failure yes
})"));
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& rs = first_vs(r).real_servers.at(0);
    EXPECT_EQ(rs.weight, 0U);
    ASSERT_TRUE(rs.lvs_method.has_value());
    EXPECT_EQ(rs.lvs_method->tunnel, ForwardingMethod::Tunnel::gre);
    EXPECT_EQ(rs.effective_lvs_method, *rs.lvs_method);
    EXPECT_EQ(rs.notify_up->argv, (std::vector<std::string>{"/bin/notify", "up"}));
    EXPECT_EQ(rs.notify_up->user, "root");
    EXPECT_EQ(rs.notify_down->argv, (std::vector<std::string>{"/bin/down"}));
    EXPECT_EQ(rs.uthreshold, 4294967295U);
    EXPECT_EQ(rs.lthreshold, 10U);
    EXPECT_EQ(rs.smtp_alert, true);
    EXPECT_EQ(rs.options.virtualhost, "rs.example.com");
    EXPECT_EQ(rs.snmp_name, "rs1");
    EXPECT_EQ(rs.options.alpha, false);
    EXPECT_EQ(rs.options.connect_timeout, 1s);
    EXPECT_EQ(rs.options.retry, 2U);
    EXPECT_EQ(rs.options.delay_before_retry, 3s);
    EXPECT_EQ(rs.options.warmup, 4s);
    EXPECT_EQ(rs.options.delay_loop, 5s);
    EXPECT_EQ(rs.options.inhibit_on_failure, true);
    EXPECT_EQ(rs.loc.line, 3U);
    EXPECT_EQ(rs.loc.col, 1U);
}

TEST(LvsRealServer, Errors) {
    struct Case {
        const char* text;
        const char* diag;
    };
    for (const auto& c : {
             Case{"real_server 10.0.0.2 80 {\nweight 2147483648\n}",
                  "4:8: error: weight: 2147483648 is out of range; expected an integer in "
                  "[0, 2147483647]"},
             Case{"real_server 10.0.0.2 80 {\nweight -1\n}", "4:8: error: weight: -1 is out"},
             Case{"real_server 10.0.0.2 80 {\nretry 0\n}", "4:7: error: retry: 0 is out of range"},
             Case{"real_server 10.0.0.2 80 {\nlthreshold -1\n}", "4:12: error: lthreshold:"},
             Case{"real_server 10.0.0.2 80 {\nalpha bad\n}", "4:7: error: alpha: expected on|off"},
             Case{"real_server 10.0.0.2 80 {\nnotify_up /a\nnotify_up /b\n}",
                  "5:11: error: notify_up: notify_up is already set"},
             Case{"real_server 10.0.0.2 80 {\nnotify_down\n}",
                  "4:12: error: notify_down: missing argument"},
             Case{"real_server 10.0.0.2 99999 {\n}",
                  "3:22: error: real_server: 99999 is out of "
                  "range"},
             Case{"real_server foo 80 {\n}",
                  "3:13: error: real_server: expected an IPv4 or "
                  "IPv6 address, got 'foo'"},
             Case{"real_server 10.0.0.2 80", "3:24: error: 'real_server' expects a block"},
             Case{"real_server 10.0.0.2 80 {\n}\nreal_server 10.0.0.2 80 {\n}",
                  "5:1: error: real_server 10.0.0.2 80 is duplicated in virtual_server "
                  "10.0.0.1 80"},
             Case{"real_server 2001:db8::2 80 {\n}",
                  "3:1: error: real_server 2001:db8::2 is inet6 but virtual_server 10.0.0.1 80 "
                  "is inet; only tunnelled (TUN) servers may differ"},
             Case{"sorry_server 2001:db8::9 80",
                  "3:14: error: sorry_server 2001:db8::9 is inet6 but virtual_server"},
         }) {
        const auto r = load(vs(c.text));
        EXPECT_FALSE(r.ok()) << c.text;
        EXPECT_TRUE(has_diag(r, std::string("keepalived.conf:") + c.diag)) << c.text << diags(r);
    }
}

TEST(LvsRealServer, TunnelledMayDifferInFamily) {
    const auto r =
        load(vs("real_server 2001:db8::2 80 {\nlvs_method TUN\n}\n"
                "sorry_server 2001:db8::9 80\nsorry_server_lvs_method TUN"));
    ASSERT_TRUE(r.ok()) << diags(r);
    EXPECT_EQ(first_vs(r).family, Family::inet);
    EXPECT_EQ(first_vs(r).sorry_server->effective_lvs_method.kind, ForwardingMethod::Kind::tun);
    // Same address with another port is not a duplicate.
    EXPECT_TRUE(load(vs("real_server 10.0.0.2 80 {\n}\nreal_server 10.0.0.2 81 {\n}")).ok());
}

TEST(LvsGroup, RangeForms) {
    const auto r = load(R"(virtual_server_group G {
  192.168.200.1-10 80
  192.168.200.250-192.168.201.10 80
  192.168.202.8/29 443
  10.0.0.1
  10.0.0.2 0
  fwmark 5
  fwmark 6 inet
}
virtual_server group G {
  protocol TCP
  persistence_timeout
  real_server 10.0.0.9 {
  }
}
)");
    ASSERT_TRUE(r.ok()) << diags(r);
    ASSERT_EQ(r.model->lvs.virtual_server_groups.size(), 1U);
    const auto& g = r.model->lvs.virtual_server_groups[0];
    EXPECT_EQ(g.name, "G");
    ASSERT_EQ(g.ranges.size(), 5U);
    EXPECT_EQ(g.ranges[0].first.to_string(), "192.168.200.1");
    EXPECT_EQ(g.ranges[0].last.to_string(), "192.168.200.10");
    EXPECT_EQ(g.ranges[0].port, 80);
    EXPECT_EQ(g.ranges[1].first.to_string(), "192.168.200.250");
    EXPECT_EQ(g.ranges[1].last.to_string(), "192.168.201.10");
    EXPECT_EQ(g.ranges[2].first.to_string(), "192.168.202.8");
    EXPECT_EQ(g.ranges[2].last.to_string(), "192.168.202.15");
    EXPECT_EQ(g.ranges[2].port, 443);
    EXPECT_EQ(g.ranges[3].first, g.ranges[3].last);
    EXPECT_EQ(g.ranges[3].port, 0);
    EXPECT_EQ(g.ranges[4].port, 0);
    EXPECT_EQ(g.ranges[0].loc.line, 2U);
    EXPECT_EQ(g.ranges[0].loc.col, 3U);
    ASSERT_EQ(g.fwmarks.size(), 2U);
    EXPECT_EQ(g.fwmarks[0].fwmark, 5U);
    EXPECT_FALSE(g.fwmarks[0].family.has_value());
    EXPECT_EQ(g.fwmarks[1].family, Family::inet);
    const auto& v = first_vs(r);
    EXPECT_EQ(v.kind, VirtualServer::Kind::group);
    EXPECT_EQ(v.group, "G");
    EXPECT_EQ(v.family, Family::inet);
}

TEST(LvsGroup, Ipv6Ranges) {
    const auto r = load(
        "virtual_server_group G6 {\n2001:db8::1-ff 80\n2001:db8::/120 80\n"
        "2001:db8::10-2001:db8::1:0 80\n}\n");
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& g = r.model->lvs.virtual_server_groups[0];
    EXPECT_EQ(g.ranges[0].last.to_string(), "2001:db8::ff");
    EXPECT_EQ(g.ranges[1].last.to_string(), "2001:db8::ff");
    EXPECT_EQ(g.ranges[2].last.to_string(), "2001:db8::1:0");
}

TEST(LvsGroup, Errors) {
    struct Case {
        const char* text;
        const char* diag;
    };
    for (const auto& c : {
             Case{"10.0.0.5-5 80", "2:1: error: virtual_server_group: range end is not above"},
             Case{"10.0.0.5-3 80", "2:1: error: virtual_server_group: range end is not above"},
             Case{"10.0.0.5-256 80", "2:1: error: virtual_server_group: invalid range end '256'"},
             Case{"10.0.0.5-10.0.0.1 80", "2:1: error: virtual_server_group: range end is below"},
             Case{"10.0.0.5-2001:db8::1 80", "2:1: error: virtual_server_group: invalid range end"},
             Case{"10.0.0.9/29 80", "2:1: error: virtual_server_group: host bits are set"},
             Case{"10.0.0.8/33 80", "2:1: error: virtual_server_group: prefix length must be 1-32"},
             Case{"10.0.0.8/0 80", "2:1: error: virtual_server_group: prefix length must be 1-32"},
             Case{"10.0.0.x 80", "2:1: error: virtual_server_group: invalid address '10.0.0.x'"},
             Case{"10.0.0.1 65536", "2:10: error: virtual_server_group: 65536 is out of range"},
             Case{"fwmark", "2:7: error: virtual_server_group: missing argument"},
             Case{"fwmark x", "2:8: error: virtual_server_group: expected an integer"},
             Case{"fwmark 1 ipv6", "2:10: error: virtual_server_group: expected one of inet|inet6"},
         }) {
        const auto r = load(std::string("virtual_server_group G {\n") + c.text + "\n}\n");
        EXPECT_FALSE(r.ok()) << c.text;
        EXPECT_TRUE(has_diag(r, std::string("keepalived.conf:") + c.diag)) << c.text << diags(r);
    }
    const auto empty = load("virtual_server_group G {\n}\n");
    EXPECT_TRUE(has_diag(empty,
                         "keepalived.conf:1:1: error: virtual_server_group G has no "
                         "entries"));
    const auto mixed = load("virtual_server_group G {\n10.0.0.1 80\n2001:db8::1 80\nfwmark 1\n}\n");
    EXPECT_TRUE(has_diag(mixed,
                         "keepalived.conf:1:1: error: virtual_server_group G has IPv4 and "
                         "IPv6 addresses, so its fwmarks need inet or inet6"));
    const auto dup = load(
        "virtual_server_group G {\nfwmark 1\n}\nvirtual_server_group G {\n"
        "fwmark 2\n}\n");
    EXPECT_TRUE(has_diag(dup,
                         "keepalived.conf:4:1: error: virtual_server_group G is already "
                         "defined"));
    const auto undefined = load("virtual_server group NOPE {\nprotocol TCP\n}\n");
    EXPECT_FALSE(undefined.ok());
    EXPECT_TRUE(has_diag(undefined,
                         "keepalived.conf:1:22: error: virtual_server group 'NOPE' is "
                         "not defined by any virtual_server_group"))
        << diags(undefined);
    const auto noname = load("virtual_server group {\n}\n");
    EXPECT_TRUE(has_diag(noname,
                         "keepalived.conf:1:21: error: virtual_server: missing argument; "
                         "expected group <NAME>"))
        << diags(noname);
}

TEST(LvsGroup, MixedFamilyGroupNeedsTunnelledServers) {
    const std::string group =
        "virtual_server_group G {\n10.0.0.1 80\n2001:db8::1 80\nfwmark 1 inet\n}\n";
    const auto bad = load(group +
                          "virtual_server group G {\nprotocol TCP\n"
                          "real_server 10.0.0.2 80 {\n}\n}\n");
    EXPECT_TRUE(has_diag(bad,
                         "keepalived.conf:8:1: error: real_server 10.0.0.2: "
                         "virtual_server_group 'G' mixes IPv4 and IPv6"))
        << diags(bad);
    const auto ok = load(group +
                         "virtual_server group G {\nprotocol TCP\nlvs_method TUN\n"
                         "real_server 10.0.0.2 80 {\n}\n}\n");
    EXPECT_TRUE(ok.ok()) << diags(ok);
}

TEST(LvsSsl, Block) {
    const auto r = load(
        "SSL {\npassword secret\nca /etc/ca.pem\ncertificate /etc/c.pem\n"
        "key /etc/k.pem\n}\n");
    ASSERT_TRUE(r.ok()) << diags(r);
    ASSERT_TRUE(r.model->lvs.ssl.has_value());
    EXPECT_EQ(r.model->lvs.ssl->password, "secret");
    EXPECT_EQ(r.model->lvs.ssl->ca, "/etc/ca.pem");
    EXPECT_EQ(r.model->lvs.ssl->certificate, "/etc/c.pem");
    EXPECT_EQ(r.model->lvs.ssl->key, "/etc/k.pem");
    const auto missing = load("SSL {\nkey\n}\n");
    EXPECT_TRUE(has_diag(missing, "keepalived.conf:2:4: error: key: missing argument"));
    const auto none = load(
        "virtual_server 10.0.0.1 443 {\nprotocol TCP\n"
        "real_server 10.0.0.2 443 {\nSSL_GET {\nurl {\npath /\n}\n}\n}\n}\n");
    ASSERT_TRUE(none.ok()) << diags(none);
    EXPECT_FALSE(none.model->lvs.ssl.has_value());  // SSL_GET uses an auto-generated context
}

// DR and TUN forward to the service's port: keepalived 2.2.7 resets a real server's port, or
// clears it for a fwmark service, with a warning; the checkers keep the port as written. A
// server without a port gets the service's.
TEST(LvsVirtualServer, ForwardedPortsAsKeepalivedCorrectsThem) {
    const auto r = load(R"(virtual_server 192.0.2.1 80 {
    protocol TCP
    lvs_method DR
    real_server 192.0.2.2 8080 {
        TCP_CHECK {
        }
    }
    real_server 192.0.2.3 8081 {
        lvs_method TUN
    }
    real_server 192.0.2.4 8082 {
        lvs_method NAT
    }
    real_server 192.0.2.5 {
        lvs_method NAT
    }
}
virtual_server fwmark 7 {
    protocol TCP
    lvs_method DR
    real_server 192.0.2.6 443 {
    }
}
)");
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& v = r.model->lvs.virtual_servers.at(0).real_servers;
    EXPECT_EQ(v.at(0).port, 80);
    EXPECT_EQ(v.at(0).checkers.at(0).effective.connect_port, 8080);
    EXPECT_EQ(v.at(1).port, 80);
    EXPECT_EQ(v.at(2).port, 8082);
    EXPECT_EQ(v.at(3).port, 80);
    EXPECT_EQ(r.model->lvs.virtual_servers.at(1).real_servers.at(0).port, 0);
    EXPECT_TRUE(has_diag(r, "keepalived.conf:4:5: warning: "));
    EXPECT_TRUE(has_diag(r,
                         "real_server 192.0.2.2 port 8080 cannot differ from the service's "
                         "with lvs_method DR; reset to 80"))
        << diags(r);
    EXPECT_TRUE(has_diag(r, "lvs_method TUN; reset to 80")) << diags(r);
    EXPECT_TRUE(has_diag(r,
                         "real_server 192.0.2.6 port 443 cannot differ from the service's "
                         "with lvs_method DR; cleared"))
        << diags(r);
    EXPECT_FALSE(has_diag(r, "192.0.2.4 port")) << diags(r);
}

}  // namespace
}  // namespace vigil::config
