#include "config/dump_json.h"

namespace vigil::config {

void to_json(Json& j, const AddressSpec& a) {
    j = Json{{"address", a.address}};
    switch (a.broadcast) {
        case AddressSpec::Broadcast::none:
            break;
        case AddressSpec::Broadcast::address:
            j["broadcast"] = a.broadcast_address;
            break;
        case AddressSpec::Broadcast::clear_host_bits:
            j["broadcast"] = "-";
            break;
        case AddressSpec::Broadcast::set_host_bits:
            j["broadcast"] = "+";
            break;
    }
    if (!a.dev.empty()) j["dev"] = a.dev;
    if (a.scope) j["scope"] = *a.scope;
    if (!a.label.empty()) j["label"] = a.label;
    if (a.peer) j["peer"] = *a.peer;
    for (const auto& [name, on] : {std::pair{"home", a.home},
                                   {"dad", a.dad},
                                   {"mngtmpaddr", a.mngtmpaddr},
                                   {"noprefixroute", a.noprefixroute},
                                   {"autojoin", a.autojoin},
                                   {"no_track", a.no_track},
                                   {"use_vmac", a.use_vmac}})
        if (on) j[name] = true;
    if (a.preferred_lft) j["preferred_lft"] = *a.preferred_lft;
    if (!a.track_group.empty()) j["track_group"] = a.track_group;
}

namespace {

// A number, or the name still to be resolved from iproute2's files.
Json rt_id_json(const std::optional<RtId>& id) {
    if (!id) return nullptr;
    if (!id->resolved()) return id->name;
    return id->value;
}

Json realms_json(const std::optional<Realms>& r) {
    if (!r) return nullptr;
    return Json{{"from", rt_id_json(r->from)}, {"to", rt_id_json(r->to)}};
}

Json metric_json(const std::optional<RouteMetric>& m) {
    if (!m) return nullptr;
    return Json{{"value", m->value}, {"lock", m->lock}};
}

Json time_metric_json(const std::optional<RouteTimeMetric>& m) {
    if (!m) return nullptr;
    return Json{{"ms", static_cast<double>(m->value.count()) / 1000.0}, {"lock", m->lock}};
}

template <class T>
Json opt(const std::optional<T>& v) {
    if (!v) return nullptr;
    return Json(*v);
}

std::string_view pref_name(RoutePref p) {
    switch (p) {
        case RoutePref::low:
            return "low";
        case RoutePref::medium:
            return "medium";
        case RoutePref::high:
            return "high";
        case RoutePref::number:
            return "number";
    }
    return "number";
}

Json port_range_json(const std::optional<PortRange>& p) {
    if (!p) return nullptr;
    return Json{{"from", p->from}, {"to", p->to}};
}

}  // namespace

void to_json(Json& j, const RouteSpec& r) {
    j = Json::object();
    j["type"] = to_string(r.type);
    j["destination"] = r.destination;
    j["inet6"] = r.inet6;
    j["from"] = opt(r.from);
    j["src"] = opt(r.src);
    j["via"] = opt(r.via);
    j["or"] = opt(r.or_via);
    j["dev"] = r.dev;
    j["table"] = rt_id_json(r.table);
    j["metric"] = opt(r.metric);
    j["scope"] = opt(r.scope);
    j["protocol"] = rt_id_json(r.protocol);
    j["tos"] = opt(r.tos);
    j["realms"] = realms_json(r.realms);
    j["mtu"] = metric_json(r.mtu);
    j["hoplimit"] = metric_json(r.hoplimit);
    j["advmss"] = metric_json(r.advmss);
    j["rtt"] = time_metric_json(r.rtt);
    j["rttvar"] = time_metric_json(r.rttvar);
    j["reordering"] = metric_json(r.reordering);
    j["window"] = metric_json(r.window);
    j["cwnd"] = metric_json(r.cwnd);
    j["ssthresh"] = metric_json(r.ssthresh);
    j["rto_min"] = time_metric_json(r.rto_min);
    j["initcwnd"] = metric_json(r.initcwnd);
    j["initrwnd"] = metric_json(r.initrwnd);
    j["quickack"] = opt(r.quickack);
    j["fastopen_no_cookie"] = opt(r.fastopen_no_cookie);
    j["congctl"] = r.congctl;
    j["congctl_lock"] = r.congctl_lock;
    j["features_ecn"] = r.features_ecn;
    if (r.pref)
        j["pref"] = *r.pref == RoutePref::number ? Json(r.pref_value) : Json(pref_name(*r.pref));
    else
        j["pref"] = nullptr;
    j["expires"] = opt(r.expires);
    if (r.encap) {
        const auto& e = *r.encap;
        Json enc;
        enc["type"] = e.kind == RouteEncap::Kind::mpls ? "mpls"
                      : e.kind == RouteEncap::Kind::ip ? "ip"
                                                       : "ip6";
        if (e.kind == RouteEncap::Kind::mpls) {
            enc["labels"] = e.labels;
        } else {
            enc["id"] = opt(e.id);
            enc["dst"] = opt(e.dst);
            enc["src"] = opt(e.src);
            enc["tos"] = opt(e.tos);
            enc["key"] = e.key;
            enc["csum"] = e.csum;
            enc["seq"] = e.seq;
        }
        enc["ttl"] = opt(e.ttl);
        j["encap"] = enc;
    } else {
        j["encap"] = nullptr;
    }
    j["ttl_propagate"] = opt(r.ttl_propagate);
    Json nhs = Json::array();
    for (const auto& nh : r.nexthops)
        nhs.push_back(Json{{"via", opt(nh.via)},
                           {"dev", nh.dev},
                           {"weight", opt(nh.weight)},
                           {"onlink", nh.onlink},
                           {"realms", realms_json(nh.realms)}});
    j["nexthops"] = nhs;
    j["onlink"] = r.onlink;
    j["vrf"] = r.vrf;
    j["append"] = r.append;
    j["no_track"] = r.no_track;
    j["track_group"] = r.track_group;
}

void to_json(Json& j, const RuleSpec& r) {
    j = Json::object();
    j["inet6"] = r.inet6;
    j["not"] = r.invert;
    j["from"] = r.from ? Json(*r.from) : Json("all");
    j["to"] = r.to ? Json(*r.to) : Json("all");
    j["action"] = to_string(r.action);
    j["table"] = rt_id_json(r.table);
    j["goto"] = opt(r.goto_target);
    j["preference"] = opt(r.preference);
    j["iif"] = r.iif;
    j["oif"] = r.oif;
    j["tos"] = opt(r.tos);
    j["fwmark"] = opt(r.fwmark);
    j["fwmask"] = opt(r.fwmask);
    j["realms"] = realms_json(r.realms);
    j["suppress_prefixlength"] = opt(r.suppress_prefixlength);
    j["suppress_ifgroup"] = rt_id_json(r.suppress_ifgroup);
    if (r.uidrange)
        j["uidrange"] = Json{{"from", r.uidrange->first}, {"to", r.uidrange->second}};
    else
        j["uidrange"] = nullptr;
    j["protocol"] = rt_id_json(r.protocol);
    j["ip_proto"] = opt(r.ip_proto);
    j["tunnel_id"] = opt(r.tunnel_id);
    j["sport"] = port_range_json(r.sport);
    j["dport"] = port_range_json(r.dport);
    j["no_track"] = r.no_track;
    j["track_group"] = r.track_group;
}

void to_json(Json& j, const ScriptSpec& s) {
    j = Json{{"argv", s.argv}};
    if (!s.user.empty()) j["user"] = s.user;
    if (!s.group.empty()) j["group"] = s.group;
}

void to_json(Json& j, const FifoSpec& f) {
    j = Json{{"path", f.path}};
    if (!f.user.empty()) j["user"] = f.user;
    if (!f.group.empty()) j["group"] = f.group;
}

}  // namespace vigil::config
