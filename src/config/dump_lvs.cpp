// JSON dump of the LVS area. Keys are the keepalived keywords; every field is shown, unset
// optionals as null, so that the dump says exactly what was configured and what is used.
#include <fmt/format.h>

#include "config/dump_json.h"

namespace vigil::config {

namespace {

std::string_view name(LvsScheduler s) {
    static const std::array<std::string_view, 14> names = {"rr",    "wrr", "lc", "wlc", "lblc",
                                                           "sh",    "mh",  "dh", "fo",  "ovf",
                                                           "lblcr", "sed", "nq", "twos"};
    return names.at(static_cast<std::size_t>(s));
}

std::string_view name(LvsProtocol p) {
    switch (p) {
        case LvsProtocol::tcp:
            return "TCP";
        case LvsProtocol::udp:
            return "UDP";
        case LvsProtocol::sctp:
            return "SCTP";
    }
    return "?";
}

std::string_view name(DnsCheck::Type t) {
    static const std::array<std::string_view, 7> names = {"A",  "NS",  "CNAME", "SOA",
                                                          "MX", "TXT", "AAAA"};
    return names.at(static_cast<std::size_t>(t));
}

std::string_view name(HttpCheck::Protocol p) {
    switch (p) {
        case HttpCheck::Protocol::http_1_0:
            return "1.0";
        case HttpCheck::Protocol::http_1_0c:
            return "1.0C";
        case HttpCheck::Protocol::http_1_1:
            return "1.1";
    }
    return "?";
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
    std::string s;
    for (const auto b : bytes) s += fmt::format("{:02x}", b);
    return s;
}

// The require_reply pattern as configured: X for nibbles that are not compared.
std::string hex_pattern(const std::vector<std::uint8_t>& data,
                        const std::vector<std::uint8_t>& mask) {
    std::string s;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const std::string d = fmt::format("{:02x}", data[i]);
        s += (mask[i] & 0xF0U) != 0 ? d[0] : 'X';
        s += (mask[i] & 0x0FU) != 0 ? d[1] : 'X';
    }
    return s;
}

Json forwarding(const ForwardingMethod& f) {
    using F = ForwardingMethod;
    Json j;
    j["method"] = f.kind == F::Kind::nat ? "NAT" : f.kind == F::Kind::dr ? "DR" : "TUN";
    if (f.kind == F::Kind::tun) {
        j["type"] = f.tunnel == F::Tunnel::ipip  ? "ipip"
                    : f.tunnel == F::Tunnel::gue ? "gue"
                                                 : "gre";
        if (f.tunnel == F::Tunnel::gue) j["port"] = f.tunnel_port;
        if (f.tunnel != F::Tunnel::ipip)
            j["checksum"] = f.checksum == F::Checksum::nocsum ? "nocsum"
                            : f.checksum == F::Checksum::csum ? "csum"
                                                              : "remcsum";
    }
    return j;
}

Json optional_forwarding(const std::optional<ForwardingMethod>& f) {
    return f ? forwarding(*f) : Json(nullptr);
}

Json script(const std::optional<ScriptSpec>& s) {
    if (!s) return nullptr;
    Json j;
    to_json(j, *s);
    return j;
}

Json optional_address(const std::optional<IpAddress>& a) {
    return a ? Json(a->to_string()) : Json(nullptr);
}

Json inherited(const InheritedOptions& o) {
    Json j;
    j["alpha"] = o.alpha;
    j["connect_timeout"] = o.connect_timeout;
    j["retry"] = o.retry;
    j["delay_before_retry"] = o.delay_before_retry;
    j["warmup"] = o.warmup;
    j["delay_loop"] = o.delay_loop;
    j["inhibit_on_failure"] = o.inhibit_on_failure;
    j["virtualhost"] = o.virtualhost;
    return j;
}

Json url(const HttpUrl& u) {
    Json j;
    j["path"] = u.path;
    j["digest"] = u.digest;
    Json codes = Json::array();
    for (const auto& r : u.status_codes)
        codes.push_back(r.first == r.last ? fmt::format("{}", r.first)
                                          : fmt::format("{}-{}", r.first, r.last));
    j["status_code"] = codes;
    j["virtualhost"] = u.virtualhost;
    j["effective_virtualhost"] = u.effective_virtualhost;
    j["regex"] = u.regex;
    j["regex_no_match"] = u.regex_no_match;
    j["regex_options"] = u.regex_options;
    if (u.regex_stack_start)
        j["regex_stack"] = Json::array({*u.regex_stack_start, *u.regex_stack_max});
    else
        j["regex_stack"] = nullptr;
    j["regex_min_offset"] = u.regex_min_offset;
    j["regex_max_offset"] = u.regex_max_offset;
    return j;
}

Json checker_kind(const CheckerKind& k) {
    Json j = Json::object();
    std::visit(
        [&](const auto& c) {
            using K = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<K, HttpCheck>) {
                j["http_protocol"] = name(c.http_protocol);
                j["fast_recovery"] = c.fast_recovery;
                j["enable_sni"] = c.enable_sni;
                j["virtualhost"] = c.virtualhost;
                j["url"] = Json::array();
                for (const auto& u : c.urls) j["url"].push_back(url(u));
            } else if constexpr (std::is_same_v<K, SmtpCheck>) {
                j["helo_name"] = c.helo_name;
            } else if constexpr (std::is_same_v<K, DnsCheck>) {
                j["type"] = name(c.type);
                j["name"] = c.name;
            } else if constexpr (std::is_same_v<K, MiscCheck>) {
                Json s;
                to_json(s, c.misc_path);
                j["misc_path"] = s;
                j["misc_timeout"] = c.misc_timeout;
                j["misc_dynamic"] = c.misc_dynamic;
            } else if constexpr (std::is_same_v<K, UdpCheck>) {
                j["payload"] = hex(c.payload);
                j["require_reply"] = c.require_reply;
                j["reply"] = hex_pattern(c.reply_data, c.reply_mask);
                j["min_reply_length"] = c.min_reply_length;
                j["max_reply_length"] = c.max_reply_length;
            } else if constexpr (std::is_same_v<K, FileCheck>) {
                j["track_file"] = c.track_file;
                j["dynamic"] = c.dynamic;
                j["weight"] = c.weight;
                j["reverse"] = c.reverse;
            } else if constexpr (std::is_same_v<K, BfdCheck>) {
                j["name"] = c.name;
            }
        },
        k);
    return j;
}

Json checker(const Checker& c) {
    Json j;
    j["type"] = checker_keyword(c);
    const CheckerOptions& o = c.options;
    j["connect_ip"] = optional_address(o.connect_ip);
    j["connect_port"] = o.connect_port;
    j["bindto"] = optional_address(o.bindto);
    j["bind_if"] = o.bind_if;
    j["bind_port"] = o.bind_port;
    j["fwmark"] = o.fwmark;
    j["alpha"] = o.alpha;
    j["connect_timeout"] = o.connect_timeout;
    j["retry"] = o.retry;
    j["delay_before_retry"] = o.delay_before_retry;
    j["warmup"] = o.warmup;
    j["delay_loop"] = o.delay_loop;
    j["log_all_failures"] = o.log_all_failures;
    const Json kj = checker_kind(c.kind);
    for (const auto& [k, v] : kj.items()) j[k] = v;
    const CheckerSettings& e = c.effective;
    Json ej;
    ej["connect_ip"] = e.connect_ip.to_string();
    ej["connect_port"] = e.connect_port;
    ej["alpha"] = e.alpha;
    ej["connect_timeout"] = e.connect_timeout;
    ej["retry"] = e.retry;
    ej["delay_before_retry"] = e.delay_before_retry;
    ej["warmup"] = e.warmup;
    ej["delay_loop"] = e.delay_loop;
    ej["virtualhost"] = e.virtualhost;
    j["effective"] = ej;
    return j;
}

Json real_server(const RealServer& rs) {
    Json j;
    j["address"] = rs.address.to_string();
    j["port"] = rs.port;
    j["weight"] = rs.weight;
    j["lvs_method"] = optional_forwarding(rs.lvs_method);
    j["effective_lvs_method"] = forwarding(rs.effective_lvs_method);
    j["notify_up"] = script(rs.notify_up);
    j["notify_down"] = script(rs.notify_down);
    j["uthreshold"] = rs.uthreshold;
    j["lthreshold"] = rs.lthreshold;
    j["smtp_alert"] = rs.smtp_alert;
    j["snmp_name"] = rs.snmp_name;
    const Json ij = inherited(rs.options);
    for (const auto& [k, v] : ij.items()) j[k] = v;
    j["checkers"] = Json::array();
    for (const auto& c : rs.checkers) j["checkers"].push_back(checker(c));
    return j;
}

Json virtual_server(const VirtualServer& vs) {
    Json j;
    switch (vs.kind) {
        case VirtualServer::Kind::address:
            j["address"] = vs.address.to_string();
            j["port"] = vs.port;
            break;
        case VirtualServer::Kind::fwmark:
            j["fwmark"] = vs.fwmark;
            break;
        case VirtualServer::Kind::group:
            j["group"] = vs.group;
            break;
    }
    j["lvs_sched"] = name(vs.lvs_sched);
    for (const auto& [k, v] : {std::pair{"flag-1", vs.flag_1},
                               {"flag-2", vs.flag_2},
                               {"flag-3", vs.flag_3},
                               {"sh-port", vs.sh_port},
                               {"sh-fallback", vs.sh_fallback},
                               {"mh-port", vs.mh_port},
                               {"mh-fallback", vs.mh_fallback},
                               {"ops", vs.ops}})
        j[k] = v;
    j["lvs_method"] = optional_forwarding(vs.lvs_method);
    j["effective_lvs_method"] = forwarding(vs.effective_lvs_method);
    j["persistence_engine"] = vs.persistence_engine;
    j["persistence_timeout"] = vs.persistence_timeout;
    if (!vs.persistence_granularity)
        j["persistence_granularity"] = nullptr;
    else if (vs.persistence_granularity->family == Family::inet)
        j["persistence_granularity"] = vs.persistence_granularity->netmask.to_string();
    else
        j["persistence_granularity"] = vs.persistence_granularity->prefix_len;
    j["protocol"] = vs.protocol ? Json(name(*vs.protocol)) : Json(nullptr);
    j["ha_suspend"] = vs.ha_suspend;
    j["smtp_alert"] = vs.smtp_alert;
    j["snmp_name"] = vs.snmp_name;
    j["omega"] = vs.omega;
    j["quorum"] = vs.quorum;
    j["hysteresis"] = vs.hysteresis;
    j["quorum_up"] = script(vs.quorum_up);
    j["quorum_down"] = script(vs.quorum_down);
    j["ip_family"] = vs.ip_family ? Json(to_string(*vs.ip_family)) : Json(nullptr);
    j["family"] = to_string(vs.family);
    j["weight"] = vs.weight;
    if (vs.sorry_server) {
        const SorryServer& s = *vs.sorry_server;
        Json sj;
        sj["address"] = s.address.to_string();
        sj["port"] = s.port;
        sj["lvs_method"] = optional_forwarding(s.lvs_method);
        sj["effective_lvs_method"] = forwarding(s.effective_lvs_method);
        sj["inhibit"] = s.inhibit;
        j["sorry_server"] = sj;
    } else {
        j["sorry_server"] = nullptr;
    }
    const Json ij = inherited(vs.options);
    for (const auto& [k, v] : ij.items()) j[k] = v;
    j["real_server"] = Json::array();
    for (const auto& rs : vs.real_servers) j["real_server"].push_back(real_server(rs));
    return j;
}

Json group(const VirtualServerGroup& g) {
    Json j;
    j["name"] = g.name;
    j["ranges"] = Json::array();
    for (const auto& r : g.ranges)
        j["ranges"].push_back(
            Json{{"first", r.first.to_string()}, {"last", r.last.to_string()}, {"port", r.port}});
    j["fwmarks"] = Json::array();
    for (const auto& f : g.fwmarks)
        j["fwmarks"].push_back(
            Json{{"fwmark", f.fwmark},
                 {"family", f.family ? Json(to_string(*f.family)) : Json(nullptr)}});
    return j;
}

}  // namespace

Json dump_lvs_area(const Model& m) {
    Json j;
    j["virtual_server_group"] = Json::array();
    for (const auto& g : m.lvs.virtual_server_groups) j["virtual_server_group"].push_back(group(g));
    j["virtual_server"] = Json::array();
    for (const auto& vs : m.lvs.virtual_servers) j["virtual_server"].push_back(virtual_server(vs));
    if (m.lvs.ssl) {
        j["SSL"] = Json{{"password", m.lvs.ssl->password},
                        {"ca", m.lvs.ssl->ca},
                        {"certificate", m.lvs.ssl->certificate},
                        {"key", m.lvs.ssl->key}};
    } else {
        j["SSL"] = nullptr;  // SSL_GET then uses an auto-generated context
    }
    return j;
}

}  // namespace vigil::config
