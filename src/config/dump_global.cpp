// JSON dump of the global area. Keys are named like the keepalived keywords; every field
// is dumped, unset optionals as null, so that a dump shows the effective configuration.
#include "config/dump_json.h"

namespace vigil::config {

namespace {

Json loc_json(const SourceLoc& l) {
    return Json{{"line", l.line}, {"col", l.col}};
}

template <class T>
Json opt(const std::optional<T>& v) {
    if (!v) return nullptr;
    return Json(*v);
}

Json schedule_json(const ProcessSchedule& s) {
    return Json{{"process_name", s.process_name},
                {"priority", opt(s.priority)},
                {"no_swap", s.no_swap},
                {"cpu_affinity", s.cpu_affinity},
                {"rt_priority", opt(s.rt_priority)},
                {"rlimit_rttime_usecs", s.rlimit_rttime.count()}};
}

Json rcvbufs_json(const RcvBufs& b) {
    return Json{{"rcv_bufs", opt(b.size)}, {"rcv_bufs_force", b.force}};
}

template <class T>
Json opt_obj(const std::optional<T>& v) {
    if (!v) return nullptr;
    Json j;
    to_json(j, *v);
    return j;
}

std::string_view to_string(LvsFlushOnStop f) {
    switch (f) {
        case LvsFlushOnStop::disabled:
            return "disabled";
        case LvsFlushOnStop::full:
            return "full";
        case LvsFlushOnStop::vs:
            return "VS";
    }
    return "disabled";
}

std::string_view to_string(RxBufsPolicy p) {
    switch (p) {
        case RxBufsPolicy::system_default:
            return "default";
        case RxBufsPolicy::mtu:
            return "MTU";
        case RxBufsPolicy::advert:
            return "ADVERT";
        case RxBufsPolicy::size:
            return "size";
    }
    return "default";
}

std::string_view to_string(LinkbeatType t) {
    switch (t) {
        case LinkbeatType::default_type:
            return "default";
        case LinkbeatType::mii:
            return "MII";
        case LinkbeatType::ethtool:
            return "ETHTOOL";
        case LinkbeatType::ioctl:
            return "IOCTL";
    }
    return "default";
}

Json global_defs_json(const GlobalDefs& d) {
    Json j;
    j["net_namespace"] = d.net_namespace;
    j["net_namespace_ipvs"] = opt(d.net_namespace_ipvs);
    j["namespace_with_ipsets"] = d.namespace_with_ipsets;
    j["instance"] = d.instance;
    j["use_pid_dir"] = d.use_pid_dir;
    j["linkbeat_use_polling"] = d.linkbeat_use_polling;
    j["child_wait_time"] = d.child_wait_time;
    j["tmp_config_directory"] = d.tmp_config_directory;
    j["config_save_dir"] = d.config_save_dir;
    j["process_names"] = d.process_names;
    j["process_name"] = d.process_name;
    j["vrrp_process"] = schedule_json(d.vrrp);
    j["checker_process"] = schedule_json(d.checker);
    j["bfd_process"] = schedule_json(d.bfd);
    j["startup_script"] = opt_obj(d.startup_script);
    j["startup_script_timeout"] = d.startup_script_timeout;
    j["shutdown_script"] = opt_obj(d.shutdown_script);
    j["shutdown_script_timeout"] = d.shutdown_script_timeout;
    j["notification_email"] = d.notification_email;
    j["notification_email_from"] = d.notification_email_from;
    if (d.smtp_server)
        j["smtp_server"] = Json{{"host", d.smtp_server->host},
                                {"address", opt(d.smtp_server->address)},
                                {"port", d.smtp_server->port}};
    else
        j["smtp_server"] = nullptr;
    j["smtp_helo_name"] = d.smtp_helo_name;
    j["smtp_connect_timeout"] = d.smtp_connect_timeout;
    j["smtp_alert"] = opt(d.smtp_alert);
    j["smtp_alert_vrrp"] = opt(d.smtp_alert_vrrp);
    j["smtp_alert_checker"] = opt(d.smtp_alert_checker);
    j["checker_log_all_failures"] = d.checker_log_all_failures;
    j["no_email_faults"] = d.no_email_faults;
    j["no_checker_emails"] = d.no_checker_emails;
    j["router_id"] = d.router_id;
    j["vrrp_mcast_group4"] = d.vrrp_mcast_group4;
    j["vrrp_mcast_group6"] = d.vrrp_mcast_group6;
    j["default_interface"] = d.default_interface;
    j["vrrp_garp_master_delay"] = d.vrrp_garp_master_delay;
    j["vrrp_garp_master_repeat"] = d.vrrp_garp_master_repeat;
    j["vrrp_garp_lower_prio_delay"] = opt(d.vrrp_garp_lower_prio_delay);
    j["vrrp_garp_lower_prio_repeat"] = opt(d.vrrp_garp_lower_prio_repeat);
    j["vrrp_garp_master_refresh"] = d.vrrp_garp_master_refresh;
    j["vrrp_garp_master_refresh_repeat"] = d.vrrp_garp_master_refresh_repeat;
    j["vrrp_garp_interval"] = d.vrrp_garp_interval;
    j["vrrp_gna_interval"] = d.vrrp_gna_interval;
    j["vrrp_min_garp"] = d.vrrp_min_garp;
    if (d.vrrp_garp_extra_if)
        j["vrrp_garp_extra_if"] =
            Json{{"interval", d.vrrp_garp_extra_if->interval}, {"all", d.vrrp_garp_extra_if->all}};
    else
        j["vrrp_garp_extra_if"] = nullptr;
    j["vrrp_down_timer_adverts"] = d.vrrp_down_timer_adverts;
    j["vrrp_lower_prio_no_advert"] = opt(d.vrrp_lower_prio_no_advert);
    j["vrrp_higher_prio_send_advert"] = opt(d.vrrp_higher_prio_send_advert);
    j["vrrp_version"] = d.vrrp_version;
    j["vrrp_check_unicast_src"] = d.vrrp_check_unicast_src;
    j["vrrp_skip_check_adv_addr"] = d.vrrp_skip_check_adv_addr;
    j["vrrp_strict"] = d.vrrp_strict;
    j["vrrp_notify_priority_changes"] = d.vrrp_notify_priority_changes;
    j["vrrp_startup_delay"] = d.vrrp_startup_delay;
    j["log_unknown_vrids"] = d.log_unknown_vrids;
    j["vmac_prefix"] = d.vmac_prefix;
    j["vmac_addr_prefix"] = opt(d.vmac_addr_prefix);
    j["disable_local_igmp"] = d.disable_local_igmp;
    j["nftables"] = d.nftables ? Json(d.nftables->table) : Json(nullptr);
    j["nftables_priority"] = d.nftables_priority;
    j["nftables_counters"] = d.nftables_counters;
    j["nftables_ifindex"] = d.nftables_ifindex;
    j["nftables_ipvs"] = d.nftables_ipvs ? Json(d.nftables_ipvs->table) : Json(nullptr);
    j["nftables_ipvs_priority"] = d.nftables_ipvs_priority;
    j["nftables_ipvs_start_fwmark"] = d.nftables_ipvs_start_fwmark;
    if (d.vrrp_iptables)
        j["vrrp_iptables"] = Json{{"in_chain", d.vrrp_iptables->in_chain},
                                  {"out_chain", d.vrrp_iptables->out_chain}};
    else
        j["vrrp_iptables"] = nullptr;
    if (d.vrrp_ipsets)
        j["vrrp_ipsets"] = Json{{"enabled", d.vrrp_ipsets->enabled},
                                {"address", d.vrrp_ipsets->address},
                                {"address6", d.vrrp_ipsets->address6},
                                {"address_iface6", d.vrrp_ipsets->address_iface6},
                                {"igmp", d.vrrp_ipsets->igmp},
                                {"mld", d.vrrp_ipsets->mld}};
    else
        j["vrrp_ipsets"] = nullptr;
    if (d.lvs_sync_daemon) {
        const auto& s = *d.lvs_sync_daemon;
        j["lvs_sync_daemon"] =
            Json{{"interface", s.interface}, {"inst", s.instance}, {"id", opt(s.syncid)},
                 {"maxlen", opt(s.maxlen)},  {"port", s.port},     {"ttl", opt(s.ttl)},
                 {"group", s.group}};
    } else {
        j["lvs_sync_daemon"] = nullptr;
    }
    if (d.lvs_timeouts)
        j["lvs_timeouts"] = Json{{"tcp", opt(d.lvs_timeouts->tcp)},
                                 {"tcpfin", opt(d.lvs_timeouts->tcpfin)},
                                 {"udp", opt(d.lvs_timeouts->udp)}};
    else
        j["lvs_timeouts"] = nullptr;
    j["lvs_flush"] = d.lvs_flush;
    j["lvs_flush_on_stop"] = to_string(d.lvs_flush_on_stop);
    j["rs_init_notifies"] = d.rs_init_notifies;
    j["max_auto_priority"] = d.max_auto_priority;
    j["min_auto_priority_delay_usecs"] = d.min_auto_priority_delay.count();
    j["snmp_socket"] = d.snmp_socket;
    j["enable_snmp_vrrp"] = d.enable_snmp_vrrp;
    j["enable_snmp_checker"] = d.enable_snmp_checker;
    j["enable_snmp_rfcv2"] = d.enable_snmp_rfcv2;
    j["enable_snmp_rfcv3"] = d.enable_snmp_rfcv3;
    j["enable_traps"] = d.enable_traps;
    j["enable_dbus"] = d.enable_dbus;
    j["dbus_service_name"] = d.dbus_service_name;
    if (d.script_user)
        j["script_user"] = Json{{"user", d.script_user->user}, {"group", d.script_user->group}};
    else
        j["script_user"] = nullptr;
    j["enable_script_security"] = d.enable_script_security;
    j["notify_fifo"] = opt_obj(d.notify_fifo);
    j["notify_fifo_script"] = opt_obj(d.notify_fifo_script);
    j["vrrp_notify_fifo"] = opt_obj(d.vrrp_notify_fifo);
    j["vrrp_notify_fifo_script"] = opt_obj(d.vrrp_notify_fifo_script);
    j["lvs_notify_fifo"] = opt_obj(d.lvs_notify_fifo);
    j["lvs_notify_fifo_script"] = opt_obj(d.lvs_notify_fifo_script);
    j["fifo_write_vrrp_states_on_reload"] = d.fifo_write_vrrp_states_on_reload;
    j["dynamic_interfaces"] = d.dynamic_interfaces;
    j["dynamic_interfaces_allow_if_changes"] = d.dynamic_interfaces_allow_if_changes;
    j["vrrp_netlink_cmd"] = rcvbufs_json(d.vrrp_netlink_cmd);
    j["vrrp_netlink_monitor"] = rcvbufs_json(d.vrrp_netlink_monitor);
    j["lvs_netlink_cmd"] = rcvbufs_json(d.lvs_netlink_cmd);
    j["lvs_netlink_monitor"] = rcvbufs_json(d.lvs_netlink_monitor);
    j["process_monitor"] = rcvbufs_json(d.process_monitor);
    j["vrrp_rx_bufs_policy"] = to_string(d.vrrp_rx_bufs_policy);
    j["vrrp_rx_bufs_size"] = d.vrrp_rx_bufs_size;
    j["vrrp_rx_bufs_multiplier"] = d.vrrp_rx_bufs_multiplier;
    j["umask"] = d.umask;
    j["umask_set"] = d.umask_set;
    j["random_seed"] = opt(d.random_seed);
    j["reload_check_config"] = Json{{"enabled", d.reload_check_config.enabled},
                                    {"log_file", d.reload_check_config.log_file}};
    j["include_check"] = d.include_check.set ? Json(d.include_check.options) : Json(nullptr);
    j["reload_time_file"] = d.reload_time_file;
    j["reload_repeat"] = d.reload_repeat;
    j["reload_file"] = opt(d.reload_file);
    j["data_use_instance"] = d.data_use_instance;
    return j;
}

Json bfd_json(const BfdInstance& b) {
    return Json{{"name", b.name},
                {"loc", loc_json(b.loc)},
                {"neighbor_ip", opt(b.neighbor_ip)},
                {"source_ip", opt(b.source_ip)},
                {"min_rx_ms", static_cast<double>(b.min_rx.count()) / 1000.0},
                {"min_tx_ms", static_cast<double>(b.min_tx.count()) / 1000.0},
                {"idle_tx_ms", static_cast<double>(b.idle_tx.count()) / 1000.0},
                {"multiplier", b.multiplier},
                {"passive", b.passive},
                {"ttl", b.ttl},
                {"hoplimit", b.hoplimit},
                {"max_hops", b.max_hops},
                {"weight", b.weight.weight},
                {"reverse", b.weight.reverse},
                {"vrrp", b.vrrp},
                {"checker", b.checker}};
}

}  // namespace

Json dump_global_area(const Model& m) {
    const GlobalAreaModel& g = m.globals;
    Json j;
    j["global_defs"] = global_defs_json(g.defs);
    Json lb = Json::array();
    for (const auto& l : g.linkbeat_interfaces)
        lb.push_back(Json{{"interface", l.interface}, {"type", to_string(l.type)}});
    j["linkbeat_interfaces"] = lb;
    Json delays = Json::array();
    for (const auto& d : g.interface_up_down_delays)
        delays.push_back(Json{
            {"interface", d.interface}, {"down_delay", d.down_delay}, {"up_delay", d.up_delay}});
    j["interface_up_down_delays"] = delays;
    Json groups = Json::array();
    for (const auto& t : g.track_groups) {
        Json members = Json::array();
        for (const auto& mbr : t.group) members.push_back(mbr.instance);
        groups.push_back(Json{{"name", t.name}, {"loc", loc_json(t.loc)}, {"group", members}});
    }
    j["track_group"] = groups;
    j["static_ipaddress"] = g.static_addresses;
    j["static_routes"] = g.static_routes;
    j["static_rules"] = g.static_rules;
    Json bfds = Json::array();
    for (const auto& b : g.bfd_instances) bfds.push_back(bfd_json(b));
    j["bfd_instance"] = bfds;
    return j;
}

}  // namespace vigil::config
