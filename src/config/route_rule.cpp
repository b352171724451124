// Route and rule statements: the `ip route add` / `ip rule add` syntax of static_routes,
// static_rules, virtual_routes and virtual_rules (keepalived.conf(5)). Shortened option
// names are not accepted (keepalived rejects them as ambiguous). The first error ends the
// line: later words would only be misread relative to a wrong position.
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <string_view>

#include <fmt/format.h>

#include "config/model_ip.h"
#include "config/values.h"

namespace vigil::config {

std::string_view to_string(RouteType t) {
    switch (t) {
        case RouteType::unicast:
            return "unicast";
        case RouteType::local:
            return "local";
        case RouteType::broadcast:
            return "broadcast";
        case RouteType::anycast:
            return "anycast";
        case RouteType::multicast:
            return "multicast";
        case RouteType::blackhole:
            return "blackhole";
        case RouteType::unreachable:
            return "unreachable";
        case RouteType::prohibit:
            return "prohibit";
        case RouteType::throw_route:
            return "throw";
        case RouteType::nat:
            return "nat";
    }
    return "unicast";
}

std::string_view to_string(RuleAction a) {
    switch (a) {
        case RuleAction::none:
            return "none";
        case RuleAction::table:
            return "table";
        case RuleAction::goto_rule:
            return "goto";
        case RuleAction::nop:
            return "nop";
        case RuleAction::blackhole:
            return "blackhole";
        case RuleAction::unreachable:
            return "unreachable";
        case RuleAction::prohibit:
            return "prohibit";
        case RuleAction::l3mdev:
            return "l3mdev";
    }
    return "none";
}

namespace {

struct NamedValue {
    std::string_view name;
    std::uint32_t value;
};

// The names iproute2 ships in /etc/iproute2 (rt_tables, rt_protos), known without a file.
constexpr std::array<NamedValue, 4> table_names{
    {{"unspec", 0}, {"default", 253}, {"main", 254}, {"local", 255}}};
constexpr std::array<NamedValue, 22> protocol_names{
    {{"unspec", 0},    {"redirect", 1}, {"kernel", 2}, {"boot", 3},   {"static", 4},
     {"gated", 8},     {"ra", 9},       {"mrt", 10},   {"zebra", 11}, {"bird", 12},
     {"dnrouted", 13}, {"xorp", 14},    {"ntk", 15},   {"dhcp", 16},  {"keepalived", 18},
     {"babel", 42},    {"openr", 99},   {"bgp", 186},  {"isis", 187}, {"ospf", 188},
     {"rip", 189},     {"eigrp", 192}}};
constexpr std::array<NamedValue, 1> realm_names{{{"cosmos", 0}}};
constexpr std::array<NamedValue, 1> group_names{{{"default", 0}}};
constexpr std::array<NamedValue, 5> scope_names{
    {{"global", 0}, {"site", 200}, {"link", 253}, {"host", 254}, {"nowhere", 255}}};
constexpr std::array<NamedValue, 8> ip_proto_names{{{"tcp", 6},
                                                    {"udp", 17},
                                                    {"sctp", 132},
                                                    {"icmp", 1},
                                                    {"icmpv6", 58},
                                                    {"ipv6-icmp", 58},
                                                    {"dccp", 33},
                                                    {"udplite", 136}}};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::optional<std::uint64_t> parse_uint(std::string_view t, int base = 10) {
    if (base == 0) {
        base = 10;
        if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
            base = 16;
            t.remove_prefix(2);
        }
    }
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
    if (t.empty() || ec != std::errc{} || p != t.data() + t.size()) return std::nullopt;
    return v;
}

bool plausible_name(std::string_view t) {
    if (t.empty() || t.size() > 64) return false;
    for (const char c : t)
        if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.'))
            return false;
    return !is_digit(t[0]);
}

// Walks the words of one line, reporting at the word being read.
class Cursor {
  public:
    explicit Cursor(const Args& a) : a_(a) {}

    bool done() const { return i_ >= a_.size(); }
    std::size_t pos() const { return i_; }
    const std::string& word() const { return a_.text(i_); }
    const std::string& take() { return a_.text(i_++); }
    bool peek_is(std::string_view w) const { return !done() && word() == w; }

    // The value after option `opt` (already taken); reports when the line ends.
    bool value(std::string_view opt) {
        if (!done()) return true;
        a_.error(i_, fmt::format("missing value after '{}'", opt));
        return false;
    }
    bool fail(std::size_t at, const std::string& msg) const {
        a_.error(at, msg);
        return false;
    }
    void warn(std::size_t at, const std::string& msg) const { a_.warning(at, msg); }

    template <std::size_t N>
    std::optional<RtId> rt_id(std::string_view what, const std::array<NamedValue, N>& names,
                              std::uint64_t max) {
        const std::size_t at = i_;
        const std::string& t = take();
        for (const auto& n : names)
            if (t == n.name) return RtId{n.value, {}};
        if (!t.empty() && is_digit(t[0])) {
            if (auto v = parse_uint(t, 0); v && *v <= max)
                return RtId{static_cast<std::uint32_t>(*v), {}};
            fail(at, fmt::format("invalid {} '{}'; expected a name or a number in [0, {}]", what, t,
                                 max));
            return std::nullopt;
        }
        if (plausible_name(t)) return RtId{0, t};
        fail(at,
             fmt::format("invalid {} '{}'; expected a name or a number in [0, {}]", what, t, max));
        return std::nullopt;
    }

    std::optional<std::uint64_t> number(std::string_view what, std::uint64_t min, std::uint64_t max,
                                        int base = 10) {
        const std::size_t at = i_;
        const std::string& t = take();
        const auto v = parse_uint(t, base);
        if (!v || *v < min || *v > max) {
            fail(at,
                 fmt::format("invalid {} '{}'; expected a number in [{}, {}]", what, t, min, max));
            return std::nullopt;
        }
        return v;
    }

    std::optional<IpAddress> address(std::string_view what) {
        const std::size_t at = i_;
        const std::string& t = take();
        if (auto v = IpAddress::parse(t)) return v;
        fail(at, fmt::format("invalid {} '{}'; expected an IPv4 or IPv6 address", what, t));
        return std::nullopt;
    }

    // Whether the next word is what prefix_or_all reads.
    bool prefix_or_all_next() const {
        const auto& t = word();
        return t == "all" || t == "default" || t == "any" || IpPrefix::parse(t).has_value();
    }

    // PREFIX, or "all"/"default" (any address, of no particular family yet).
    std::optional<std::optional<IpPrefix>> prefix_or_all(std::string_view what) {
        const std::size_t at = i_;
        const std::string& t = take();
        if (t == "all" || t == "default" || t == "any") return std::optional<IpPrefix>{};
        if (auto p = IpPrefix::parse(t)) return std::optional<IpPrefix>{*p};
        fail(at, fmt::format("invalid {} '{}'; expected ADDRESS[/PREFIX] or all", what, t));
        return std::nullopt;
    }

    std::optional<std::uint8_t> tos() {
        const std::size_t at = i_;
        const std::string& t = take();
        if (auto v = parse_uint(t, 0); v && *v <= 255) return static_cast<std::uint8_t>(*v);
        fail(at,
             fmt::format("invalid TOS '{}'; expected a number in [0, 255] (decimal or 0x hex)", t));
        return std::nullopt;
    }

    // realms [FROM/]TO
    std::optional<Realms> realms() {
        const std::size_t at = i_;
        const std::string t = take();
        const auto one = [&](std::string_view part) -> std::optional<RtId> {
            for (const auto& n : realm_names)
                if (part == n.name) return RtId{n.value, {}};
            if (!part.empty() && is_digit(part[0])) {
                if (auto v = parse_uint(part, 0); v && *v <= 255)
                    return RtId{static_cast<std::uint32_t>(*v), {}};
                return std::nullopt;
            }
            if (plausible_name(part)) return RtId{0, std::string(part)};
            return std::nullopt;
        };
        Realms r;
        const auto slash = t.find('/');
        std::optional<RtId> to;
        if (slash == std::string::npos) {
            to = one(t);
        } else {
            r.from = one(std::string_view(t).substr(0, slash));
            to = one(std::string_view(t).substr(slash + 1));
            if (!r.from) to.reset();
        }
        if (!to) {
            fail(at, fmt::format("invalid realms '{}'; expected [FROM/]TO, each a realm name or a "
                                 "number in [0, 255]",
                                 t));
            return std::nullopt;
        }
        r.to = *to;
        return r;
    }

    // A route metric: [lock] NUMBER.
    std::optional<RouteMetric> metric(std::string_view what, std::uint64_t max) {
        RouteMetric m;
        if (peek_is("lock")) {
            m.lock = true;
            ++i_;
            if (!value(what)) return std::nullopt;
        }
        const auto v = number(what, 0, max);
        if (!v) return std::nullopt;
        m.value = static_cast<std::uint32_t>(*v);
        return m;
    }

    // A time metric: [lock] TIME, TIME being milliseconds, or N[.F]s / Nms.
    std::optional<RouteTimeMetric> time_metric(std::string_view what, std::int64_t max_ms) {
        RouteTimeMetric m;
        if (peek_is("lock")) {
            m.lock = true;
            ++i_;
            if (!value(what)) return std::nullopt;
        }
        const std::size_t at = i_;
        const std::string& t = take();
        std::string_view num = t;
        bool secs = false;
        for (const std::string_view unit : {"msecs", "msec", "ms", "secs", "sec", "s"}) {
            if (num.size() > unit.size() && num.ends_with(unit)) {
                num.remove_suffix(unit.size());
                secs = unit[0] == 's';
                break;
            }
        }
        std::optional<Micros> v;
        if (secs) {
            v = parse_seconds(num);
            if (v && v->count() % 1000 != 0) v.reset();  // the kernel keeps milliseconds
        } else if (auto ms = parse_uint(num)) {
            v = Micros(static_cast<std::int64_t>(*ms) * 1000);
        }
        if (!v || v->count() > max_ms * 1000) {
            fail(at, fmt::format("invalid {} '{}'; expected milliseconds in [0, {}] (or N[.F]s, "
                                 "Nms)",
                                 what, t, max_ms));
            return std::nullopt;
        }
        m.value = *v;
        return m;
    }

    std::optional<PortRange> port_range(std::string_view what) {
        const std::size_t at = i_;
        const std::string& t = take();
        const auto dash = t.find('-');
        if (dash != std::string::npos) {
            const auto lo = parse_uint(std::string_view(t).substr(0, dash));
            const auto hi = parse_uint(std::string_view(t).substr(dash + 1));
            if (lo && hi && *lo <= 65535 && *hi <= 65535)
                return PortRange{static_cast<std::uint16_t>(*lo), static_cast<std::uint16_t>(*hi)};
        }
        fail(at, fmt::format("invalid {} range '{}'; expected PORT-PORT, ports in [0, 65535]", what,
                             t));
        return std::nullopt;
    }

  private:
    const Args& a_;
    std::size_t i_ = 0;
};

// Every address of a route or rule must be of one family.
class FamilyCheck {
  public:
    explicit FamilyCheck(Cursor& c) : c_(c) {}
    bool add(Family f, std::size_t at) {
        if (family_ && *family_ != f)
            return c_.fail(at, "cannot mix IPv4 and IPv6 addresses in one route or rule");
        family_ = f;
        return true;
    }
    std::optional<Family> family() const { return family_; }

  private:
    Cursor& c_;
    std::optional<Family> family_;
};

std::optional<RouteType> route_type(std::string_view w) {
    static constexpr std::array<std::pair<std::string_view, RouteType>, 10> types{
        {{"unicast", RouteType::unicast},
         {"local", RouteType::local},
         {"broadcast", RouteType::broadcast},
         {"anycast", RouteType::anycast},
         {"multicast", RouteType::multicast},
         {"blackhole", RouteType::blackhole},
         {"unreachable", RouteType::unreachable},
         {"prohibit", RouteType::prohibit},
         {"throw", RouteType::throw_route},
         {"nat", RouteType::nat}}};
    for (const auto& [n, t] : types)
        if (w == n) return t;
    return std::nullopt;
}

// nexthop options up to the next "nexthop" or a word that is not a nexthop option.
bool parse_nexthop(Cursor& c, FamilyCheck& fam, NextHop& nh) {
    while (!c.done()) {
        const std::string& w = c.word();
        if (w == "via") {
            c.take();
            if (c.peek_is("inet") || c.peek_is("inet6")) c.take();
            if (!c.value(w)) return false;
            const std::size_t aat = c.pos();
            const auto v = c.address("nexthop gateway");
            if (!v || !fam.add(v->family(), aat)) return false;
            nh.via = *v;
        } else if (w == "dev") {
            c.take();
            if (!c.value("dev")) return false;
            nh.dev = c.take();
        } else if (w == "weight") {
            c.take();
            if (!c.value("weight")) return false;
            const auto v = c.number("nexthop weight", 1, 256);
            if (!v) return false;
            nh.weight = static_cast<std::uint16_t>(*v);
        } else if (w == "onlink") {
            c.take();
            nh.onlink = true;
        } else if (w == "realms") {
            c.take();
            if (!c.value("realms")) return false;
            const auto r = c.realms();
            if (!r) return false;
            nh.realms = *r;
        } else {
            break;
        }
    }
    return true;
}

}  // namespace

// The words after "encap"; the route's other options may follow the encapsulation.
bool parse_encap(Cursor& c, RouteSpec& r) {
    const std::size_t at = c.pos();
    const std::string& type = c.take();
    RouteEncap e;
    if (type == "mpls") {
        e.kind = RouteEncap::Kind::mpls;
        if (!c.value("encap mpls")) return false;
        const std::size_t lat = c.pos();
        const std::string& labels = c.take();
        for (std::size_t start = 0; start <= labels.size();) {
            auto slash = labels.find('/', start);
            if (slash == std::string::npos) slash = labels.size();
            const auto v = parse_uint(std::string_view(labels).substr(start, slash - start));
            if (!v || *v > 0xFFFFF)
                return c.fail(lat, "invalid MPLS label stack '" + labels +
                                       "'; expected LABEL[/LABEL...] with labels up to 1048575");
            e.labels.push_back(static_cast<std::uint32_t>(*v));
            start = slash + 1;
        }
        if (c.peek_is("ttl")) {
            c.take();
            if (!c.value("ttl")) return false;
            const auto t = c.number("ttl", 0, 255);
            if (!t) return false;
            e.ttl = static_cast<std::uint8_t>(*t);
        }
    } else if (type == "ip" || type == "ip6") {
        e.kind = type == "ip" ? RouteEncap::Kind::ip : RouteEncap::Kind::ip6;
        const Family fam = type == "ip" ? Family::inet : Family::inet6;
        for (bool more = true; more && !c.done();) {
            const std::string w = c.word();
            if (w == "id" || w == "dst" || w == "src" || w == "ttl" || w == "hoplimit" ||
                w == "tos" || w == "tc") {
                c.take();
                if (!c.value(w)) return false;
                const std::size_t vat = c.pos();
                if (w == "id") {
                    const auto v = c.number("id", 0, std::numeric_limits<std::uint64_t>::max());
                    if (!v) return false;
                    e.id = *v;
                } else if (w == "dst" || w == "src") {
                    const auto a = IpAddress::parse(c.take());
                    if (!a || a->family() != fam)
                        return c.fail(vat, fmt::format("invalid {} address for encap {}", w, type));
                    (w == "dst" ? e.dst : e.src) = *a;
                } else {
                    const auto v = c.number(w, 0, 255);
                    if (!v) return false;
                    (w == "ttl" || w == "hoplimit" ? e.ttl : e.tos) = static_cast<std::uint8_t>(*v);
                }
            } else if (w == "key" || w == "csum" || w == "seq") {
                c.take();
                (w == "key" ? e.key : (w == "csum" ? e.csum : e.seq)) = true;
            } else {
                more = false;  // the route's next option
            }
        }
    } else {
        return c.fail(at, "unsupported encap type '" + type + "'; expected mpls, ip or ip6");
    }
    r.encap = std::move(e);
    return true;
}

std::optional<RouteSpec> parse_route_spec(const Args& a) {
    RouteSpec r;
    r.loc = a.loc(0);
    Cursor c(a);
    FamilyCheck fam(c);
    bool have_dest = false;
    bool dest_is_default = false;

    if (!c.done()) {
        if (auto t = route_type(c.word())) {
            r.type = *t;
            c.take();
        }
    }
    const auto set_dest = [&](std::size_t at) -> bool {
        if (have_dest) return c.fail(at, "route destination given twice");
        const auto d = c.prefix_or_all("route destination");
        if (!d) return false;
        have_dest = true;
        if (*d) {
            r.destination = **d;
            return fam.add(r.destination.address.family(), at);
        }
        dest_is_default = true;
        return true;
    };

    while (!c.done()) {
        const std::size_t at = c.pos();
        const std::string w = c.take();
        const auto need = [&]() { return c.value(w); };
        const auto metric = [&](std::optional<RouteMetric>& m, std::uint64_t max) {
            if (!need()) return false;
            m = c.metric(w, max);
            return m.has_value();
        };
        const auto time_metric = [&](std::optional<RouteTimeMetric>& m, std::int64_t max_ms) {
            if (!need()) return false;
            m = c.time_metric(w, max_ms);
            return m.has_value();
        };
        bool ok = true;
        if (w == "to") {
            ok = need() && set_dest(c.pos());
        } else if (w == "inet6") {
            r.inet6 = true;
            ok = fam.add(Family::inet6, at);
        } else if (w == "inet") {
            ok = fam.add(Family::inet, at);
        } else if (w == "src") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const auto v = c.address("source address");
                ok = v && fam.add(v->family(), vat);
                if (ok) r.src = *v;
            }
        } else if (w == "from") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const auto v = IpPrefix::parse(c.take());
                if (!v) {
                    ok = c.fail(vat, "invalid source prefix; expected ADDRESS[/PREFIX]");
                } else if (!v->address.is_v6()) {
                    ok = c.fail(vat, "route 'from' is only supported with IPv6");
                } else {
                    ok = fam.add(Family::inet6, vat);
                    r.from = *v;
                }
            }
        } else if (w == "via" || w == "gw") {
            if (w == "gw") c.warn(at, "'gw' is deprecated; use 'via'");
            if (c.peek_is("inet") || c.peek_is("inet6")) c.take();
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const auto v = c.address("gateway");
                ok = v && fam.add(v->family(), vat);
                if (ok) r.via = *v;
            }
        } else if (w == "or") {
            c.warn(at, "'or' is deprecated; use 'nexthop'");
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const auto v = c.address("gateway");
                ok = v && fam.add(v->family(), vat);
                if (ok) r.or_via = *v;
            }
        } else if (w == "dev" || w == "oif") {
            if ((ok = need())) r.dev = c.take();
        } else if (w == "table") {
            if ((ok = need())) {
                const auto t = c.rt_id("routing table", table_names, 0xFFFFFFFF);
                ok = t.has_value();
                if (ok) r.table = *t;
            }
        } else if (w == "metric" || w == "priority" || w == "preference") {
            if ((ok = need())) {
                const auto v = c.number(w, 0, 0xFFFFFFFF);
                ok = v.has_value();
                if (ok) r.metric = static_cast<std::uint32_t>(*v);
            }
        } else if (w == "scope") {
            if ((ok = need())) {
                const auto s = c.rt_id("scope", scope_names, 255);
                ok = s && s->resolved();
                if (s && !ok)
                    c.fail(c.pos() - 1, "invalid scope '" + s->name +
                                            "'; expected global|site|link|host|nowhere "
                                            "or a number in [0, 255]");
                if (ok) r.scope = static_cast<std::uint8_t>(s->value);
            }
        } else if (w == "protocol" || w == "proto") {
            if ((ok = need())) {
                const auto p = c.rt_id("protocol", protocol_names, 255);
                ok = p.has_value();
                if (ok) r.protocol = *p;
            }
        } else if (w == "tos" || w == "dsfield") {
            if ((ok = need())) {
                const auto v = c.tos();
                ok = v.has_value();
                if (ok) r.tos = *v;
            }
        } else if (w == "realms") {
            if ((ok = need())) {
                const auto v = c.realms();
                ok = v.has_value();
                if (ok) r.realms = *v;
            }
        } else if (w == "mtu") {
            ok = metric(r.mtu, 0xFFFFFFFF);
        } else if (w == "hoplimit") {
            ok = metric(r.hoplimit, 255);
        } else if (w == "advmss") {
            ok = metric(r.advmss, 0xFFFFFFFF);
        } else if (w == "reordering") {
            ok = metric(r.reordering, 0xFFFFFFFF);
        } else if (w == "window") {
            ok = metric(r.window, 0xFFFFFFFF);
        } else if (w == "cwnd") {
            ok = metric(r.cwnd, 0xFFFFFFFF);
        } else if (w == "ssthresh") {
            ok = metric(r.ssthresh, 0xFFFFFFFF);
        } else if (w == "initcwnd") {
            ok = metric(r.initcwnd, 0xFFFFFFFF);
        } else if (w == "initrwnd") {
            ok = metric(r.initrwnd, 0xFFFFFFFF);
        } else if (w == "rtt") {
            // The kernel stores rtt in 1/8 ms and rttvar in 1/4 ms units within 32 bits;
            // keepalived caps them as below.
            ok = time_metric(r.rtt, 960000);
        } else if (w == "rttvar") {
            ok = time_metric(r.rttvar, 480000);
        } else if (w == "rto_min") {
            ok = time_metric(r.rto_min, 120000);
        } else if (w == "quickack" || w == "fastopen_no_cookie") {
            if ((ok = need())) {
                const auto v = c.number(w, 0, 1);
                ok = v.has_value();
                if (ok) (w == "quickack" ? r.quickack : r.fastopen_no_cookie) = *v == 1;
            }
        } else if (w == "congctl") {
            if ((ok = need()) && c.peek_is("lock")) {
                c.take();
                r.congctl_lock = true;
                ok = need();
            }
            if (ok) r.congctl = c.take();
        } else if (w == "features") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                if (c.take() == "ecn")
                    r.features_ecn = true;
                else
                    ok = c.fail(vat, "unsupported route feature; expected 'ecn'");
            }
        } else if (w == "pref") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const std::string& v = c.take();
                if (v == "low")
                    r.pref = RoutePref::low;
                else if (v == "medium")
                    r.pref = RoutePref::medium;
                else if (v == "high")
                    r.pref = RoutePref::high;
                else if (auto n = parse_uint(v); n && *n <= 255) {
                    r.pref = RoutePref::number;
                    r.pref_value = static_cast<std::uint8_t>(*n);
                } else {
                    ok = c.fail(vat, "invalid pref '" + v + "'; expected low|medium|high or 0-255");
                }
                if (ok) ok = fam.add(Family::inet6, at);
            }
        } else if (w == "expires") {
            if ((ok = need())) {
                const auto v = c.number("expires", 0, 0xFFFFFFFF);
                ok = v && fam.add(Family::inet6, at);
                if (ok) r.expires = static_cast<std::uint32_t>(*v);
            }
        } else if (w == "encap") {
            if ((ok = need())) ok = parse_encap(c, r);
        } else if (w == "ttl-propagate") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const std::string& v = c.take();
                if (v == "enabled" || v == "disabled")
                    r.ttl_propagate = v == "enabled";
                else
                    ok =
                        c.fail(vat, "invalid ttl-propagate '" + v + "'; expected enabled|disabled");
            }
        } else if (w == "nexthop") {
            NextHop nh;
            ok = parse_nexthop(c, fam, nh);
            if (ok && !nh.via && nh.dev.empty())
                ok = c.fail(at, "nexthop needs 'via ADDRESS' or 'dev INTERFACE'");
            if (ok) r.nexthops.push_back(std::move(nh));
        } else if (w == "onlink") {
            r.onlink = true;
        } else if (w == "vrf") {
            if ((ok = need())) r.vrf = c.take();
        } else if (w == "append") {
            r.append = true;
        } else if (w == "add" || w == "prepend") {
            // The default: the route is prepended, as `ip route add` does.
        } else if (w == "no_track") {
            r.no_track = true;
        } else if (w == "track_group") {
            if ((ok = need())) r.track_group = c.take();
        } else if (!have_dest && (w == "default" || IpPrefix::parse(w))) {
            // The destination without "to".
            ok = true;
            have_dest = true;
            if (w == "default" || w == "all") {
                dest_is_default = true;
            } else {
                r.destination = *IpPrefix::parse(w);
                ok = fam.add(r.destination.address.family(), at);
            }
        } else if (have_dest && IpPrefix::parse(w)) {
            ok = c.fail(at, "route destination given twice");
        } else {
            ok = c.fail(at, fmt::format("unknown route option '{}'", w));
        }
        if (!ok) return std::nullopt;
    }
    if (!have_dest) {
        a.error(a.size(), "route has no destination; expected [to] ADDRESS[/PREFIX] or default");
        return std::nullopt;
    }
    const Family f = fam.family().value_or(Family::inet);
    if (dest_is_default) {
        r.destination =
            IpPrefix{f == Family::inet6 ? *IpAddress::parse("::") : IpAddress::v4(0), 0};
    }
    r.inet6 = f == Family::inet6;
    return r;
}

std::optional<RuleSpec> parse_rule_spec(const Args& a) {
    RuleSpec r;
    r.loc = a.loc(0);
    Cursor c(a);
    FamilyCheck fam(c);
    std::optional<std::size_t> goto_at;

    const auto set_action = [&](RuleAction act, std::size_t at) {
        if (r.action != RuleAction::none)
            return c.fail(at,
                          "only one of table/lookup, goto, nop, blackhole, unreachable, "
                          "prohibit and l3mdev may be given");
        r.action = act;
        return true;
    };

    while (!c.done()) {
        const std::size_t at = c.pos();
        const std::string w = c.take();
        const auto need = [&]() { return c.value(w); };
        bool ok = true;
        if (w == "not") {
            r.invert = true;
        } else if (w == "inet6") {
            r.inet6 = true;
            ok = fam.add(Family::inet6, at);
        } else if (w == "inet") {
            ok = fam.add(Family::inet, at);
        } else if (w == "from" || w == "to") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const std::string what = w == "from" ? "source" : "destination";
                // keepalived 2.2.7 skips a rule with an invalid address (measured: Debian's
                // keepalived.conf.vrrp.rules sample) and runs the rest.
                if (!c.prefix_or_all_next()) {
                    c.warn(vat, fmt::format("invalid {} '{}'; the rule is skipped, as keepalived "
                                            "does",
                                            what, c.word()));
                    return std::nullopt;
                }
                const auto p = c.prefix_or_all(what);
                ok = p.has_value();
                if (ok && *p) {
                    ok = fam.add((*p)->address.family(), vat);
                    (w == "from" ? r.from : r.to) = **p;
                }
            }
        } else if (w == "table" || w == "lookup") {
            if ((ok = need() && set_action(RuleAction::table, at))) {
                const auto t = c.rt_id("routing table", table_names, 0xFFFFFFFF);
                ok = t.has_value();
                if (ok) r.table = *t;
            }
        } else if (w == "goto") {
            if ((ok = need() && set_action(RuleAction::goto_rule, at))) {
                const auto v = c.number("goto target", 0, 0xFFFFFFFF);
                ok = v.has_value();
                if (ok) r.goto_target = static_cast<std::uint32_t>(*v);
                goto_at = at;
            }
        } else if (w == "nop") {
            ok = set_action(RuleAction::nop, at);
        } else if (w == "blackhole") {
            ok = set_action(RuleAction::blackhole, at);
        } else if (w == "unreachable") {
            ok = set_action(RuleAction::unreachable, at);
        } else if (w == "prohibit") {
            ok = set_action(RuleAction::prohibit, at);
        } else if (w == "l3mdev") {
            ok = set_action(RuleAction::l3mdev, at);
        } else if (w == "type") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const std::string& t = c.take();
                if (t == "blackhole")
                    ok = set_action(RuleAction::blackhole, vat);
                else if (t == "unreachable")
                    ok = set_action(RuleAction::unreachable, vat);
                else if (t == "prohibit")
                    ok = set_action(RuleAction::prohibit, vat);
                else if (t == "nop")
                    ok = set_action(RuleAction::nop, vat);
                else
                    ok = c.fail(vat, "invalid rule type '" + t +
                                         "'; expected blackhole|unreachable|prohibit|nop");
            }
        } else if (w == "preference" || w == "priority" || w == "order") {
            if ((ok = need())) {
                const auto v = c.number(w, 0, 0xFFFFFFFF);
                ok = v.has_value();
                if (ok) r.preference = static_cast<std::uint32_t>(*v);
            }
        } else if (w == "iif" || w == "dev") {
            if ((ok = need())) r.iif = c.take();
        } else if (w == "oif") {
            if ((ok = need())) r.oif = c.take();
        } else if (w == "tos" || w == "dsfield") {
            if ((ok = need())) {
                const auto v = c.tos();
                ok = v.has_value();
                if (ok) r.tos = *v;
            }
        } else if (w == "fwmark") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const std::string& t = c.take();
                const auto slash = t.find('/');
                const auto mark = parse_uint(std::string_view(t).substr(0, slash), 0);
                std::optional<std::uint64_t> mask;
                if (slash != std::string::npos)
                    mask = parse_uint(std::string_view(t).substr(slash + 1), 0);
                if (!mark || *mark > 0xFFFFFFFF ||
                    (slash != std::string::npos && (!mask || *mask > 0xFFFFFFFF))) {
                    ok = c.fail(vat,
                                "invalid fwmark '" + t +
                                    "'; expected MARK[/MASK], 32-bit numbers (decimal or 0x hex)");
                } else {
                    r.fwmark = static_cast<std::uint32_t>(*mark);
                    if (mask) r.fwmask = static_cast<std::uint32_t>(*mask);
                }
            }
        } else if (w == "realms") {
            if ((ok = need())) {
                const auto v = c.realms();
                ok = v.has_value();
                if (ok) r.realms = *v;
            }
        } else if (w == "suppress_prefixlength") {
            if ((ok = need())) {
                const auto v = c.number(w, 0, 0xFFFFFFFF);
                ok = v.has_value();
                if (ok) r.suppress_prefixlength = static_cast<std::uint32_t>(*v);
            }
        } else if (w == "suppress_ifgroup") {
            if ((ok = need())) {
                const auto g = c.rt_id("interface group", group_names, 0xFFFFFFFF);
                ok = g.has_value();
                if (ok) r.suppress_ifgroup = *g;
            }
        } else if (w == "tunnel-id" || w == "tun_id") {
            if ((ok = need())) {
                const auto v = c.number("tunnel-id", 0, std::numeric_limits<std::uint64_t>::max());
                ok = v.has_value();
                if (ok) r.tunnel_id = *v;
            }
        } else if (w == "uidrange") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                const std::string& t = c.take();
                const auto dash = t.find('-');
                std::optional<std::uint64_t> lo;
                std::optional<std::uint64_t> hi;
                if (dash != std::string::npos) {
                    lo = parse_uint(std::string_view(t).substr(0, dash));
                    hi = parse_uint(std::string_view(t).substr(dash + 1));
                }
                if (!lo || !hi || *lo > 0xFFFFFFFF || *hi > 0xFFFFFFFF)
                    ok = c.fail(vat, "invalid uidrange '" + t + "'; expected UID-UID");
                else
                    r.uidrange =
                        std::pair{static_cast<std::uint32_t>(*lo), static_cast<std::uint32_t>(*hi)};
            }
        } else if (w == "protocol" || w == "proto") {
            if ((ok = need())) {
                const auto p = c.rt_id("protocol", protocol_names, 255);
                ok = p.has_value();
                if (ok) r.protocol = *p;
            }
        } else if (w == "ip_proto" || w == "ipproto") {
            if ((ok = need())) {
                const std::size_t vat = c.pos();
                std::string t = c.take();
                for (auto& ch : t)
                    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                ok = false;
                for (const auto& n : ip_proto_names)
                    if (t == n.name) {
                        r.ip_proto = static_cast<std::uint8_t>(n.value);
                        ok = true;
                    }
                if (!ok) {
                    if (auto v = parse_uint(t); v && *v <= 255) {
                        r.ip_proto = static_cast<std::uint8_t>(*v);
                        ok = true;
                    } else {
                        c.fail(vat, "invalid ip_proto '" + a.text(vat) +
                                        "'; expected tcp|udp|sctp|icmp|icmpv6|dccp|udplite or "
                                        "a number in [0, 255]");
                    }
                }
            }
        } else if (w == "sport" || w == "dport") {
            if ((ok = need())) {
                const auto p = c.port_range(w);
                ok = p.has_value();
                if (ok) (w == "sport" ? r.sport : r.dport) = *p;
            }
        } else if (w == "no_track") {
            r.no_track = true;
        } else if (w == "track_group") {
            if ((ok = need())) r.track_group = c.take();
        } else {
            ok = c.fail(at, fmt::format("unknown rule option '{}'", w));
        }
        if (!ok) return std::nullopt;
    }
    if (r.action == RuleAction::none) {
        a.error(a.size(),
                "rule has no action; expected table/lookup, goto, nop, blackhole, "
                "unreachable, prohibit or l3mdev");
        return std::nullopt;
    }
    if (goto_at && !r.preference) {
        a.error(*goto_at, "a rule with goto needs a preference");
        return std::nullopt;
    }
    if (!r.preference)
        a.warning(0,
                  "rule has no preference; one will be assigned, which is probably not what "
                  "you want");
    r.inet6 = fam.family() == Family::inet6;
    return r;
}

}  // namespace vigil::config
