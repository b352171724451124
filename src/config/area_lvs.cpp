// Keyword tables of the LVS area: virtual_server_group, virtual_server, real_server,
// sorry_server and SSL; the checkers are in area_lvs_checkers.cpp. resolve_lvs_area()
// applies keepalived's defaults and inheritance and checks what spans several blocks.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <tuple>

#include "config/areas.h"

namespace vigil::config {

void add_lvs_checker_keywords(KeywordTable<RealServer>& t);
void catalogue_lvs_checkers(KeywordCatalogue& c);
void resolve_lvs_checker(Checker& c, const VirtualServer& vs, const RealServer& rs,
                         Diagnostics& diags);

namespace {

// keepalived keeps timers as unsigned microsecond counts: connect_timeout must fit in
// UINT_MAX microseconds, the others are practically unbounded (we stop at 10^9 s).
constexpr Micros kMaxTimer = Micros(1'000'000'000LL * 1'000'000);
constexpr Micros kMaxConnectTimeout = Micros(4'294'967'295LL);
constexpr std::uint32_t kDefaultPersistence = 360;  // IPVS_SVC_PERSISTENT_TIMEOUT
constexpr std::int64_t kMaxPersistence = 2678400;   // 31 days, as keepalived limits it
constexpr std::int64_t kMaxWeight = 2147483647;     // IPVS weights are signed ints
constexpr std::size_t kMaxPeName = 15;              // IP_VS_PENAME_MAXLEN without NUL

// ---------------------------------------------------------------- small readers

// "<PORT>" where 0 means "no port", as keepalived treats it.
std::optional<std::uint16_t> optional_port(const Args& a, std::size_t i) {
    if (!a.has(i)) return std::uint16_t{0};
    return a.port(i, true);
}

// lvs_method NAT|DR|TUN [type {ipip|gue port N|gre} [nocsum|csum|remcsum]]
std::optional<ForwardingMethod> parse_forwarding(const Args& a) {
    using F = ForwardingMethod;
    if (!a.count(1, 6,
                 a.node().keyword.text +
                     " NAT|DR|TUN [type {ipip|gue port NUM|gre} [nocsum|csum|remcsum]]"))
        return std::nullopt;
    const auto k =
        a.choice<F::Kind>(0, {{"NAT", F::Kind::nat}, {"DR", F::Kind::dr}, {"TUN", F::Kind::tun}});
    if (!k) return std::nullopt;
    F f;
    f.kind = *k;
    bool port_given = false;
    bool csum_given = false;
    for (std::size_t i = 1; i < a.size(); ++i) {
        const std::string& w = a.text(i);
        if (w == "type") {
            const auto t = a.choice<F::Tunnel>(
                i + 1,
                {{"ipip", F::Tunnel::ipip}, {"gue", F::Tunnel::gue}, {"gre", F::Tunnel::gre}});
            if (!t) return std::nullopt;
            f.tunnel = *t;
            ++i;
        } else if (w == "port") {
            const auto p = a.port(i + 1);
            if (!p) return std::nullopt;
            f.tunnel_port = *p;
            port_given = true;
            ++i;
        } else if (w == "nocsum" || w == "csum" || w == "remcsum") {
            f.checksum = w == "nocsum" ? F::Checksum::nocsum
                         : w == "csum" ? F::Checksum::csum
                                       : F::Checksum::remcsum;
            csum_given = true;
        } else {
            a.error(i, fmt::format("unknown tunnel option '{}'; expected type, port, nocsum, "
                                   "csum or remcsum",
                                   w));
            return std::nullopt;
        }
    }
    // keepalived reads the tunnel options after NAT and DR too, and then ignores them.
    if ((f.tunnel == F::Tunnel::gue) != port_given) {
        a.error(0, "gue tunnels require 'port NUM', and only gue tunnels take a port");
        return std::nullopt;
    }
    if (f.tunnel == F::Tunnel::ipip && csum_given && f.checksum != F::Checksum::nocsum) {
        a.error(0, "ipip tunnels do not support the csum/remcsum options");
        return std::nullopt;
    }
    if (f.tunnel == F::Tunnel::gre && f.checksum == F::Checksum::remcsum) {
        a.error(0, "gre tunnels do not support the remcsum option");
        return std::nullopt;
    }
    return f;
}

// ---------------------------------------------------------------- virtual_server_group

// Host bits below `len` must be clear; `last` gets them all set.
bool prefix_range(const IpAddress& addr, unsigned len, IpAddress& last) {
    if (addr.masked(len) != addr) return false;
    std::array<std::uint8_t, 16> b = addr.bytes();
    const unsigned bits = addr.max_prefix();
    for (unsigned i = len; i < bits; ++i) b[i / 8] |= static_cast<std::uint8_t>(0x80U >> (i % 8));
    if (addr.is_v4()) {
        last = IpAddress::v4((std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                             (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]});
    } else {
        last = IpAddress::v6(b);
    }
    return true;
}

void parse_vsg_entry(const Args& a, VirtualServerGroup& g) {
    if (a.text(0) == "fwmark") {
        if (!a.count(2, 3, "fwmark <INTEGER> [inet|inet6]")) return;
        VsgFwmark f;
        f.loc = a.loc(0);
        const auto v = a.integer(1, 0, 0xFFFFFFFFLL);
        if (!v) return;
        f.fwmark = static_cast<std::uint32_t>(*v);
        if (a.has(2)) {
            const auto fam =
                a.choice<Family>(2, {{"inet", Family::inet}, {"inet6", Family::inet6}});
            if (!fam) return;
            f.family = *fam;
        }
        g.fwmarks.push_back(f);
        return;
    }
    if (!a.count(1, 2, "<IPADDR>[-<END>|/<PREFIX>] [<PORT>]")) return;
    VsgAddressRange r;
    r.loc = a.loc(0);
    const std::string& w = a.text(0);
    const auto bad = [&](const std::string& why) {
        a.error(0, fmt::format("{}; expected <IPADDR>, <IPADDR>-<LAST BYTE/GROUP>, "
                               "<IPADDR>-<IPADDR> or <IPADDR>/<PREFIX>, got '{}'",
                               why, w));
    };
    const auto slash = w.find('/');
    const auto dash = w.find('-');
    const std::string start_text = w.substr(0, std::min(slash, dash));
    const auto start = IpAddress::parse(start_text);
    if (!start) return bad(fmt::format("invalid address '{}'", start_text));
    r.first = r.last = *start;
    if (slash != std::string::npos) {
        const std::string len_text = w.substr(slash + 1);
        unsigned len = 0;
        const bool digits = !len_text.empty() && len_text.size() <= 3 &&
                            std::all_of(len_text.begin(), len_text.end(),
                                        [](char c) { return c >= '0' && c <= '9'; });
        if (digits) len = static_cast<unsigned>(std::stoul(len_text));
        if (!digits || len == 0 || len > start->max_prefix())
            return bad(fmt::format("prefix length must be 1-{}", start->max_prefix()));
        if (!prefix_range(*start, len, r.last))
            return bad("host bits are set below the prefix length");
    } else if (dash != std::string::npos) {
        const std::string end_text = w.substr(dash + 1);
        const bool full = end_text.find(start->is_v4() ? '.' : ':') != std::string::npos;
        if (full) {
            const auto end = IpAddress::parse(end_text);
            if (!end) return bad(fmt::format("invalid range end '{}'", end_text));
            if (end->family() != start->family()) return bad("range ends differ in family");
            if (*end < *start) return bad("range end is below range start");
            r.last = *end;
        } else {
            // The last byte (IPv4, decimal) or last 16-bit group (IPv6, hex) of the range.
            const int base = start->is_v4() ? 10 : 16;
            const unsigned max = start->is_v4() ? 255 : 0xFFFF;
            unsigned long v = 0;
            std::size_t used = 0;
            try {
                v = std::stoul(end_text, &used, base);
            } catch (const std::exception&) {
                used = 0;
            }
            if (end_text.empty() || used != end_text.size() || v > max)
                return bad(fmt::format("invalid range end '{}'", end_text));
            const auto& b = start->bytes();
            const unsigned first_unit =
                start->is_v4() ? b[3] : (unsigned{b[14]} << 8 | unsigned{b[15]});
            if (v <= first_unit) return bad("range end is not above range start");
            r.last = start->offset(v - first_unit);
        }
    }
    const auto port = optional_port(a, 1);
    if (!port) return;
    r.port = *port;
    g.ranges.push_back(r);
}

// ---------------------------------------------------------------- tables

// The options virtual and real servers share, stored in their InheritedOptions.
template <class T>
void add_inherited_options(KeywordTable<T>& t) {
    t.add("connect_timeout",
          [](const Args& a, T& s) {
              if (!a.count(1, 1, "connect_timeout <SECONDS>")) return;
              if (auto v = a.seconds(0, Micros(1), kMaxConnectTimeout))
                  s.options.connect_timeout = *v;
          })
        .add("delay_loop",
             [](const Args& a, T& s) {
                 if (!a.count(1, 1, "delay_loop <SECONDS>")) return;
                 if (auto v = a.seconds(0, Micros(1), kMaxTimer)) s.options.delay_loop = *v;
             })
        .add("delay_before_retry",
             [](const Args& a, T& s) {
                 if (!a.count(1, 1, "delay_before_retry <SECONDS>")) return;
                 if (auto v = a.seconds(0, Micros(0), kMaxTimer)) s.options.delay_before_retry = *v;
             })
        .add("warmup",
             [](const Args& a, T& s) {
                 if (!a.count(1, 1, "warmup <SECONDS>")) return;
                 if (auto v = a.seconds(0, Micros(0), kMaxTimer)) s.options.warmup = *v;
             })
        .add("retry",
             [](const Args& a, T& s) {
                 if (!a.count(1, 1, "retry <INTEGER>")) return;
                 if (auto v = a.integer(0, 1, 0xFFFFFFFFLL))
                     s.options.retry = static_cast<std::uint32_t>(*v);
             })
        .add("alpha",
             [](const Args& a, T& s) {
                 if (!a.count(0, 1, "alpha [<BOOL>]")) return;
                 if (auto v = a.boolean(0)) s.options.alpha = *v;
             })
        .add("inhibit_on_failure",
             [](const Args& a, T& s) {
                 if (!a.count(0, 1, "inhibit_on_failure [<BOOL>]")) return;
                 if (auto v = a.boolean(0)) s.options.inhibit_on_failure = *v;
             })
        .add("virtualhost",
             [](const Args& a, T& s) {
                 if (!a.count(1, 1, "virtualhost <STRING>")) return;
                 s.options.virtualhost = a.text(0);
             })
        .add("smtp_alert",
             [](const Args& a, T& s) {
                 if (!a.count(0, 1, "smtp_alert [<BOOL>]")) return;
                 if (auto v = a.boolean(0)) s.smtp_alert = *v;
             })
        .add("snmp_name", [](const Args& a, T& s) {
            if (!a.count(1, 1, "snmp_name <STRING>")) return;
            s.snmp_name = a.text(0);
        });
}

// notify_up, quorum_up, ...: one script each; a second one is an error, as in keepalived.
template <class T>
Handler<T> script(std::optional<ScriptSpec> T::*m) {
    return [m](const Args& a, T& t) {
        if ((t.*m).has_value()) {
            a.error(0, fmt::format("{} is already set; a second one is not allowed",
                                   a.node().keyword.text));
            return;
        }
        if (auto s = parse_script_spec(a)) t.*m = std::move(*s);
    };
}

const KeywordTable<RealServer>& real_server_table() {
    static const KeywordTable<RealServer> t = [] {
        KeywordTable<RealServer> k;
        add_inherited_options(k);
        k.add("weight",
              [](const Args& a, RealServer& rs) {
                  if (!a.count(1, 1, "weight <INTEGER>")) return;
                  if (auto v = a.integer(0, 0, kMaxWeight))
                      rs.weight = static_cast<std::uint32_t>(*v);
              })
            .add("lvs_method",
                 [](const Args& a, RealServer& rs) {
                     if (auto f = parse_forwarding(a)) rs.lvs_method = *f;
                 })
            .add("notify_up", script(&RealServer::notify_up))
            .add("notify_down", script(&RealServer::notify_down))
            .add("uthreshold", kw::integer(&RealServer::uthreshold, 0, 0xFFFFFFFFLL))
            .add("lthreshold", kw::integer(&RealServer::lthreshold, 0, 0xFFFFFFFFLL))
            .unsupported({"snmp_name"}, "SNMP is not implemented");
        add_lvs_checker_keywords(k);
        return k;
    }();
    return t;
}

Handler<VirtualServer> vs_flag(bool VirtualServer::*m) {
    return [m](const Args& a, VirtualServer& vs) {
        if (a.count(0, 0, a.node().keyword.text)) vs.*m = true;
    };
}

const KeywordTable<VirtualServer>& virtual_server_table() {
    static const KeywordTable<VirtualServer> t = [] {
        using VS = VirtualServer;
        KeywordTable<VS> k;
        add_inherited_options(k);
        k.add("lvs_sched",
              [](const Args& a, VS& vs) {
                  if (!a.count(1, 1, "lvs_sched <SCHEDULER>")) return;
                  using S = LvsScheduler;
                  if (auto s = a.choice<S>(0, {{"rr", S::rr},
                                               {"wrr", S::wrr},
                                               {"lc", S::lc},
                                               {"wlc", S::wlc},
                                               {"lblc", S::lblc},
                                               {"sh", S::sh},
                                               {"mh", S::mh},
                                               {"dh", S::dh},
                                               {"fo", S::fo},
                                               {"ovf", S::ovf},
                                               {"lblcr", S::lblcr},
                                               {"sed", S::sed},
                                               {"nq", S::nq},
                                               {"twos", S::twos}}))
                      vs.lvs_sched = *s;
              })
            .alias("lb_algo", "lvs_sched")
            .add("flag-1", vs_flag(&VS::flag_1))
            .add("flag-2", vs_flag(&VS::flag_2))
            .add("flag-3", vs_flag(&VS::flag_3))
            .add("sh-port", vs_flag(&VS::sh_port))
            .add("sh-fallback", vs_flag(&VS::sh_fallback))
            .add("mh-port", vs_flag(&VS::mh_port))
            .add("mh-fallback", vs_flag(&VS::mh_fallback))
            .add("ops", vs_flag(&VS::ops))
            .add("lvs_method",
                 [](const Args& a, VS& vs) {
                     if (auto f = parse_forwarding(a)) vs.lvs_method = *f;
                 })
            .alias("lb_kind", "lvs_method")
            .add("persistence_engine",
                 [](const Args& a, VS& vs) {
                     if (!a.count(1, 1, "persistence_engine <STRING>")) return;
                     if (a.text(0).empty() || a.text(0).size() > kMaxPeName) {
                         a.error(0, fmt::format("expected a persistence engine name of 1-{} "
                                                "characters (e.g. sip), got '{}'",
                                                kMaxPeName, a.text(0)));
                         return;
                     }
                     vs.persistence_engine = a.text(0);
                 })
            .add("persistence_timeout",
                 [](const Args& a, VS& vs) {
                     if (!a.count(0, 1, "persistence_timeout [<INTEGER>]")) return;
                     if (!a.has(0)) {
                         vs.persistence_timeout = kDefaultPersistence;
                         return;
                     }
                     const auto v = a.integer(0, 0, kMaxPersistence);
                     if (!v) return;
                     // keepalived 2.2.7: 0 is invalid and ignored, the service is not
                     // persistent (measured).
                     if (*v == 0) {
                         a.warning(0,
                                   "0 is ignored, as keepalived does: the service is not "
                                   "persistent");
                         return;
                     }
                     vs.persistence_timeout = static_cast<std::uint32_t>(*v);
                 })
            .add("persistence_granularity",
                 [](const Args& a, VS& vs) {
                     if (!a.count(1, 1, "persistence_granularity <NETMASK>")) return;
                     PersistenceGranularity g;
                     // Like keepalived: a dotted value is an IPv4 netmask, else an IPv6
                     // prefix length; resolve checks it against the service's family.
                     if (a.text(0).find('.') != std::string::npos) {
                         const auto m = IpAddress::parse(a.text(0));
                         if (!m || !m->is_v4()) {
                             a.error(0, fmt::format("expected an IPv4 netmask such as "
                                                    "255.255.255.0 or an IPv6 prefix length "
                                                    "1-128, got '{}'",
                                                    a.text(0)));
                             return;
                         }
                         g.family = Family::inet;
                         g.netmask = *m;
                     } else {
                         const auto v = a.integer(0, 1, 128);
                         if (!v) return;
                         g.family = Family::inet6;
                         g.prefix_len = static_cast<std::uint8_t>(*v);
                     }
                     vs.persistence_granularity = g;
                 })
            .add("protocol",
                 [](const Args& a, VS& vs) {
                     if (!a.count(1, 1, "protocol TCP|UDP|SCTP")) return;
                     // keepalived compares case-insensitively.
                     std::string up = a.text(0);
                     for (auto& c : up)
                         c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                     if (up == "TCP")
                         vs.protocol = LvsProtocol::tcp;
                     else if (up == "UDP")
                         vs.protocol = LvsProtocol::udp;
                     else if (up == "SCTP")
                         vs.protocol = LvsProtocol::sctp;
                     else
                         a.error(0,
                                 fmt::format("expected one of TCP|UDP|SCTP, got '{}'", a.text(0)));
                 })
            .add("ha_suspend", vs_flag(&VS::ha_suspend))
            .add("omega",
                 [](const Args& a, VS& vs) {
                     if (!a.count(0, 1, "omega [<BOOL>]")) return;
                     if (auto v = a.boolean(0)) vs.omega = *v;
                 })
            .add("quorum",
                 [](const Args& a, VS& vs) {
                     // keepalived 2.2.7: "Quorum 0 must be in [1, 4294967295]. Setting to 1."
                     if (!a.count(1, 1, "quorum <INTEGER>")) return;
                     const auto v = a.integer(0, 0, 0xFFFFFFFFLL);
                     if (!v) return;
                     if (*v == 0) a.warning(0, "0 is set to 1, as keepalived does");
                     vs.quorum = static_cast<std::uint32_t>(std::max<std::int64_t>(*v, 1));
                 })
            .add("hysteresis", kw::integer(&VS::hysteresis, 0, 0xFFFFFFFFLL))
            .add("quorum_up", script(&VS::quorum_up))
            .add("quorum_down", script(&VS::quorum_down))
            .add("weight", kw::integer(&VS::weight, 1, kMaxWeight))
            .add("ip_family",
                 [](const Args& a, VS& vs) {
                     if (!a.count(1, 1, "ip_family inet|inet6")) return;
                     if (auto f = a.choice<Family>(
                             0, {{"inet", Family::inet}, {"inet6", Family::inet6}}))
                         vs.ip_family = *f;
                 })
            .add("sorry_server",
                 [](const Args& a, VS& vs) {
                     if (!a.count(1, 2, "sorry_server <IPADDR> [<PORT>]")) return;
                     const auto addr = a.address(0);
                     const auto port = optional_port(a, 1);
                     if (!addr || !port) return;
                     if (vs.sorry_server)
                         a.warning(0, "sorry_server given twice; the last one is used");
                     SorryServer s;
                     s.loc = a.loc(0);
                     s.address = *addr;
                     s.port = *port;
                     if (vs.sorry_server) {
                         s.lvs_method = vs.sorry_server->lvs_method;
                         s.inhibit = vs.sorry_server->inhibit;
                     }
                     vs.sorry_server = s;
                 })
            .add("sorry_server_inhibit",
                 [](const Args& a, VS& vs) {
                     if (!a.count(0, 1, "sorry_server_inhibit [<BOOL>]")) return;
                     const auto v = a.boolean(0);
                     if (!v) return;
                     if (!vs.sorry_server) {
                         a.error(0, "sorry_server_inhibit must follow a sorry_server line");
                         return;
                     }
                     vs.sorry_server->inhibit = *v;
                 })
            .add("sorry_server_lvs_method",
                 [](const Args& a, VS& vs) {
                     const auto f = parse_forwarding(a);
                     if (!f) return;
                     if (!vs.sorry_server) {
                         a.error(0, "sorry_server_lvs_method must follow a sorry_server line");
                         return;
                     }
                     vs.sorry_server->lvs_method = *f;
                 })
            .add("real_server", BlockUse::required, [](const Args& a, VS& vs) {
                if (!a.count(1, 2, "real_server <IPADDR> [<PORT>] {")) return;
                const auto addr = a.address(0);
                const auto port = optional_port(a, 1);
                if (!addr || !port) return;
                RealServer rs;
                rs.loc = a.node().keyword.loc;
                rs.address = *addr;
                rs.port = *port;
                real_server_table().apply(a.node().children, rs, a.diags(), "real_server");
                vs.real_servers.push_back(std::move(rs));
            });
        k.unsupported({"snmp_name"}, "SNMP is not implemented")
            .unsupported({"smtp_alert"},
                         "no alert is sent when the virtual server's quorum changes (the real "
                         "servers' smtp_alert works)")
            .unsupported({"weight"}, "a real server without a weight has weight 1");
        return k;
    }();
    return t;
}

const KeywordTable<SslConfig>& ssl_table() {
    static const KeywordTable<SslConfig> t = [] {
        KeywordTable<SslConfig> k;
        k.add("password", kw::string(&SslConfig::password))
            .add("ca", kw::string(&SslConfig::ca))
            .add("certificate", kw::string(&SslConfig::certificate))
            .add("key", kw::string(&SslConfig::key));
        return k;
    }();
    return t;
}

// ---------------------------------------------------------------- resolution

std::string describe(const VirtualServer& vs) {
    switch (vs.kind) {
        case VirtualServer::Kind::fwmark:
            return fmt::format("virtual_server fwmark {}", vs.fwmark);
        case VirtualServer::Kind::group:
            return fmt::format("virtual_server group {}", vs.group);
        case VirtualServer::Kind::address:
            break;
    }
    return fmt::format("virtual_server {} {}", vs.address.to_string(), vs.port);
}

bool tunnelled(const ForwardingMethod& effective) {
    return effective.kind == ForwardingMethod::Kind::tun;
}

// A server without a port gets the service's (an address service; keepalived 2.2.7).
void fill_server_ports(VirtualServer& vs) {
    if (vs.kind != VirtualServer::Kind::address) return;
    for (auto& rs : vs.real_servers)
        if (rs.port == 0) rs.port = vs.port;
    if (vs.sorry_server && vs.sorry_server->port == 0 &&
        vs.sorry_server->effective_lvs_method.kind != ForwardingMethod::Kind::nat)
        vs.sorry_server->port = vs.port;
}

// DR and TUN cannot change the port: keepalived 2.2.7 resets a real or sorry server's port
// to the service's, and clears it for a fwmark service, with a warning (measured).
void correct_forwarded_ports(VirtualServer& vs, Diagnostics& diags) {
    if (vs.kind == VirtualServer::Kind::group) return;
    const bool fwmark = vs.kind == VirtualServer::Kind::fwmark;
    const auto correct = [&](const SourceLoc& loc, std::uint16_t& port, const ForwardingMethod& m,
                             const std::string& what) {
        if (m.kind == ForwardingMethod::Kind::nat) return;
        const std::uint16_t want = fwmark ? 0 : vs.port;
        if (port == want) return;
        diags.warning(loc, fmt::format("{}: {} port {} cannot differ from the service's with "
                                       "lvs_method {}; {} (as keepalived)",
                                       describe(vs), what, port,
                                       m.kind == ForwardingMethod::Kind::dr ? "DR" : "TUN",
                                       fwmark ? "cleared" : fmt::format("reset to {}", want)));
        port = want;
    };
    for (auto& rs : vs.real_servers)
        correct(rs.loc, rs.port, rs.effective_lvs_method, "real_server " + rs.address.to_string());
    if (vs.sorry_server)
        correct(vs.sorry_server->loc, vs.sorry_server->port, vs.sorry_server->effective_lvs_method,
                "sorry_server");
}

void resolve_virtual_server(VirtualServer& vs, const std::vector<VirtualServerGroup>& groups,
                            Diagnostics& diags) {
    const VirtualServerGroup* group = nullptr;
    if (vs.kind == VirtualServer::Kind::group) {
        const auto it = std::find_if(groups.begin(), groups.end(),
                                     [&](const auto& g) { return g.name == vs.group; });
        if (it == groups.end()) {
            diags.error(vs.group_loc, fmt::format("virtual_server group '{}' is not defined by "
                                                  "any virtual_server_group",
                                                  vs.group));
        } else {
            group = &*it;
        }
    }
    const bool by_address =
        vs.kind == VirtualServer::Kind::address || (group != nullptr && !group->ranges.empty());
    const bool by_fwmark_only = !by_address;

    vs.effective_lvs_method = vs.lvs_method.value_or(ForwardingMethod{});
    for (auto& rs : vs.real_servers) {
        rs.effective_lvs_method = rs.lvs_method.value_or(vs.effective_lvs_method);
        rs.effective_inhibit_on_failure =
            rs.options.inhibit_on_failure.value_or(vs.options.inhibit_on_failure.value_or(false));
    }
    if (vs.sorry_server)
        vs.sorry_server->effective_lvs_method =
            vs.sorry_server->lvs_method.value_or(vs.effective_lvs_method);

    // persistence_granularity alone makes the service persistent with the default timeout.
    if (vs.persistence_granularity && !vs.persistence_timeout)
        vs.persistence_timeout = kDefaultPersistence;

    // Protocol: a fwmark service has none; an address service without one gets UDP (the
    // kernel's default for protocol 0, which keepalived makes explicit).
    if (by_fwmark_only && vs.protocol && vs.kind == VirtualServer::Kind::fwmark) {
        diags.warning(vs.loc,
                      fmt::format("{}: protocol is ignored for a fwmark service", describe(vs)));
        vs.protocol.reset();
    } else if (by_address && !vs.protocol) {
        diags.warning(vs.loc, fmt::format("{}: no protocol set; defaulting to UDP as keepalived "
                                          "does (add 'protocol TCP' for TCP)",
                                          describe(vs)));
        vs.protocol = LvsProtocol::udp;
    }

    if (vs.kind == VirtualServer::Kind::address && vs.port == 0 && !vs.persistence_timeout)
        diags.error(vs.loc, fmt::format("{}: the port can only be omitted for a persistent "
                                        "service; give a port or persistence_timeout",
                                        describe(vs)));

    if (vs.ops && by_address && vs.protocol != LvsProtocol::udp) {
        diags.warning(vs.loc, fmt::format("{}: ops (one-packet scheduling) requires UDP; "
                                          "ignored",
                                          describe(vs)));
        vs.ops = false;
    }
    if ((vs.sh_port || vs.sh_fallback) && vs.lvs_sched != LvsScheduler::sh) {
        diags.warning(vs.loc, fmt::format("{}: sh-port and sh-fallback apply to the sh "
                                          "scheduler only; ignored",
                                          describe(vs)));
        vs.sh_port = vs.sh_fallback = false;
    }
    if ((vs.mh_port || vs.mh_fallback) && vs.lvs_sched != LvsScheduler::mh) {
        diags.warning(vs.loc, fmt::format("{}: mh-port and mh-fallback apply to the mh "
                                          "scheduler only; ignored",
                                          describe(vs)));
        vs.mh_port = vs.mh_fallback = false;
    }
    if (vs.ha_suspend &&
        (vs.kind == VirtualServer::Kind::fwmark || (group != nullptr && !group->fwmarks.empty()))) {
        diags.warning(vs.loc, fmt::format("{}: ha_suspend cannot be used with fwmarks; "
                                          "ignored",
                                          describe(vs)));
        vs.ha_suspend = false;
    }
    if (vs.hysteresis >= vs.quorum) {
        diags.warning(vs.loc, fmt::format("{}: hysteresis {} >= quorum {}; using {}", describe(vs),
                                          vs.hysteresis, vs.quorum, vs.quorum - 1));
        vs.hysteresis = vs.quorum - 1;
    }

    // Address family: that of the address, else of the group's addresses, else ip_family,
    // else of the first non-tunnelled real/sorry server, else of the (tunnelled) servers if
    // they all agree, else IPv4.
    std::optional<Family> fam;
    bool group_mixed = false;
    if (vs.kind == VirtualServer::Kind::address) {
        fam = vs.address.family();
    } else if (group != nullptr && !group->ranges.empty()) {
        fam = group->ranges.front().first.family();
        for (const auto& r : group->ranges)
            if (r.first.family() != *fam) group_mixed = true;
        if (group_mixed) fam.reset();
    }
    if (vs.ip_family) {
        if (fam && *fam != *vs.ip_family)
            diags.error(vs.loc,
                        fmt::format("{}: ip_family {} conflicts with the service's "
                                    "address family {}",
                                    describe(vs), to_string(*vs.ip_family), to_string(*fam)));
        else if (!fam)
            fam = vs.ip_family;
    }
    if (!fam && vs.persistence_granularity) fam = vs.persistence_granularity->family;
    if (!fam && !group_mixed) {
        if (vs.sorry_server && !tunnelled(vs.sorry_server->effective_lvs_method))
            fam = vs.sorry_server->address.family();
        for (const auto& rs : vs.real_servers)
            if (!fam && !tunnelled(rs.effective_lvs_method)) fam = rs.address.family();
    }
    if (!fam && !group_mixed) {
        std::optional<Family> common;
        bool mixed = false;
        const auto see = [&](Family f) {
            if (!common)
                common = f;
            else if (*common != f)
                mixed = true;
        };
        if (vs.sorry_server) see(vs.sorry_server->address.family());
        for (const auto& rs : vs.real_servers) see(rs.address.family());
        fam = (common && !mixed) ? *common : Family::inet;
    }
    vs.family = fam.value_or(Family::inet);

    if (vs.persistence_granularity && !group_mixed &&
        vs.persistence_granularity->family != vs.family)
        diags.error(vs.loc, fmt::format("{}: persistence_granularity is for {} but the service "
                                        "is {} (IPv4 takes a netmask, IPv6 a prefix length)",
                                        describe(vs), to_string(vs.persistence_granularity->family),
                                        to_string(vs.family)));

    // Servers must share the service's family unless tunnelled (IPVS_DEST_ATTR_ADDR_FAMILY).
    const auto check_family = [&](SourceLoc loc, const IpAddress& addr, const ForwardingMethod& fm,
                                  std::string_view what) {
        if (fm.kind == ForwardingMethod::Kind::tun) return;
        if (group_mixed) {
            diags.error(loc, fmt::format("{} {}: virtual_server_group '{}' mixes IPv4 and IPv6, "
                                         "so every server must use lvs_method TUN",
                                         what, addr.to_string(), vs.group));
        } else if (addr.family() != vs.family) {
            diags.error(loc, fmt::format("{} {} is {} but {} is {}; only tunnelled (TUN) "
                                         "servers may differ",
                                         what, addr.to_string(), to_string(addr.family()),
                                         describe(vs), to_string(vs.family)));
        }
    };
    if (vs.sorry_server)
        check_family(vs.sorry_server->loc, vs.sorry_server->address,
                     vs.sorry_server->effective_lvs_method, "sorry_server");

    fill_server_ports(vs);
    std::set<std::pair<IpAddress, std::uint16_t>> seen;
    for (auto& rs : vs.real_servers) {
        check_family(rs.loc, rs.address, rs.effective_lvs_method, "real_server");
        if (!seen.insert({rs.address, rs.port}).second)
            diags.error(rs.loc, fmt::format("real_server {} {} is duplicated in {}",
                                            rs.address.to_string(), rs.port, describe(vs)));
        for (auto& c : rs.checkers) resolve_lvs_checker(c, vs, rs, diags);
    }
    // After the checkers: they keep connecting to the port as written (keepalived's take
    // theirs when the real_server block is read).
    correct_forwarded_ports(vs, diags);
}

}  // namespace

void register_lvs_area(KeywordTable<Model>& top) {
    top.add("virtual_server_group", BlockUse::required, [](const Args& a, Model& m) {
        if (!a.count(1, 1, "virtual_server_group <NAME> {")) return;
        VirtualServerGroup g;
        g.loc = a.node().keyword.loc;
        g.name = a.text(0);
        for_each_item(a, [&](const Args& item) {
            if (item.node().has_block) {
                item.diags().error(item.node().block_open.loc,
                                   "virtual_server_group entries do not take a block");
                return;
            }
            parse_vsg_entry(item, g);
        });
        const bool v4 = std::any_of(g.ranges.begin(), g.ranges.end(),
                                    [](const auto& r) { return r.first.is_v4(); });
        const bool v6 = std::any_of(g.ranges.begin(), g.ranges.end(),
                                    [](const auto& r) { return r.first.is_v6(); });
        const bool fwmark_no_family = std::any_of(g.fwmarks.begin(), g.fwmarks.end(),
                                                  [](const auto& f) { return !f.family; });
        if (g.ranges.empty() && g.fwmarks.empty() && a.node().children.empty()) {
            a.diags().error(g.loc, fmt::format("virtual_server_group {} has no entries", g.name));
            return;
        }
        if (v4 && v6 && fwmark_no_family)
            a.diags().error(g.loc, fmt::format("virtual_server_group {} has IPv4 and IPv6 "
                                               "addresses, so its fwmarks need inet or inet6",
                                               g.name));
        for (const auto& other : m.lvs.virtual_server_groups)
            if (other.name == g.name)
                a.diags().error(g.loc,
                                fmt::format("virtual_server_group {} is already defined", g.name));
        m.lvs.virtual_server_groups.push_back(std::move(g));
    });
    top.add("virtual_server", BlockUse::required, [](const Args& a, Model& m) {
        if (!a.count(1, 2, "virtual_server <IPADDR> [<PORT>] | fwmark <INTEGER> | group <NAME> {"))
            return;
        VirtualServer vs;
        vs.loc = a.node().keyword.loc;
        if (a.text(0) == "fwmark") {
            vs.kind = VirtualServer::Kind::fwmark;
            // fwmark 0 would mean "no mark" to IPVS; keepalived misreads it as an address.
            const auto v = a.integer(1, 1, 0xFFFFFFFFLL);
            if (!v) return;
            vs.fwmark = static_cast<std::uint32_t>(*v);
        } else if (a.text(0) == "group") {
            vs.kind = VirtualServer::Kind::group;
            if (!a.has(1)) {
                a.error(1, "missing argument; expected group <NAME>");
                return;
            }
            vs.group = a.text(1);
            vs.group_loc = a.loc(1);
        } else {
            const auto addr = a.address(0);
            const auto port = optional_port(a, 1);
            if (!addr || !port) return;
            vs.address = *addr;
            vs.port = *port;
        }
        virtual_server_table().apply(a.node().children, vs, a.diags(), "virtual_server");
        m.lvs.virtual_servers.push_back(std::move(vs));
    });
    top.add("SSL", BlockUse::required, [](const Args& a, Model& m) {
        a.count(0, 0, "SSL {");
        if (m.lvs.ssl) a.warning(0, "SSL block given twice; the last one is used");
        SslConfig s;
        s.loc = a.node().keyword.loc;
        ssl_table().apply(a.node().children, s, a.diags(), "SSL");
        m.lvs.ssl = std::move(s);
    });
}

void resolve_lvs_area(Model& m, Diagnostics& diags, const BuildEnv& /*env*/) {
    for (auto& vs : m.lvs.virtual_servers)
        resolve_virtual_server(vs, m.lvs.virtual_server_groups, diags);
}

void catalogue_lvs_area(KeywordCatalogue& c) {
    catalogue(c, "virtual_server", virtual_server_table());
    catalogue(c, "real_server", real_server_table());
    catalogue(c, "SSL", ssl_table());
    catalogue_lvs_checkers(c);
}

}  // namespace vigil::config
