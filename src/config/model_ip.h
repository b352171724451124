// Address, route and rule statements, shared by static_ipaddress/static_routes/static_rules
// and a vrrp_instance's virtual_ipaddress(_excluded)/virtual_routes/virtual_rules. The
// syntax is that of `ip address/route/rule add` (keepalived.conf(5)).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ip_address.h"
#include "config/source.h"

namespace vigil::config {

using Micros = std::chrono::microseconds;

// One line of virtual_ipaddress / virtual_ipaddress_excluded / static_ipaddress.
struct AddressSpec {
    SourceLoc loc;
    IpPrefix address;  // length defaults to 32/128 when no /MASK is given
    enum class Broadcast : std::uint8_t { none, address, clear_host_bits, set_host_bits };
    Broadcast broadcast = Broadcast::none;  // brd ADDR | brd - | brd +
    std::optional<IpAddress> broadcast_address;
    std::string dev;  // empty: the instance's interface (or default_interface)
    std::optional<std::uint8_t>
        scope;  // rtnetlink scope: global 0, site 200, link 253, host 254, nowhere 255
    std::string label;
    std::optional<IpPrefix> peer;
    bool home = false;
    // -nodad: the kernel runs duplicate address detection on the (IPv6) address. Without it,
    // as keepalived does, an IPv6 address is added with IFA_F_NODAD: usable at once, and never
    // "dadfailed" while another router of the group still answers for it.
    bool dad = false;
    bool mngtmpaddr = false;
    bool noprefixroute = false;
    bool autojoin = false;
    bool no_track = false;
    bool use_vmac = false;
    std::optional<std::uint32_t> preferred_lft;  // seconds; 0xFFFFFFFF = forever
    std::string track_group;
    bool operator==(const AddressSpec&) const = default;
};

// A routing table, protocol, realm or interface group given by number, or by a name that
// iproute2's files (/etc/iproute2/rt_tables...) map to a number. Built-in names (table main,
// protocol kernel...) are resolved here; other names are kept for resolution on the host.
struct RtId {
    std::uint32_t value = 0;
    std::string name;  // non-empty: an unresolved name; value is meaningless
    bool resolved() const { return name.empty(); }
    bool operator==(const RtId&) const = default;
};

// realms [FROM/]TO
struct Realms {
    std::optional<RtId> from;
    RtId to;
    bool operator==(const Realms&) const = default;
};

// A route metric (RTAX_*), with `lock` to stop the kernel changing it.
struct RouteMetric {
    std::uint32_t value = 0;
    bool lock = false;
    bool operator==(const RouteMetric&) const = default;
};

// A time metric (rtt, rttvar, rto_min): milliseconds by default, or with a s/ms suffix.
struct RouteTimeMetric {
    Micros value{0};
    bool lock = false;
    bool operator==(const RouteTimeMetric&) const = default;
};

enum class RouteType : std::uint8_t {
    unicast,
    local,
    broadcast,
    anycast,
    multicast,
    blackhole,
    unreachable,
    prohibit,
    throw_route,  // "throw"
    nat,
};
std::string_view to_string(RouteType t);

// nexthop via ADDR dev IF weight N onlink realms R
struct NextHop {
    std::optional<IpAddress> via;
    std::string dev;
    std::optional<std::uint16_t> weight;  // 1..256
    bool onlink = false;
    std::optional<Realms> realms;
    bool operator==(const NextHop&) const = default;
};

// encap mpls LABEL[/LABEL...] [ttl N] | encap ip|ip6 [id N] [dst A] [src A] [ttl|hoplimit N]
// [tos|tc N] [key] [csum] [seq]: lightweight tunnel encapsulation of a route.
struct RouteEncap {
    enum class Kind : std::uint8_t { mpls, ip, ip6 };
    Kind kind = Kind::mpls;
    std::vector<std::uint32_t> labels;  // mpls, 20 bits each
    std::optional<std::uint64_t> id;    // ip/ip6 tunnel id
    std::optional<IpAddress> dst;
    std::optional<IpAddress> src;
    std::optional<std::uint8_t> ttl;  // mpls ttl, ip ttl or ip6 hoplimit
    std::optional<std::uint8_t> tos;  // ip tos or ip6 tc
    bool key = false;
    bool csum = false;
    bool seq = false;
    bool operator==(const RouteEncap&) const = default;
};

// IPv6 router preference (pref low|medium|high, or the raw value).
enum class RoutePref : std::uint8_t { low, medium, high, number };

// One line of static_routes / virtual_routes (`ip route add` syntax).
struct RouteSpec {
    SourceLoc loc;
    RouteType type = RouteType::unicast;
    IpPrefix destination;             // "default" is 0.0.0.0/0 (::/0 with inet6)
    bool inet6 = false;               // the route was forced to IPv6
    std::optional<IpPrefix> from;     // source prefix, IPv6 only ("from")
    std::optional<IpAddress> src;     // preferred source address ("src")
    std::optional<IpAddress> via;     // "via" or the deprecated "gw"
    std::optional<IpAddress> or_via;  // deprecated "or": a second gateway
    std::string dev;
    std::optional<RtId> table;
    std::optional<std::uint32_t> metric;  // metric|priority|preference
    std::optional<std::uint8_t> scope;
    std::optional<RtId> protocol;
    std::optional<std::uint8_t> tos;  // tos|dsfield
    std::optional<Realms> realms;
    std::optional<RouteMetric> mtu;
    std::optional<RouteMetric> hoplimit;
    std::optional<RouteMetric> advmss;
    std::optional<RouteTimeMetric> rtt;
    std::optional<RouteTimeMetric> rttvar;
    std::optional<RouteMetric> reordering;
    std::optional<RouteMetric> window;
    std::optional<RouteMetric> cwnd;
    std::optional<RouteMetric> ssthresh;
    std::optional<RouteTimeMetric> rto_min;
    std::optional<RouteMetric> initcwnd;
    std::optional<RouteMetric> initrwnd;
    std::optional<bool> quickack;
    std::optional<bool> fastopen_no_cookie;
    std::string congctl;
    bool congctl_lock = false;
    bool features_ecn = false;
    std::optional<RoutePref> pref;
    std::uint8_t pref_value = 0;           // with RoutePref::number
    std::optional<std::uint32_t> expires;  // seconds, IPv6 only
    std::vector<NextHop> nexthops;
    std::optional<RouteEncap> encap;
    std::optional<bool> ttl_propagate;  // ttl-propagate enabled|disabled (MPLS)
    bool onlink = false;
    std::string vrf;
    bool append = false;  // `ip route append` rather than prepend
    bool no_track = false;
    std::string track_group;
    bool operator==(const RouteSpec&) const = default;
};

enum class RuleAction : std::uint8_t {
    none,
    table,
    goto_rule,
    nop,
    blackhole,
    unreachable,
    prohibit,
    l3mdev
};
std::string_view to_string(RuleAction a);

struct PortRange {
    std::uint16_t from = 0;
    std::uint16_t to = 0;
    bool operator==(const PortRange&) const = default;
};

// One line of static_rules / virtual_rules (`ip rule add` syntax).
struct RuleSpec {
    SourceLoc loc;
    bool inet6 = false;
    bool invert = false;           // "not"
    std::optional<IpPrefix> from;  // unset: all
    std::optional<IpPrefix> to;    // unset: all
    RuleAction action = RuleAction::none;
    std::optional<RtId> table;                 // with RuleAction::table ("table"|"lookup")
    std::optional<std::uint32_t> goto_target;  // with RuleAction::goto_rule
    std::optional<std::uint32_t> preference;   // preference|priority|order
    std::string iif;
    std::string oif;
    std::optional<std::uint8_t> tos;  // tos|dsfield
    std::optional<std::uint32_t> fwmark;
    std::optional<std::uint32_t> fwmask;
    std::optional<Realms> realms;
    std::optional<std::uint32_t> suppress_prefixlength;
    std::optional<RtId> suppress_ifgroup;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> uidrange;
    std::optional<std::uint64_t> tunnel_id;  // tunnel-id N
    std::optional<RtId> protocol;
    std::optional<std::uint8_t> ip_proto;
    std::optional<PortRange> sport;
    std::optional<PortRange> dport;
    bool no_track = false;
    std::string track_group;
    bool operator==(const RuleSpec&) const = default;
};

// The same statement wherever it is written: locations are not compared (a reload that
// only moves a line changes nothing).
template <class Spec>
bool same_line(const Spec& a, Spec b) {
    b.loc = a.loc;
    return a == b;
}

// Each reads one line; `words` are its words (the first word of the line is argument 0).
// They report errors with their location and return nullopt on failure.
class Args;
std::optional<AddressSpec> parse_address_spec(const Args& words);
std::optional<RouteSpec> parse_route_spec(const Args& words);
std::optional<RuleSpec> parse_rule_spec(const Args& words);

}  // namespace vigil::config
