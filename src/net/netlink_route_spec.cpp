// RouteSpec (`ip route add` syntax) → an RTM_NEWROUTE/RTM_DELROUTE request. libnl's
// rtnl_route carries the core fields and the nexthops; what it cannot express (metrics with
// congctl, which is a string; pref; expires; ip/ip6/mpls encapsulation) is appended to the
// message it builds as plain attributes. Defaults follow `ip route`, except the protocol:
// keepalived's (18) unless configured, so that its routes are recognisable.
#include <arpa/inet.h>
#include <endian.h>
#include <linux/lwtunnel.h>
#include <linux/mpls_iptunnel.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/route/link/vrf.h>
#include <netlink/route/nexthop.h>

#include <fmt/format.h>

#include "net/netlink_internal.h"

namespace vigil::net::detail {

namespace {

constexpr std::uint8_t rtprot_keepalived = 18;
constexpr std::uint8_t icmpv6_router_pref_low = 3;
constexpr std::uint8_t icmpv6_router_pref_medium = 0;
constexpr std::uint8_t icmpv6_router_pref_high = 1;
constexpr std::uint16_t tunnel_csum = 0x01;
constexpr std::uint16_t tunnel_key = 0x04;
constexpr std::uint16_t tunnel_seq = 0x08;

std::uint8_t kernel_type(config::RouteType t) {
    switch (t) {
        case config::RouteType::unicast:
            return RTN_UNICAST;
        case config::RouteType::local:
            return RTN_LOCAL;
        case config::RouteType::broadcast:
            return RTN_BROADCAST;
        case config::RouteType::anycast:
            return RTN_ANYCAST;
        case config::RouteType::multicast:
            return RTN_MULTICAST;
        case config::RouteType::blackhole:
            return RTN_BLACKHOLE;
        case config::RouteType::unreachable:
            return RTN_UNREACHABLE;
        case config::RouteType::prohibit:
            return RTN_PROHIBIT;
        case config::RouteType::throw_route:
            return RTN_THROW;
        case config::RouteType::nat:
            return RTN_NAT;
    }
    return RTN_UNICAST;
}

// Types that forward through an interface, and so take the default interface.
bool uses_device(config::RouteType t) {
    switch (t) {
        case config::RouteType::unicast:
        case config::RouteType::local:
        case config::RouteType::broadcast:
        case config::RouteType::anycast:
        case config::RouteType::multicast:
        case config::RouteType::nat:
            return true;
        case config::RouteType::blackhole:
        case config::RouteType::unreachable:
        case config::RouteType::prohibit:
        case config::RouteType::throw_route:
            return false;
    }
    return false;
}

// `ip route`'s default scope: host for local/nat, link for broadcast/multicast/anycast and
// for a unicast route with no gateway (directly connected), universe otherwise.
std::uint8_t default_scope(const config::RouteSpec& r) {
    switch (r.type) {
        case config::RouteType::local:
        case config::RouteType::nat:
            return RT_SCOPE_HOST;
        case config::RouteType::broadcast:
        case config::RouteType::multicast:
        case config::RouteType::anycast:
            return RT_SCOPE_LINK;
        case config::RouteType::unicast:
            return (r.via || r.or_via || !r.nexthops.empty()) ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
        case config::RouteType::blackhole:
        case config::RouteType::unreachable:
        case config::RouteType::prohibit:
        case config::RouteType::throw_route:
            return RT_SCOPE_UNIVERSE;
    }
    return RT_SCOPE_UNIVERSE;
}

// A gateway of the route's family is RTA_GATEWAY; of the other family (an IPv4 route via
// an IPv6 neighbour, RFC 5549) it is RTA_VIA.
void set_gateway(rtnl_nexthop* nh, const IpAddress& gw, int family) {
    const AddrPtr a = to_nl_addr(gw, gw.max_prefix());
    if (address_family(gw.family()) == family)
        rtnl_route_nh_set_gateway(nh, a.get());
    else
        rtnl_route_nh_set_via(nh, a.get());
}

Result<std::uint32_t> table_of(nl_sock* sock, const config::RouteSpec& r,
                               const std::vector<std::string>& dirs) {
    if (r.table) return resolve_rt_id(*r.table, NameFile::rt_tables, dirs);
    if (r.vrf.empty()) return std::uint32_t{RT_TABLE_MAIN};
    rtnl_link* raw = nullptr;
    const int err = rtnl_link_get_kernel(sock, 0, r.vrf.c_str(), &raw);
    const LinkPtr l(raw);
    if (err < 0 || !l) return Error{fmt::format("unknown VRF '{}': no such device", r.vrf)};
    std::uint32_t id = 0;
    if (rtnl_link_is_vrf(l.get()) == 0 || rtnl_link_vrf_get_tableid(l.get(), &id) < 0)
        return Error{fmt::format("'{}' is not a VRF device", r.vrf)};
    return id;
}

class NextHopBuilder {
  public:
    NextHopBuilder(nl_sock* sock, int family) : sock_(sock), family_(family) {}

    Result<rtnl_nexthop*> make(const std::string& dev, int fallback_ifindex,
                               const std::optional<IpAddress>& via,
                               std::optional<std::uint32_t> realms, unsigned flags) {
        int ifindex = fallback_ifindex;
        if (!dev.empty()) {
            auto idx = ifindex_of(sock_, dev);
            if (!idx) return Error{idx.error()};
            ifindex = idx.value();
        }
        rtnl_nexthop* nh = rtnl_route_nh_alloc();
        if (nh == nullptr) throw std::bad_alloc();
        if (ifindex != 0) rtnl_route_nh_set_ifindex(nh, ifindex);
        if (via) set_gateway(nh, *via, family_);
        if (realms) rtnl_route_nh_set_realms(nh, *realms);
        if (flags != 0) rtnl_route_nh_set_flags(nh, flags);
        return nh;
    }

  private:
    nl_sock* sock_;
    int family_;
};

// Adds the nexthops: one (RTA_OIF/RTA_GATEWAY) or several (RTA_MULTIPATH). The route owns
// each nexthop once added.
Status add_nexthops(nl_sock* sock, rtnl_route* route, const config::RouteSpec& r,
                    int default_ifindex, int family, const std::vector<std::string>& dirs) {
    std::optional<std::uint32_t> route_realms;
    if (r.realms) {
        auto v = resolve_realms(*r.realms, dirs);
        if (!v) return Error{v.error()};
        route_realms = v.value();
    }
    NextHopBuilder nhb(sock, family);
    const int fallback = uses_device(r.type) ? default_ifindex : 0;
    const auto add = [&](Result<rtnl_nexthop*> nh) -> Status {
        if (!nh) return Error{nh.error()};
        rtnl_route_add_nexthop(route, nh.value());
        return Ok{};
    };
    if (r.nexthops.empty()) {
        const unsigned onlink = r.onlink ? RTNH_F_ONLINK : 0U;
        if (r.or_via) {
            // The deprecated "or GATEWAY": a second path through the same interface.
            for (const auto& gw : {r.via, r.or_via}) {
                if (auto s = add(nhb.make(r.dev, fallback, gw, route_realms, onlink)); !s) return s;
            }
            return Ok{};
        }
        // A single path's flags live in the route header (libnl sends them from there).
        if (r.onlink) rtnl_route_set_flags(route, RTNH_F_ONLINK);
        const bool has_dev = !r.dev.empty() || fallback != 0;
        if (has_dev || r.via || route_realms)
            return add(nhb.make(r.dev, fallback, r.via, route_realms, 0));
        return Ok{};
    }
    for (const auto& hop : r.nexthops) {
        std::optional<std::uint32_t> realms = route_realms;
        if (hop.realms) {
            auto v = resolve_realms(*hop.realms, dirs);
            if (!v) return Error{v.error()};
            realms = v.value();
        }
        auto nh = nhb.make(hop.dev, 0, hop.via, realms, hop.onlink ? RTNH_F_ONLINK : 0U);
        if (!nh) return Error{nh.error()};
        // The kernel's rtnh_hops is the weight minus one; libnl copies its value there.
        if (hop.weight)
            rtnl_route_nh_set_weight(nh.value(), static_cast<std::uint8_t>(*hop.weight - 1));
        rtnl_route_add_nexthop(route, nh.value());
    }
    return Ok{};
}

bool has_metrics(const config::RouteSpec& r) {
    return r.mtu || r.hoplimit || r.advmss || r.rtt || r.rttvar || r.reordering || r.window ||
           r.cwnd || r.ssthresh || r.rto_min || r.initcwnd || r.initrwnd || r.quickack ||
           r.fastopen_no_cookie || !r.congctl.empty() || r.features_ecn;
}

std::uint32_t millis(std::chrono::microseconds us) {
    return static_cast<std::uint32_t>(us.count() / 1000);
}

// RTA_METRICS: one u32 per RTAX_* (congctl a string), the locked ones in RTAX_LOCK's mask.
// The kernel keeps rtt in 1/8 ms and rttvar in 1/4 ms units, as `ip route` sends them.
int put_metrics(nl_msg* msg, const config::RouteSpec& r) {
    nlattr* nest = nla_nest_start(msg, RTA_METRICS);
    if (nest == nullptr) return -NLE_NOMEM;
    std::uint32_t locks = 0;
    int err = 0;
    const auto put = [&](int type, std::uint32_t value, bool lock) {
        if (err == 0) err = nla_put_u32(msg, type, value);
        if (lock) locks |= 1U << type;
    };
    const auto metric = [&](int type, const std::optional<config::RouteMetric>& m) {
        if (m) put(type, m->value, m->lock);
    };
    metric(RTAX_MTU, r.mtu);
    metric(RTAX_HOPLIMIT, r.hoplimit);
    metric(RTAX_ADVMSS, r.advmss);
    metric(RTAX_REORDERING, r.reordering);
    metric(RTAX_WINDOW, r.window);
    metric(RTAX_CWND, r.cwnd);
    metric(RTAX_SSTHRESH, r.ssthresh);
    metric(RTAX_INITCWND, r.initcwnd);
    metric(RTAX_INITRWND, r.initrwnd);
    if (r.rtt) put(RTAX_RTT, millis(r.rtt->value) * 8, r.rtt->lock);
    if (r.rttvar) put(RTAX_RTTVAR, millis(r.rttvar->value) * 4, r.rttvar->lock);
    // TCP honours a route's rto_min only when it is locked, so `ip route` always locks it.
    if (r.rto_min) put(RTAX_RTO_MIN, millis(r.rto_min->value), true);
    if (r.quickack) put(RTAX_QUICKACK, *r.quickack ? 1 : 0, false);
    if (r.fastopen_no_cookie) put(RTAX_FASTOPEN_NO_COOKIE, *r.fastopen_no_cookie ? 1 : 0, false);
    if (r.features_ecn) put(RTAX_FEATURES, RTAX_FEATURE_ECN, false);
    if (!r.congctl.empty()) {
        if (err == 0) err = nla_put_string(msg, RTAX_CC_ALGO, r.congctl.c_str());
        if (r.congctl_lock) locks |= 1U << RTAX_CC_ALGO;
    }
    if (locks != 0 && err == 0) err = nla_put_u32(msg, RTAX_LOCK, locks);
    if (err < 0) return err;
    return nla_nest_end(msg, nest);
}

int put_ip_address(nl_msg* msg, int type, const IpAddress& a) {
    return nla_put(msg, type, a.is_v4() ? 4 : 16, a.bytes().data());
}

// RTA_ENCAP_TYPE + RTA_ENCAP, as `ip route ... encap` builds them.
int put_encap(nl_msg* msg, const config::RouteEncap& e) {
    using Kind = config::RouteEncap::Kind;
    std::uint16_t type = LWTUNNEL_ENCAP_MPLS;
    switch (e.kind) {
        case Kind::mpls:
            type = LWTUNNEL_ENCAP_MPLS;
            break;
        case Kind::ip:
            type = LWTUNNEL_ENCAP_IP;
            break;
        case Kind::ip6:
            type = LWTUNNEL_ENCAP_IP6;
            break;
    }
    if (const int err = nla_put_u16(msg, RTA_ENCAP_TYPE, type); err < 0) return err;
    nlattr* nest = nla_nest_start(msg, RTA_ENCAP);
    if (nest == nullptr) return -NLE_NOMEM;
    int err = 0;
    if (e.kind == Kind::mpls) {
        // RFC 3032 label stack entries: label in the top 20 bits, bottom-of-stack on the last.
        std::vector<std::uint32_t> stack;
        for (std::size_t i = 0; i < e.labels.size(); ++i) {
            const std::uint32_t bos = i + 1 == e.labels.size() ? 0x100U : 0U;
            stack.push_back(htonl((e.labels[i] << 12) | bos));
        }
        err = nla_put(msg, MPLS_IPTUNNEL_DST, static_cast<int>(stack.size() * 4), stack.data());
        if (err == 0 && e.ttl) err = nla_put_u8(msg, MPLS_IPTUNNEL_TTL, *e.ttl);
    } else {
        // LWTUNNEL_IP_* and LWTUNNEL_IP6_* share their numbering.
        if (e.id) {
            const std::uint64_t id_be = htobe64(*e.id);
            err = nla_put(msg, LWTUNNEL_IP_ID, sizeof(id_be), &id_be);
        }
        if (err == 0 && e.dst) err = put_ip_address(msg, LWTUNNEL_IP_DST, *e.dst);
        if (err == 0 && e.src) err = put_ip_address(msg, LWTUNNEL_IP_SRC, *e.src);
        if (err == 0 && e.ttl) err = nla_put_u8(msg, LWTUNNEL_IP_TTL, *e.ttl);
        if (err == 0 && e.tos) err = nla_put_u8(msg, LWTUNNEL_IP_TOS, *e.tos);
        std::uint16_t flags = 0;
        if (e.key) flags |= tunnel_key;
        if (e.csum) flags |= tunnel_csum;
        if (e.seq) flags |= tunnel_seq;
        if (err == 0 && flags != 0) err = nla_put_u16(msg, LWTUNNEL_IP_FLAGS, htons(flags));
    }
    if (err < 0) return err;
    return nla_nest_end(msg, nest);
}

std::uint8_t pref_value(const config::RouteSpec& r) {
    switch (*r.pref) {
        case config::RoutePref::low:
            return icmpv6_router_pref_low;
        case config::RoutePref::medium:
            return icmpv6_router_pref_medium;
        case config::RoutePref::high:
            return icmpv6_router_pref_high;
        case config::RoutePref::number:
            return r.pref_value;
    }
    return icmpv6_router_pref_medium;
}

// The attributes libnl's rtnl_route has no field for.
int put_extras(nl_msg* msg, const config::RouteSpec& r) {
    int err = 0;
    if (has_metrics(r)) err = put_metrics(msg, r);
    if (err == 0 && r.pref) err = nla_put_u8(msg, RTA_PREF, pref_value(r));
    if (err == 0 && r.expires) err = nla_put_u32(msg, RTA_EXPIRES, *r.expires);
    if (err == 0 && r.encap) err = put_encap(msg, *r.encap);
    return err;
}

}  // namespace

Result<MsgPtr> build_route_request(nl_sock* sock, const config::RouteSpec& r, int default_ifindex,
                                   bool add, const std::vector<std::string>& name_dirs) {
    const int family = r.inet6 || r.destination.address.is_v6() ? AF_INET6 : AF_INET;
    if (r.encap && (!r.nexthops.empty() || r.or_via))
        return Error{"route encap together with several nexthops is not supported"};
    RoutePtr route(rtnl_route_alloc());
    if (!route) throw std::bad_alloc();
    rtnl_route_set_family(route.get(), static_cast<std::uint8_t>(family));
    rtnl_route_set_type(route.get(), kernel_type(r.type));
    rtnl_route_set_dst(route.get(), to_nl_addr(r.destination).get());
    if (r.from) rtnl_route_set_src(route.get(), to_nl_addr(*r.from).get());
    if (r.src) rtnl_route_set_pref_src(route.get(), to_nl_addr(*r.src, r.src->max_prefix()).get());

    auto table = table_of(sock, r, name_dirs);
    if (!table) return Error{table.error()};
    rtnl_route_set_table(route.get(), table.value());
    std::uint8_t protocol = rtprot_keepalived;
    if (r.protocol) {
        auto p = resolve_rt_id(*r.protocol, NameFile::rt_protos, name_dirs);
        if (!p) return Error{p.error()};
        if (p.value() > 255)
            return Error{fmt::format("route protocol {} out of range [0, 255]", p.value())};
        protocol = static_cast<std::uint8_t>(p.value());
    }
    rtnl_route_set_protocol(route.get(), protocol);
    rtnl_route_set_scope(route.get(), r.scope.value_or(default_scope(r)));
    if (r.metric) rtnl_route_set_priority(route.get(), *r.metric);
    if (r.tos) rtnl_route_set_tos(route.get(), *r.tos);
    if (r.ttl_propagate) rtnl_route_set_ttl_propagate(route.get(), *r.ttl_propagate ? 1 : 0);
    if (auto s = add_nexthops(sock, route.get(), r, default_ifindex, family, name_dirs); !s)
        return Error{s.error()};

    nl_msg* raw = nullptr;
    int err = 0;
    if (add) {
        const int flags = NLM_F_CREATE | (r.append ? NLM_F_APPEND : NLM_F_EXCL);
        err = rtnl_route_build_add_request(route.get(), flags, &raw);
    } else {
        err = rtnl_route_build_del_request(route.get(), 0, &raw);
    }
    MsgPtr msg(raw);
    if (err < 0 || !msg)
        return Error{fmt::format("cannot build the request: {}", nl_geterror(err))};
    if (add) {
        if (err = put_extras(msg.get(), r); err < 0)
            return Error{fmt::format("cannot build the request: {}", nl_geterror(err))};
    }
    return msg;
}

std::string describe_route(const config::RouteSpec& r) {
    std::string s;
    if (r.type != config::RouteType::unicast) s = fmt::format("{} ", config::to_string(r.type));
    s += r.destination.to_string();
    if (r.from) s += " from " + r.from->to_string();
    if (r.via) s += " via " + r.via->to_string();
    if (!r.dev.empty()) s += " dev " + r.dev;
    for (const auto& nh : r.nexthops) {
        s += " nexthop";
        if (nh.via) s += " via " + nh.via->to_string();
        if (!nh.dev.empty()) s += " dev " + nh.dev;
    }
    if (r.table)
        s += " table " + (r.table->resolved() ? std::to_string(r.table->value) : r.table->name);
    if (r.metric) s += fmt::format(" metric {}", *r.metric);
    return s;
}

}  // namespace vigil::net::detail
