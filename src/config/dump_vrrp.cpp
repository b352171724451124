// JSON dump of the VRRP area: every field, keys named like the keepalived keywords.
#include <fmt/format.h>

#include "config/dump_json.h"

namespace vigil::config {

namespace {

Json tracked(const std::vector<TrackedRef>& refs) {
    Json a = Json::array();
    for (const auto& r : refs) {
        Json j{{"name", r.name}, {"weight", r.weight}};
        j["reverse"] = r.reverse;
        a.push_back(std::move(j));
    }
    return a;
}

Json names(const std::vector<NamedRef>& refs) {
    Json a = Json::array();
    for (const auto& r : refs) a.push_back(r.name);
    return a;
}

std::string_view to_string(ParamMatch p) {
    switch (p) {
        case ParamMatch::none:
            return "none";
        case ParamMatch::exact:
            return "exact";
        case ParamMatch::partial:
            return "partial";
        case ParamMatch::initial:
            return "initial";
    }
    return "none";
}

std::string_view to_string(AuthType t) {
    switch (t) {
        case AuthType::none:
            return "none";
        case AuthType::pass:
            return "PASS";
        case AuthType::ah:
            return "AH";
    }
    return "none";
}

std::string_view to_string(OldUnicastChecksum c) {
    switch (c) {
        case OldUnicastChecksum::auto_detect:
            return "auto";
        case OldUnicastChecksum::on:
            return "on";
        case OldUnicastChecksum::never:
            return "never";
    }
    return "auto";
}

std::string_view to_string(IpvlanMode m) {
    switch (m) {
        case IpvlanMode::bridge:
            return "bridge";
        case IpvlanMode::private_:
            return "private";
        case IpvlanMode::vepa:
            return "vepa";
    }
    return "bridge";
}

Json mac_json(const std::optional<std::array<std::uint8_t, 6>>& mac) {
    if (!mac) return nullptr;
    const auto& m = *mac;
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4],
                       m[5]);
}

Json script(const VrrpScript& s) {
    Json j;
    j["name"] = s.name;
    j["script"] = s.script;
    j["interval"] = s.interval;
    j["timeout"] = s.timeout;
    j["weight"] = s.weight;
    j["weight_reverse"] = s.weight_reverse;
    j["rise"] = s.rise;
    j["fall"] = s.fall;
    j["user"] = s.user;
    j["group"] = s.group;
    j["init_fail"] = s.init_fail;
    return j;
}

Json track_file(const TrackFile& f) {
    Json j;
    j["name"] = f.name;
    j["file"] = f.file;
    j["weight"] = f.weight;
    j["weight_reverse"] = f.weight_reverse;
    j["init_file"] = f.init_file;
    j["init_value"] = f.init_value;
    j["init_overwrite"] = f.init_overwrite;
    return j;
}

Json track_process(const TrackProcess& p) {
    Json j;
    j["name"] = p.name;
    j["process"] = p.process;
    j["param_match"] = to_string(p.param_match);
    j["weight"] = p.weight;
    j["weight_reverse"] = p.weight_reverse;
    j["quorum"] = p.quorum;
    j["quorum_max"] = p.quorum_max;
    j["fork_delay"] = p.fork_delay;
    j["terminate_delay"] = p.terminate_delay;
    j["full_command"] = p.full_command;
    return j;
}

Json sync_group(const SyncGroup& g) {
    Json j;
    j["name"] = g.name;
    j["group"] = names(g.members);
    j["track_interface"] = tracked(g.track_interfaces);
    j["track_script"] = tracked(g.track_scripts);
    j["track_file"] = tracked(g.track_files);
    j["track_process"] = tracked(g.track_processes);
    j["track_bfd"] = tracked(g.track_bfds);
    j["notify_master"] = g.notify_master;
    j["notify_backup"] = g.notify_backup;
    j["notify_fault"] = g.notify_fault;
    j["notify_stop"] = g.notify_stop;
    j["notify"] = g.notify;
    j["notify_priority_changes"] = g.notify_priority_changes;
    j["smtp_alert"] = g.smtp_alert;
    j["global_tracking"] = g.global_tracking;
    j["sync_group_tracking_weight"] = g.sync_group_tracking_weight;
    return j;
}

Json garp_group(const GarpGroup& g) {
    Json j;
    j["garp_interval"] = g.garp_interval;
    j["gna_interval"] = g.gna_interval;
    j["interface"] = g.interface;
    j["interfaces"] = names(g.interfaces);
    return j;
}

Json instance(const VrrpInstance& vi) {
    Json j;
    j["name"] = vi.name;
    j["state"] = vi.state == InitialState::master ? "MASTER" : "BACKUP";
    j["interface"] = vi.interface;
    j["vrf"] = vi.vrf;
    j["use_vmac"] = vi.use_vmac;
    j["vmac_name"] = vi.vmac_name;
    j["vmac_mac"] = mac_json(vi.vmac_mac);
    j["use_vmac_addr"] = vi.use_vmac_addr;
    j["vmac_xmit_base"] = vi.vmac_xmit_base;
    j["use_ipvlan"] = vi.use_ipvlan;
    j["ipvlan_name"] = vi.ipvlan_name;
    j["ipvlan_address"] = vi.ipvlan_address;
    j["ipvlan_mode"] = to_string(vi.ipvlan_mode);
    j["native_ipv6"] = vi.native_ipv6;
    j["dont_track_primary"] = vi.dont_track_primary;
    j["track_interface"] = tracked(vi.track_interfaces);
    j["track_script"] = tracked(vi.track_scripts);
    j["track_file"] = tracked(vi.track_files);
    j["track_process"] = tracked(vi.track_processes);
    j["track_bfd"] = tracked(vi.track_bfds);
    j["mcast_src_ip"] = vi.mcast_src_ip;
    j["mcast_dst_ip"] = vi.mcast_dst_ip;
    j["track_src_ip"] = vi.track_src_ip;
    j["version"] = vi.version;
    j["check_unicast_src"] = vi.check_unicast_src;
    Json peers = Json::array();
    for (const auto& p : vi.unicast_peers)
        peers.push_back(
            Json{{"address", p.address}, {"min_ttl", p.min_ttl}, {"max_ttl", p.max_ttl}});
    j["unicast_peer"] = std::move(peers);
    j["unicast_fault_no_peer"] = vi.unicast_fault_no_peer;
    j["unicast_ttl"] = vi.unicast_ttl;
    j["old_unicast_checksum"] = to_string(vi.old_unicast_checksum);
    j["garp_master_delay"] = vi.garp_master_delay;
    j["garp_master_repeat"] = vi.garp_master_repeat;
    j["garp_lower_prio_delay"] = vi.garp_lower_prio_delay;
    j["garp_lower_prio_repeat"] = vi.garp_lower_prio_repeat;
    j["garp_master_refresh"] = vi.garp_master_refresh;
    j["garp_master_refresh_repeat"] = vi.garp_master_refresh_repeat;
    if (vi.garp_extra_if)
        j["garp_extra_if"] =
            Json{{"interval", vi.garp_extra_if->interval}, {"all", vi.garp_extra_if->all}};
    else
        j["garp_extra_if"] = nullptr;
    j["down_timer_adverts"] = vi.down_timer_adverts;
    j["lower_prio_no_advert"] = vi.lower_prio_no_advert;
    j["higher_prio_send_advert"] = vi.higher_prio_send_advert;
    j["virtual_router_id"] = vi.virtual_router_id;
    j["priority"] = vi.priority;
    j["advert_int"] = vi.advert_interval;
    if (vi.authentication)
        j["authentication"] = Json{{"auth_type", to_string(vi.authentication->type)},
                                   {"auth_pass", vi.authentication->password}};
    else
        j["authentication"] = nullptr;
    j["virtual_ipaddress"] = vi.virtual_ipaddresses;
    j["virtual_ipaddress_excluded"] = vi.virtual_ipaddresses_excluded;
    j["promote_secondaries"] = vi.promote_secondaries;
    j["virtual_routes"] = vi.virtual_routes;
    j["virtual_rules"] = vi.virtual_rules;
    j["accept"] = vi.accept;
    j["preempt"] = vi.preempt;
    j["preempt_delay"] = vi.preempt_delay;
    j["skip_check_adv_addr"] = vi.skip_check_adv_addr;
    j["strict_mode"] = vi.strict_mode;
    j["debug"] = vi.debug;
    j["notify_master"] = vi.notify_master;
    j["notify_backup"] = vi.notify_backup;
    j["notify_fault"] = vi.notify_fault;
    j["notify_stop"] = vi.notify_stop;
    j["notify"] = vi.notify;
    j["notify_master_rx_lower_pri"] = vi.notify_master_rx_lower_pri;
    j["notify_deleted"] = vi.notify_deleted;
    j["notify_deleted_script"] = vi.notify_deleted_script;
    j["notify_priority_changes"] = vi.notify_priority_changes;
    j["smtp_alert"] = vi.smtp_alert;
    j["kernel_rx_buf_size"] = vi.kernel_rx_buf_size;
    j["linkbeat_use_polling"] = vi.linkbeat_use_polling;
    j["lvs_sync_daemon_interface"] = vi.lvs_sync_daemon_interface;
    j["family"] = vi.family;
    j["sync_group"] = vi.sync_group;
    return j;
}

template <class T, class F>
Json list(const std::vector<T>& objs, F f) {
    Json a = Json::array();
    for (const auto& o : objs) a.push_back(f(o));
    return a;
}

}  // namespace

Json dump_vrrp_area(const Model& m) {
    Json j;
    j["vrrp_script"] = list(m.vrrp.scripts, script);
    j["track_file"] = list(m.vrrp.track_files, track_file);
    j["vrrp_track_process"] = list(m.vrrp.track_processes, track_process);
    j["vrrp_sync_group"] = list(m.vrrp.sync_groups, sync_group);
    j["garp_group"] = list(m.vrrp.garp_groups, garp_group);
    j["vrrp_instance"] = list(m.vrrp.instances, instance);
    return j;
}

}  // namespace vigil::config
