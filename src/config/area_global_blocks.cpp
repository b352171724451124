// The global area's blocks other than global_defs: linkbeat_interfaces,
// interface_up_down_delays, track_group, static_ipaddress/static_routes/static_rules and
// bfd_instance; and the resolution of the global area.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "config/areas.h"

namespace vigil::config {

namespace {

constexpr std::uint32_t rtprot_keepalived = 18;
constexpr std::size_t bfd_name_max = 31;  // BFD_INAME_MAX - 1

void linkbeat_interfaces(const Args& a, Model& m) {
    a.count(0, 0, "linkbeat_interfaces {");
    for_each_item(a, [&](const Args& item) {
        if (!item.count(1, 2, "<INTERFACE> [MII|ETHTOOL|IOCTL]")) return;
        LinkbeatInterface li;
        li.loc = item.loc(0);
        li.interface = item.text(0);
        if (item.has(1)) {
            const auto t = item.choice<LinkbeatType>(1, {{"MII", LinkbeatType::mii},
                                                         {"ETHTOOL", LinkbeatType::ethtool},
                                                         {"IOCTL", LinkbeatType::ioctl}});
            if (!t) return;
            li.type = *t;
        }
        m.globals.linkbeat_interfaces.push_back(std::move(li));
    });
}

void interface_up_down_delays(const Args& a, Model& m) {
    a.count(0, 0, "interface_up_down_delays {");
    const Micros max = std::chrono::seconds(255);
    for_each_item(a, [&](const Args& item) {
        if (!item.count(2, 3, "<INTERFACE> <DOWN_DELAY> [<UP_DELAY>]")) return;
        InterfaceDelay d;
        d.loc = item.loc(0);
        d.interface = item.text(0);
        const auto down = item.seconds(1, Micros(0), max);
        if (!down) return;
        // keepalived.conf(5) says an omitted up delay is the down delay; keepalived 2.2.7 makes
        // it 0 (measured), which is what vigil runs.
        d.down_delay = *down;
        if (item.has(2)) {
            const auto up = item.seconds(2, Micros(0), max);
            if (!up) return;
            d.up_delay = *up;
        }
        m.globals.interface_up_down_delays.push_back(std::move(d));
    });
}

const KeywordTable<TrackGroup>& track_group_table() {
    static const KeywordTable<TrackGroup> table = [] {
        KeywordTable<TrackGroup> k;
        k.add("group", BlockUse::required, [](const Args& g, TrackGroup& t) {
            g.count(0, 0, "group {");
            for_each_item(g, [&](const Args& item) {
                for (std::size_t i = 0; i < item.size(); ++i)
                    t.group.push_back(TrackGroupMember{item.loc(i), item.text(i)});
            });
        });
        return k;
    }();
    return table;
}

void track_group(const Args& a, Model& m) {
    if (!a.count(1, 1, "track_group <NAME> {")) return;
    TrackGroup tg;
    tg.loc = a.loc(0);
    tg.name = a.text(0);
    track_group_table().apply(a.node().children, tg, a.diags(), "track_group");
    m.globals.track_groups.push_back(std::move(tg));
}

const KeywordTable<BfdInstance>& bfd_table() {
    static const KeywordTable<BfdInstance> t = [] {
        KeywordTable<BfdInstance> k;
        const Micros ms_max = std::chrono::milliseconds(4294967);
        k.add("neighbor_ip", kw::address(&BfdInstance::neighbor_ip))
            .alias("neighbour_ip", "neighbor_ip")
            .add("source_ip", kw::address(&BfdInstance::source_ip))
            .add("min_rx",
                 [ms_max](const Args& a, BfdInstance& b) {
                     if (!a.count(1, 1, "min_rx <MILLISECONDS>")) return;
                     if (auto v = a.millis(0, std::chrono::milliseconds(1), ms_max)) b.min_rx = *v;
                 })
            .add("min_tx",
                 [ms_max](const Args& a, BfdInstance& b) {
                     if (!a.count(1, 1, "min_tx <MILLISECONDS>")) return;
                     if (auto v = a.millis(0, std::chrono::milliseconds(1), ms_max)) b.min_tx = *v;
                 })
            .add("idle_tx",
                 [ms_max](const Args& a, BfdInstance& b) {
                     if (!a.count(1, 1, "idle_tx <MILLISECONDS>")) return;
                     if (auto v = a.millis(0, std::chrono::milliseconds(1000), ms_max))
                         b.idle_tx = *v;
                 })
            .add("multiplier", kw::integer(&BfdInstance::multiplier, 1, 255))
            .add("passive", kw::flag(&BfdInstance::passive))
            .add("ttl", kw::integer(&BfdInstance::ttl, 1, 255))
            .add("hoplimit", kw::integer(&BfdInstance::hoplimit, 1, 255))
            .add("max_hops", kw::integer(&BfdInstance::max_hops, 0, 255))
            .add("weight",
                 [](const Args& a, BfdInstance& b) {
                     if (!a.count(1, 2, "weight <-253..253> [reverse]")) return;
                     const auto w = a.integer(0, -253, 253);
                     if (!w) return;
                     bool reverse = false;
                     if (a.has(1)) {
                         if (!a.choice<bool>(1, {{"reverse", true}})) return;
                         reverse = true;
                     }
                     b.weight = BfdWeight{static_cast<int>(*w), reverse};
                 })
            .add("vrrp", kw::flag(&BfdInstance::vrrp))
            .add("checker", kw::flag(&BfdInstance::checker));
        return k;
    }();
    return t;
}

void bfd_instance(const Args& a, Model& m) {
    if (!a.count(1, 1, "bfd_instance <NAME> {")) return;
    BfdInstance b;
    b.loc = a.loc(0);
    b.name = a.text(0);
    if (b.name.size() > bfd_name_max) {
        a.error(0, fmt::format("bfd_instance name longer than {} characters", bfd_name_max));
        return;
    }
    bfd_table().apply(a.node().children, b, a.diags(), "bfd_instance");
    m.globals.bfd_instances.push_back(std::move(b));
}

template <class T>
void check_track_group(const T& spec, const std::set<std::string, std::less<>>& groups,
                       Diagnostics& diags) {
    if (!spec.track_group.empty() && !groups.contains(spec.track_group))
        diags.error(spec.loc, fmt::format("track_group '{}' is not defined", spec.track_group));
}

void resolve_bfd(GlobalAreaModel& g, Diagnostics& diags) {
    std::map<std::string, const BfdInstance*, std::less<>> names;
    std::map<IpAddress, const BfdInstance*> neighbors;
    for (auto& b : g.bfd_instances) {
        if (auto [it, fresh] = names.emplace(b.name, &b); !fresh) {
            diags.error(b.loc, fmt::format("bfd_instance '{}' is already defined", b.name));
            continue;
        }
        if (!b.neighbor_ip) {
            diags.error(b.loc, fmt::format("bfd_instance '{}' has no neighbor_ip", b.name));
            continue;
        }
        if (b.source_ip && b.source_ip->family() != b.neighbor_ip->family())
            diags.error(b.loc, fmt::format("bfd_instance '{}': source_ip and neighbor_ip are of "
                                           "different address families",
                                           b.name));
        if (auto [it, fresh] = neighbors.emplace(*b.neighbor_ip, &b); !fresh)
            diags.error(b.loc, fmt::format("bfd_instance '{}' has the same neighbor_ip {} as "
                                           "bfd_instance '{}'",
                                           b.name, b.neighbor_ip->to_string(), it->second->name));
        // Received packets cannot have lost more hops than we allow them to travel.
        const unsigned limit = b.neighbor_ip->is_v4() ? b.ttl : b.hoplimit;
        if (b.max_hops > limit && b.max_hops != 255) {
            diags.warning(
                b.loc, fmt::format("bfd_instance '{}': max_hops {} exceeds the {} {}; "
                                   "using {}",
                                   b.name, b.max_hops, b.neighbor_ip->is_v4() ? "ttl" : "hoplimit",
                                   limit, limit));
            b.max_hops = limit;
        }
    }
}

}  // namespace

void register_global_blocks(KeywordTable<Model>& top) {
    top.add("linkbeat_interfaces", BlockUse::required, linkbeat_interfaces);
    top.add("interface_up_down_delays", BlockUse::required, interface_up_down_delays);
    top.add("track_group", BlockUse::required, track_group);
    top.add("static_ipaddress", BlockUse::required, [](const Args& a, Model& m) {
        a.count(0, 0, "static_ipaddress {");
        for_each_item(a, [&](const Args& item) {
            if (auto spec = parse_address_spec(item)) m.globals.static_addresses.push_back(*spec);
        });
    });
    top.add("static_routes", BlockUse::required, [](const Args& a, Model& m) {
        a.count(0, 0, "static_routes {");
        for_each_item(a, [&](const Args& item) {
            if (auto spec = parse_route_spec(item)) m.globals.static_routes.push_back(*spec);
        });
    });
    top.add("static_rules", BlockUse::required, [](const Args& a, Model& m) {
        a.count(0, 0, "static_rules {");
        for_each_item(a, [&](const Args& item) {
            if (auto spec = parse_rule_spec(item)) m.globals.static_rules.push_back(*spec);
        });
    });
    top.add("bfd_instance", BlockUse::required, bfd_instance);
    top.unsupported({"track_group"},
                    "static addresses, routes and rules stay whatever the states of the "
                    "instances of their track_group")
        .unsupported({"bfd_instance"}, "BFD is not implemented");
}

void catalogue_global_blocks(KeywordCatalogue& c) {
    catalogue(c, "track_group", track_group_table());
    catalogue(c, "bfd_instance", bfd_table());
}

void resolve_global_area(Model& m, Diagnostics& diags, const BuildEnv& env) {
    GlobalAreaModel& g = m.globals;
    GlobalDefs& d = g.defs;

    // Defaults that depend on the host or on other keywords.
    if (d.router_id.empty()) d.router_id = env.host_name;
    if (d.notification_email_from.empty())
        d.notification_email_from = "keepalived@" + env.host_name;
    if (d.smtp_helo_name.empty()) d.smtp_helo_name = env.host_name;
    if (!d.vrrp_garp_lower_prio_delay) d.vrrp_garp_lower_prio_delay = d.vrrp_garp_master_delay;
    if (!d.vrrp_garp_lower_prio_repeat) d.vrrp_garp_lower_prio_repeat = d.vrrp_garp_master_repeat;
    if (!d.vmac_addr_prefix) d.vmac_addr_prefix = d.vmac_prefix;
    if (!d.vrrp_lower_prio_no_advert) d.vrrp_lower_prio_no_advert = d.vrrp_strict;
    if (!d.vrrp_higher_prio_send_advert) d.vrrp_higher_prio_send_advert = false;

    // A later entry for the same interface replaces the earlier one.
    std::set<std::string, std::less<>> seen;
    for (auto it = g.linkbeat_interfaces.rbegin(); it != g.linkbeat_interfaces.rend(); ++it)
        if (!seen.insert(it->interface).second)
            diags.warning(it->loc, fmt::format("linkbeat interface '{}' is listed again later; "
                                               "this entry is ignored",
                                               it->interface));
    seen.clear();
    for (auto it = g.interface_up_down_delays.rbegin(); it != g.interface_up_down_delays.rend();
         ++it)
        if (!seen.insert(it->interface).second)
            diags.warning(it->loc, fmt::format("up/down delays for '{}' are given again later; "
                                               "this entry is ignored",
                                               it->interface));

    std::set<std::string, std::less<>> groups;
    for (const auto& tg : g.track_groups) {
        if (!groups.insert(tg.name).second)
            diags.error(tg.loc, fmt::format("track_group '{}' is already defined", tg.name));
        if (tg.group.empty())
            diags.warning(tg.loc, fmt::format("track_group '{}' has no vrrp instances", tg.name));
    }
    for (const auto& s : g.static_addresses) check_track_group(s, groups, diags);
    for (auto& r : g.static_routes) {
        check_track_group(r, groups, diags);
        if (r.no_track) continue;
        // keepalived watches static routes through netlink; it can only match a route it
        // can find by interface, and it identifies its own routes by their protocol.
        if (r.dev.empty()) {
            diags.warning(r.loc, fmt::format("cannot track route {} with no interface (dev); it "
                                             "is not tracked",
                                             r.destination.to_string()));
            r.no_track = true;
        } else if (r.protocol &&
                   (!r.protocol->resolved() || r.protocol->value != rtprot_keepalived)) {
            diags.warning(r.loc,
                          "a tracked route must have protocol keepalived (18); protocol "
                          "reset to keepalived");
            r.protocol = RtId{rtprot_keepalived, {}};
        }
    }
    for (const auto& r : g.static_rules) {
        check_track_group(r, groups, diags);
        if (!r.track_group.empty() && r.iif.empty())
            diags.warning(r.loc, "a static rule with track_group needs iif (dev) to be tracked");
    }
    resolve_bfd(g, diags);
}

}  // namespace vigil::config
