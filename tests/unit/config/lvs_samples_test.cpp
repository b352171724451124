// keepalived's own LVS sample configurations, the JSON dump, and a large generated
// configuration.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "config/dump.h"
#include "test_util.h"

namespace vigil::config {
namespace {

using namespace std::chrono_literals;
using testing::diags;
using testing::load;

const std::string kSamples = "/usr/share/doc/keepalived/samples/keepalived.conf.";

LoadResult load_sample(const std::string& name) {
    LoadOptions o;
    o.read.config_id = "main";
    o.read.random_seed = 42;
    o.env.host_name = "director1.example.com";
    return load_config_file(kSamples + name, o);
}

// keepalived's samples load; the only warnings are the documented ones (a protocol given for
// a fwmark service, VRRP settings keepalived corrects), never an unknown keyword.
void expect_clean_lvs(const LoadResult& r, const std::string& name) {
    EXPECT_TRUE(r.ok()) << name << "\n" << diags(r);
    EXPECT_EQ(r.diags.error_count(), 0U) << name << "\n" << diags(r);
    for (const auto& d : r.diags.all()) {
        const bool vrrp_correction = d.message.starts_with("vrrp_instance '");
        const bool fwmark_protocol = d.message.find("protocol is ignored") != std::string::npos;
        EXPECT_TRUE(vrrp_correction || fwmark_protocol) << name << ": " << d.message;
    }
}

class LvsSample : public ::testing::TestWithParam<std::string> {};

TEST_P(LvsSample, LoadsWithoutLvsDiagnostics) {
    if (!std::filesystem::exists(kSamples + GetParam()))
        GTEST_SKIP() << "keepalived samples not installed";
    const auto r = load_sample(GetParam());
    expect_clean_lvs(r, GetParam());
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.model->lvs.virtual_servers.empty());
    for (const auto& vs : r.model->lvs.virtual_servers)
        for (const auto& rs : vs.real_servers)
            for (const auto& c : rs.checkers) EXPECT_GT(c.effective.delay_loop.count(), 0);
}

INSTANTIATE_TEST_SUITE_P(Samples, LvsSample,
                         ::testing::Values("HTTP_GET.port", "SSL_GET", "SMTP_CHECK", "UDP_CHECK",
                                           "PING_CHECK", "misc_check", "misc_check_arg", "quorum",
                                           "virtual_server_group", "virtualhost", "status_code",
                                           "inhibit", "fwmark", "IPv6", "sample"),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                             std::string n = p.param;
                             for (auto& c : n)
                                 if (c == '.') c = '_';
                             return n;
                         });

TEST(LvsSamples, QuorumValues) {
    if (!std::filesystem::exists(kSamples + "quorum")) GTEST_SKIP();
    const auto r = load_sample("quorum");
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto& vs = r.model->lvs.virtual_servers.at(0);
    EXPECT_EQ(vs.address.to_string(), "10.0.1.1");
    EXPECT_EQ(vs.lvs_sched, LvsScheduler::wrr);
    EXPECT_EQ(vs.persistence_timeout, 900U);
    EXPECT_EQ(vs.options.alpha, true);
    EXPECT_TRUE(vs.omega);
    EXPECT_EQ(vs.quorum, 7U);
    EXPECT_EQ(vs.hysteresis, 2U);
    EXPECT_EQ(vs.quorum_up->argv, (std::vector<std::string>{"/usr/local/sbin/quorum-up.sh"}));
    EXPECT_EQ(vs.real_servers.size(), 10U);
    const auto& c = vs.real_servers.at(0).checkers.at(0);
    EXPECT_EQ(c.effective.connect_port, 80);
    EXPECT_EQ(c.effective.connect_timeout, 3s);
    EXPECT_EQ(c.effective.delay_loop, 6s);  // from the virtual server
    EXPECT_TRUE(c.effective.alpha);         // from the virtual server
}

TEST(LvsSamples, OtherValues) {
    if (!std::filesystem::exists(kSamples + "virtualhost")) GTEST_SKIP();
    const auto vh = load_sample("virtualhost");
    ASSERT_TRUE(vh.ok()) << diags(vh);
    const auto& c = vh.model->lvs.virtual_servers.at(0).real_servers.at(0).checkers.at(0);
    EXPECT_EQ(checker_keyword(c), "SSL_GET");
    EXPECT_EQ(c.effective.virtualhost, "www.firewall.loc");
    const auto& h = std::get<HttpCheck>(c.kind);
    ASSERT_EQ(h.urls.size(), 2U);
    EXPECT_EQ(h.urls[1].path, "/mrtg/");
    EXPECT_EQ(h.urls[1].digest, "9b3a0c85a887a256d6939da88aabd8cd");
    EXPECT_EQ(h.urls[1].effective_virtualhost, "www.firewall.loc");

    const auto misc = load_sample("misc_check_arg");
    ASSERT_TRUE(misc.ok()) << diags(misc);
    const auto& m = std::get<MiscCheck>(
        misc.model->lvs.virtual_servers.at(0).real_servers.at(0).checkers.at(0).kind);
    EXPECT_EQ(m.misc_path.argv,
              (std::vector<std::string>{"/usr/local/bin/script.sh", "arg1", "arg2"}));

    const auto v6 = load_sample("IPv6");
    ASSERT_TRUE(v6.ok()) << diags(v6);
    const auto& g = v6.model->lvs.virtual_server_groups.at(0);
    EXPECT_EQ(g.name, "IPv6_group");
    EXPECT_EQ(g.ranges.at(0).first.to_string(), "ae00::2");
    EXPECT_EQ(g.ranges.at(0).last.to_string(), "ae00::9");
    EXPECT_EQ(v6.model->lvs.virtual_servers.at(0).family, Family::inet6);

    const auto udp = load_sample("UDP_CHECK");
    ASSERT_TRUE(udp.ok()) << diags(udp);
    const auto& uc = udp.model->lvs.virtual_servers.at(0).real_servers.at(0).checkers.at(0);
    EXPECT_TRUE(std::holds_alternative<UdpCheck>(uc.kind));
    EXPECT_EQ(uc.effective.retry, 3U);
    EXPECT_EQ(udp.model->lvs.virtual_servers.at(0).protocol, LvsProtocol::udp);
}

TEST(LvsDump, EveryFieldWithKeywordNames) {
    const auto r = load(R"(virtual_server_group G {
  10.0.0.1-3 80
  fwmark 9 inet
}
virtual_server group G {
  protocol TCP
  lvs_sched sh
  sh-port
  lvs_method TUN type gue port 6080 csum
  persistence_timeout
  delay_loop 2.5
  sorry_server 10.0.0.50 80
  sorry_server_inhibit
  quorum_up "/bin/up now" nobody
  real_server 10.0.0.9 80 {
    weight 3
    HTTP_GET {
      url {
        path /
        status_code 200 301-302
      }
    }
    UDP_CHECK {
      payload 0a0b
      require_reply 1x
    }
    MISC_CHECK {
      misc_path /bin/check
      misc_timeout 4
    }
  }
}
SSL {
  ca /etc/ca.pem
}
)");
    ASSERT_TRUE(r.ok()) << diags(r);
    const auto j = nlohmann::json::parse(dump_json(*r.model));
    const auto& lvs = j.at("lvs");
    const auto& g = lvs.at("virtual_server_group").at(0);
    EXPECT_EQ(g.at("name"), "G");
    EXPECT_EQ(g.at("ranges").at(0).at("first"), "10.0.0.1");
    EXPECT_EQ(g.at("ranges").at(0).at("last"), "10.0.0.3");
    EXPECT_EQ(g.at("ranges").at(0).at("port"), 80);
    EXPECT_EQ(g.at("fwmarks").at(0).at("fwmark"), 9);
    EXPECT_EQ(g.at("fwmarks").at(0).at("family"), "inet");
    const auto& vs = lvs.at("virtual_server").at(0);
    EXPECT_EQ(vs.at("group"), "G");
    EXPECT_EQ(vs.at("lvs_sched"), "sh");
    EXPECT_EQ(vs.at("sh-port"), true);
    EXPECT_EQ(vs.at("flag-1"), false);
    EXPECT_EQ(vs.at("lvs_method").at("method"), "TUN");
    EXPECT_EQ(vs.at("lvs_method").at("type"), "gue");
    EXPECT_EQ(vs.at("lvs_method").at("port"), 6080);
    EXPECT_EQ(vs.at("lvs_method").at("checksum"), "csum");
    EXPECT_EQ(vs.at("persistence_timeout"), 360);
    EXPECT_EQ(vs.at("protocol"), "TCP");
    EXPECT_EQ(vs.at("delay_loop"), 2.5);
    EXPECT_TRUE(vs.at("connect_timeout").is_null());
    EXPECT_EQ(vs.at("smtp_alert"), false);  // resolved from global_defs (none: no)
    EXPECT_EQ(vs.at("quorum"), 1);
    EXPECT_EQ(vs.at("family"), "inet");
    EXPECT_EQ(vs.at("quorum_up").at("argv"), nlohmann::json::array({"/bin/up", "now"}));
    EXPECT_EQ(vs.at("quorum_up").at("user"), "nobody");
    EXPECT_EQ(vs.at("sorry_server").at("address"), "10.0.0.50");
    EXPECT_EQ(vs.at("sorry_server").at("inhibit"), true);
    EXPECT_EQ(vs.at("sorry_server").at("effective_lvs_method").at("method"), "TUN");
    const auto& rs = vs.at("real_server").at(0);
    EXPECT_EQ(rs.at("address"), "10.0.0.9");
    EXPECT_EQ(rs.at("weight"), 3);
    EXPECT_TRUE(rs.at("lvs_method").is_null());
    EXPECT_EQ(rs.at("effective_lvs_method").at("type"), "gue");
    const auto& http = rs.at("checkers").at(0);
    EXPECT_EQ(http.at("type"), "HTTP_GET");
    EXPECT_EQ(http.at("http_protocol"), "1.0");
    EXPECT_EQ(http.at("url").at(0).at("status_code"), nlohmann::json::array({"200", "301-302"}));
    EXPECT_EQ(http.at("effective").at("delay_loop"), 2.5);
    EXPECT_EQ(http.at("effective").at("warmup"), 2.5);
    EXPECT_EQ(http.at("effective").at("connect_timeout"), 5);
    EXPECT_EQ(http.at("effective").at("delay_before_retry"), 3);
    EXPECT_EQ(http.at("effective").at("connect_ip"), "10.0.0.9");
    EXPECT_EQ(http.at("effective").at("connect_port"), 80);
    const auto& udp = rs.at("checkers").at(1);
    EXPECT_EQ(udp.at("payload"), "0a0b");
    EXPECT_EQ(udp.at("reply"), "1X");
    EXPECT_EQ(udp.at("max_reply_length"), 255);
    const auto& misc = rs.at("checkers").at(2);
    EXPECT_EQ(misc.at("misc_path").at("argv"), nlohmann::json::array({"/bin/check"}));
    EXPECT_EQ(misc.at("misc_timeout"), 4);
    EXPECT_EQ(misc.at("effective").at("retry"), 0);
    EXPECT_EQ(lvs.at("SSL").at("ca"), "/etc/ca.pem");
    EXPECT_EQ(lvs.at("SSL").at("key"), "");

    // The text dump shows the same tree.
    const std::string text = dump_text(*r.model);
    EXPECT_NE(text.find("lvs_sched = sh"), std::string::npos);
    EXPECT_NE(text.find("persistence_timeout = 360"), std::string::npos);
}

TEST(LvsDump, NoSslBlockIsNull) {
    const auto r = load("virtual_server 10.0.0.1 80 {\nprotocol TCP\n}\n");
    ASSERT_TRUE(r.ok());
    const auto j = nlohmann::json::parse(dump_json(*r.model));
    EXPECT_TRUE(j.at("lvs").at("SSL").is_null());
    EXPECT_TRUE(j.at("lvs").at("virtual_server_group").empty());
    EXPECT_EQ(j.at("lvs").at("virtual_server").at(0).at("address"), "10.0.0.1");
    EXPECT_EQ(j.at("lvs").at("virtual_server").at(0).at("port"), 80);
}

TEST(LvsScale, HundredVirtualServersOfHundredRealServers) {
    std::string text;
    for (int v = 0; v < 100; ++v) {
        text += fmt::format("virtual_server 10.1.{}.1 80 {{\n  protocol TCP\n  delay_loop 5\n", v);
        for (int s = 0; s < 100; ++s)
            text += fmt::format(
                "  real_server 10.2.{}.{} 8080 {{\n    TCP_CHECK {{\n"
                "      connect_timeout 2\n    }}\n  }}\n",
                v, s + 1);
        text += "}\n";
    }
    const auto r = load(text);
    ASSERT_TRUE(r.ok()) << diags(r).substr(0, 2000);
    EXPECT_EQ(r.diags.all().size(), 0U);
    ASSERT_EQ(r.model->lvs.virtual_servers.size(), 100U);
    std::size_t checkers = 0;
    for (const auto& vs : r.model->lvs.virtual_servers) {
        EXPECT_EQ(vs.real_servers.size(), 100U);
        for (const auto& rs : vs.real_servers) {
            checkers += rs.checkers.size();
            EXPECT_EQ(rs.checkers.at(0).effective.delay_loop, 5s);
        }
    }
    EXPECT_EQ(checkers, 10000U);
    const auto& last = r.model->lvs.virtual_servers.back().real_servers.back();
    EXPECT_EQ(last.address.to_string(), "10.2.99.100");
    EXPECT_EQ(last.checkers.at(0).effective.connect_timeout, 2s);
}

}  // namespace
}  // namespace vigil::config
