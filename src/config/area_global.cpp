// Keyword table of global_defs, and the registration of the global area's top-level blocks
// (the other blocks are in area_global_blocks.cpp).
#include <fmt/format.h>

#include "config/areas.h"

namespace vigil::config {

// area_global_blocks.cpp
void register_global_blocks(KeywordTable<Model>& top);
void catalogue_global_blocks(KeywordCatalogue& c);

namespace {

using G = GlobalDefs;

// Applies a handler of a part of GlobalDefs (vrrp/checker/bfd scheduling, socket buffers).
template <class M>
Handler<G> member(M G::*m, Handler<M> h) {
    return [m, h = std::move(h)](const Args& a, G& g) { h(a, g.*m); };
}

// A keyword without arguments. keepalived ignores extra words after such keywords, so
// they are a warning here, not an error.
template <class T>
Handler<T> flag(bool T::*m) {
    return [m](const Args& a, T& t) {
        if (a.size() > 0)
            a.warning(0, fmt::format("'{}' takes no argument; '{}' ignored", a.node().keyword.text,
                                     a.text(0)));
        t.*m = true;
    };
}

// keyword <INTEGER seconds in [min, max]> into a Micros field: these keywords take whole
// seconds in keepalived.
Handler<G> whole_seconds(Micros G::*m, std::int64_t min, std::int64_t max) {
    return [m, min, max](const Args& a, G& g) {
        if (!a.count(1, 1, a.node().keyword.text + " <SECONDS>")) return;
        if (auto v = a.integer(0, min, max)) g.*m = std::chrono::seconds(*v);
    };
}

Handler<G> opt_whole_seconds(std::optional<Micros> G::*m, std::int64_t min, std::int64_t max) {
    return [m, min, max](const Args& a, G& g) {
        if (!a.count(1, 1, a.node().keyword.text + " <SECONDS>")) return;
        if (auto v = a.integer(0, min, max)) g.*m = Micros(std::chrono::seconds(*v));
    };
}

Handler<G> script(std::optional<ScriptSpec> G::*m) {
    return [m](const Args& a, G& g) {
        if (auto s = parse_script_spec(a)) g.*m = std::move(*s);
    };
}

Handler<G> fifo(std::optional<FifoSpec> G::*m) {
    return [m](const Args& a, G& g) {
        if (auto f = parse_fifo_spec(a)) g.*m = std::move(*f);
    };
}

Handler<G> multicast_group(IpAddress G::*m, Family family) {
    return [m, family](const Args& a, G& g) {
        if (!a.count(1, 1, a.node().keyword.text + " <MULTICAST ADDRESS>")) return;
        const auto v = a.address(0);
        if (!v) return;
        if (v->family() != family) {
            a.error(0, fmt::format("expected an {} multicast address, got '{}'",
                                   family == Family::inet ? "IPv4" : "IPv6", a.text(0)));
        } else if (!v->is_multicast()) {
            a.error(0, fmt::format("'{}' is not a multicast address", a.text(0)));
        } else {
            g.*m = *v;
        }
    };
}

// vrrp_cpu_affinity <INTEGER> [<INTEGER>]... Whether each CPU exists is checked at run time.
Handler<ProcessSchedule> cpu_affinity() {
    return [](const Args& a, ProcessSchedule& s) {
        if (!a.count(1, 1024, a.node().keyword.text + " <CPU> [<CPU>]...")) return;
        std::vector<unsigned> cpus;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const auto v = a.integer(i, 0, 1023);
            if (!v) return;
            cpus.push_back(static_cast<unsigned>(*v));
        }
        s.cpu_affinity = std::move(cpus);
    };
}

Handler<ProcessSchedule> rlimit_rttime() {
    return [](const Args& a, ProcessSchedule& s) {
        if (!a.count(1, 1, a.node().keyword.text + " <MICROSECONDS>")) return;
        if (auto v = a.integer(0, 1, 0xFFFFFFFF)) s.rlimit_rttime = Micros(*v);
    };
}

void lvs_sync_daemon(const Args& a, G& g) {
    const std::string usage =
        "lvs_sync_daemon <INTERFACE> [[inst] <VRRP_INSTANCE>] [id <SYNC_ID>] [maxlen <LEN>] "
        "[port <PORT>] [ttl <TTL>] [group <IP ADDR>]";
    if (!a.count(1, 14, usage)) return;
    if (g.lvs_sync_daemon) {
        a.error(0, "lvs_sync_daemon is already specified");
        return;
    }
    LvsSyncDaemon d;
    d.loc = a.node().keyword.loc;
    d.interface = a.text(0);
    const auto is_option = [](const std::string& w) {
        return w == "id" || w == "maxlen" || w == "port" || w == "ttl" || w == "group" ||
               w == "inst";
    };
    std::size_t i = 1;
    // The instance may be given without "inst", for compatibility with older versions.
    if (a.has(i) && !is_option(a.text(i))) {
        d.instance = a.text(i);
        d.instance_loc = a.loc(i);
        ++i;
        if (a.has(i) && !a.text(i).empty() && a.text(i)[0] >= '0' && a.text(i)[0] <= '9') {
            a.error(i, "expected 'id' before the sync id");
            return;
        }
    }
    for (; i < a.size(); ++i) {
        const std::string& w = a.text(i);
        if (!is_option(w)) {
            a.error(i, fmt::format("unknown lvs_sync_daemon option '{}'; expected inst, id, "
                                   "maxlen, port, ttl or group",
                                   w));
            return;
        }
        if (!a.has(i + 1)) {
            a.error(i + 1, fmt::format("missing value after '{}'", w));
            return;
        }
        ++i;
        if (w == "inst") {
            if (!d.instance.empty()) {
                a.error(i, "the VRRP instance is already given");
                return;
            }
            d.instance = a.text(i);
            d.instance_loc = a.loc(i);
        } else if (w == "id") {
            const auto v = a.integer(i, 0, 255);
            if (!v) return;
            d.syncid = static_cast<std::uint8_t>(*v);
        } else if (w == "maxlen") {
            const auto v = a.integer(i, 1, 65507);
            if (!v) return;
            d.maxlen = static_cast<std::uint16_t>(*v);
        } else if (w == "port") {
            const auto v = a.port(i);
            if (!v) return;
            d.port = *v;
        } else if (w == "ttl") {
            const auto v = a.integer(i, 1, 255);
            if (!v) return;
            d.ttl = static_cast<std::uint8_t>(*v);
        } else {
            const auto v = a.address(i);
            if (!v) return;
            if (!v->is_multicast()) {
                a.error(i, fmt::format("lvs_sync_daemon group '{}' is not a multicast address",
                                       a.text(i)));
                return;
            }
            d.group = *v;
        }
    }
    g.lvs_sync_daemon = std::move(d);
}

void lvs_timeouts(const Args& a, G& g) {
    if (a.size() == 0) {
        a.error(0, "missing argument; expected 'lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS]'");
        return;
    }
    LvsTimeouts t = g.lvs_timeouts.value_or(LvsTimeouts{});
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string& w = a.text(i);
        std::optional<Micros>* field = nullptr;
        if (w == "tcp")
            field = &t.tcp;
        else if (w == "tcpfin")
            field = &t.tcpfin;
        else if (w == "udp")
            field = &t.udp;
        if (field == nullptr) {
            a.error(
                i, fmt::format("unknown lvs_timeouts option '{}'; expected tcp, tcpfin or udp", w));
            return;
        }
        // 31 days: the longest timeout the IPVS code accepts.
        const auto v = a.integer(++i, 0, 2678400);
        if (!v) return;
        *field = std::chrono::seconds(*v);
    }
    g.lvs_timeouts = t;
}

void smtp_server(const Args& a, G& g) {
    if (!a.count(1, 2, "smtp_server <IP ADDRESS|DOMAIN NAME> [<PORT>]")) return;
    SmtpServer s;
    s.loc = a.loc(0);
    s.host = a.text(0);
    s.address = IpAddress::parse(s.host);
    if (!s.address) {
        // Not an address: a domain name, resolved when mail is sent.
        bool ok = !s.host.empty() && s.host.size() <= 253;
        for (const char c : s.host)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.'))
                ok = false;
        if (!ok) {
            a.error(0, fmt::format("expected an IP address or a domain name, got '{}'", s.host));
            return;
        }
    }
    if (a.has(1)) {
        const auto p = a.port(1);
        if (!p) return;
        s.port = *p;
    }
    g.smtp_server = std::move(s);
}

void umask_handler(const Args& a, G& g) {
    if (a.size() == 0) {
        a.error(0, "missing argument; expected a number or bits such as IWGRP|IWOTH");
        return;
    }
    std::string text;
    for (std::size_t i = 0; i < a.size(); ++i) text += a.text(i);
    if (text[0] >= '0' && text[0] <= '9') {
        if (!a.count(1, 1, "umask <NUMBER|BITS>")) return;
        if (auto v = a.unsigned_any_base(0, 0777)) {
            g.umask = static_cast<std::uint32_t>(*v);
            g.umask_set = true;
        }
        return;
    }
    // BITS: I{R|W|X}{USR|GRP|OTH} joined by '|', possibly with spaces around the '|'.
    std::uint32_t mask = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto bar = text.find('|', start);
        const std::string bit =
            text.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
        const auto known = [&]() -> std::optional<std::uint32_t> {
            if (bit.size() != 5 || bit[0] != 'I') return std::nullopt;
            std::uint32_t perm = 0;
            if (bit[1] == 'R')
                perm = 4;
            else if (bit[1] == 'W')
                perm = 2;
            else if (bit[1] == 'X')
                perm = 1;
            else
                return std::nullopt;
            const std::string who = bit.substr(2);
            if (who == "USR") return perm << 6;
            if (who == "GRP") return perm << 3;
            if (who == "OTH") return perm;
            return std::nullopt;
        }();
        if (!known) {
            a.error(0, fmt::format("unknown umask bit '{}'; expected I{{R|W|X}}{{USR|GRP|OTH}}, "
                                   "e.g. IWGRP|IWOTH",
                                   bit));
            return;
        }
        mask |= *known;
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    g.umask = mask;
    g.umask_set = true;
}

void vrrp_ipsets(const Args& a, G& g) {
    if (!a.count(0, 5, "vrrp_ipsets [ADDR [ADDR6 [ADDR_IF6 [IGMP [MLD]]]]]")) return;
    IpsetsSpec s;
    if (a.size() == 0) {
        g.vrrp_ipsets = s;  // no names: ipsets are not used
        return;
    }
    s.enabled = true;
    s.address = a.text(0);
    s.address6 = a.has(1) ? a.text(1) : s.address + "6";
    if (a.has(2)) {
        s.address_iface6 = a.text(2);
    } else {
        std::string base = s.address6;
        if (!base.empty() && base.back() == '6') base.pop_back();
        s.address_iface6 = base + "_if6";
    }
    s.igmp = a.has(3) ? a.text(3) : s.address + "_igmp";
    s.mld = a.has(4) ? a.text(4) : s.address + "_mld";
    // Names longer than an ipset name (IPSET_MAXNAMELEN 32) cannot be created.
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a.text(i).size() > 31) {
            a.error(i, "ipset name longer than 31 characters");
            return;
        }
    g.vrrp_ipsets = std::move(s);
}

void vrrp_rx_bufs_policy(const Args& a, G& g) {
    if (!a.count(1, 1, "vrrp_rx_bufs_policy MTU|ADVERT|<NUMBER>")) return;
    std::string w = a.text(0);
    for (auto& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (w == "MTU") {
        g.vrrp_rx_bufs_policy = RxBufsPolicy::mtu;
    } else if (w == "ADVERT") {
        g.vrrp_rx_bufs_policy = RxBufsPolicy::advert;
    } else if (!w.empty() && w[0] >= '0' && w[0] <= '9') {
        if (auto v = a.integer(0, 0, 0xFFFFFFFF)) {
            g.vrrp_rx_bufs_policy = RxBufsPolicy::size;
            g.vrrp_rx_bufs_size = static_cast<std::uint32_t>(*v);
        }
    } else {
        a.error(0, fmt::format("expected MTU, ADVERT or a size in bytes, got '{}'", a.text(0)));
    }
}

void nftables_table(const Args& a, std::optional<NftablesSpec>& out) {
    if (a.size() > 1)
        a.warning(1, fmt::format("'{}' takes at most one table name; '{}' ignored",
                                 a.node().keyword.text, a.text(1)));
    NftablesSpec s;
    if (a.has(0)) s.table = a.text(0);
    if (s.table.empty()) {
        a.error(0, "expected a table name, got an empty string");
        return;
    }
    out = std::move(s);
}

void garp_extra_if(const Args& a, G& g) {
    if (!a.count(1, 2, a.node().keyword.text + " [all] <SECONDS>")) return;
    GarpExtraIf x;
    std::size_t i = 0;
    if (a.size() == 2) {
        if (a.text(0) != "all") {
            a.error(0, fmt::format("expected 'all', got '{}'", a.text(0)));
            return;
        }
        x.all = true;
        i = 1;
    }
    // At most one day, as keepalived allows.
    const auto v = a.integer(i, 1, 86400);
    if (!v) return;
    x.interval = std::chrono::seconds(*v);
    g.vrrp_garp_extra_if = x;
}

void add_process_keywords(KeywordTable<G>& k, const std::string& prefix,
                          ProcessSchedule G::*sched) {
    k.add(prefix + "_process_name", member(sched, kw::string(&ProcessSchedule::process_name)))
        .add(prefix + "_priority", member(sched, kw::integer(&ProcessSchedule::priority, -20, 19)))
        .add(prefix + "_no_swap", member(sched, flag(&ProcessSchedule::no_swap)))
        .add(prefix + "_cpu_affinity", member(sched, cpu_affinity()))
        .add(prefix + "_rt_priority",
             member(sched, kw::integer(&ProcessSchedule::rt_priority, 1, 99)))
        .add(prefix + "_rlimit_rttime", member(sched, rlimit_rttime()))
        // keepalived also accepts the older spelling without the second 't'.
        .alias(prefix + "_rlimit_rtime", prefix + "_rlimit_rttime");
}

void add_rcvbufs_keywords(KeywordTable<G>& k, const std::string& prefix, RcvBufs G::*bufs) {
    k.add(prefix + "_rcv_bufs", member(bufs, kw::integer(&RcvBufs::size, 0, 0xFFFFFFFF)))
        .add(prefix + "_rcv_bufs_force", member(bufs, kw::boolean(&RcvBufs::force)));
}

// Keywords the man page lists before global_defs: keepalived reads them at the top level;
// vigil also accepts them inside global_defs.
void add_namespace_keywords(KeywordTable<G>& k) {
    k.add("net_namespace", kw::string(&G::net_namespace))
        .add("net_namespace_ipvs",
             [](const Args& a, G& g) {
                 if (!a.count(0, 1, "net_namespace_ipvs [NAME]")) return;
                 g.net_namespace_ipvs = a.has(0) ? a.text(0) : std::string();
             })
        .add("namespace_with_ipsets", flag(&G::namespace_with_ipsets))
        .add("instance", kw::string(&G::instance))
        .add("use_pid_dir", flag(&G::use_pid_dir))
        .add("linkbeat_use_polling", flag(&G::linkbeat_use_polling))
        .add("child_wait_time", whole_seconds(&G::child_wait_time, 0, 4294967));
}

template <class T>
void mark_namespace_keywords(KeywordTable<T>& k) {
    k.unsupported({"net_namespace", "net_namespace_ipvs", "namespace_with_ipsets"},
                  "start vigild with -s NAME to run it in a network namespace")
        .unsupported({"instance", "use_pid_dir"},
                     "the names of the pid and data files do not depend on an instance name");
}

// global_defs keywords that vigil reads (their syntax is checked) but does not act on.
void mark_unsupported_globals(KeywordTable<G>& k) {
    k.unsupported({"tmp_config_directory", "config_save_dir", "data_use_instance"},
                  "vigil keeps no copies of the configuration and names its data files itself")
        .unsupported({"process_names", "process_name", "vrrp_process_name", "checker_process_name",
                      "bfd_process_name"},
                     "the processes are named vigild, vigild_vrrp and vigild_check")
        .unsupported({"vrrp_priority", "vrrp_no_swap", "vrrp_cpu_affinity", "vrrp_rt_priority",
                      "vrrp_rlimit_rttime", "checker_priority", "checker_no_swap",
                      "checker_cpu_affinity", "checker_rt_priority", "checker_rlimit_rttime",
                      "bfd_priority", "bfd_no_swap", "bfd_cpu_affinity", "bfd_rt_priority",
                      "bfd_rlimit_rttime", "max_auto_priority", "min_auto_priority_delay"},
                     "the processes keep the scheduling, CPU affinity and memory they start with")
        .unsupported({"checker_log_all_failures", "no_email_faults", "no_checker_emails",
                      "rs_init_notifies"},
                     "this alert option is not implemented")
        .unsupported({"default_interface"},
                     "give each vrrp_instance and static address its interface")
        .unsupported({"vrrp_garp_extra_if"},
                     "gratuitous ARPs go on the instances' own interfaces only")
        .unsupported({"vrrp_vmac_garp_intvl", "vmac_prefix", "vmac_addr_prefix"},
                     "VMAC interfaces (use_vmac) are not implemented")
        .unsupported({"log_unknown_vrids"}, "adverts for unknown VRIDs are counted, not logged")
        .unsupported({"disable_local_igmp"}, "IGMP and MLD are left as the kernel has them")
        .unsupported({"nftables", "nftables_priority", "nftables_counters", "nftables_ifindex",
                      "nftables_ipvs", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark",
                      "vrrp_iptables", "vrrp_ipsets"},
                     "vigil installs no firewall rules: traffic to the virtual addresses is not "
                     "filtered")
        .unsupported({"vrrp_strict"},
                     "its checks of the configuration apply, but no firewall rules are installed "
                     "and received adverts are checked as without it")
        .unsupported({"snmp_socket", "enable_snmp_vrrp", "enable_snmp_checker", "enable_snmp_rfc",
                      "enable_snmp_rfcv2", "enable_snmp_rfcv3", "enable_traps"},
                     "SNMP is not implemented")
        .unsupported({"enable_dbus", "dbus_service_name"}, "DBus is not implemented")
        .unsupported({"fifo_write_vrrp_states_on_reload"},
                     "the states are not written to the FIFO again on a reload")
        .unsupported({"vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
                      "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force",
                      "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_cmd_rcv_bufs_force",
                      "lvs_netlink_monitor_rcv_bufs", "lvs_netlink_monitor_rcv_bufs_force",
                      "process_monitor_rcv_bufs", "process_monitor_rcv_bufs_force",
                      "vrrp_rx_bufs_policy", "vrrp_rx_bufs_multiplier"},
                     "vigil sizes its socket buffers itself")
        .unsupported({"reload_check_config", "reload_time_file", "reload_repeat", "reload_file"},
                     "reloads happen on SIGHUP only; a configuration with errors is always "
                     "refused and the running one kept");
}

const KeywordTable<GlobalDefs>& global_defs_table() {
    static const KeywordTable<G> t = [] {
        KeywordTable<G> k;
        add_namespace_keywords(k);
        k.add("tmp_config_directory", kw::string(&G::tmp_config_directory))
            .add("config_save_dir", kw::string(&G::config_save_dir))
            .add("process_names", flag(&G::process_names))
            .add("process_name", kw::string(&G::process_name));
        add_process_keywords(k, "vrrp", &G::vrrp);
        add_process_keywords(k, "checker", &G::checker);
        add_process_keywords(k, "bfd", &G::bfd);
        k.alias("lvs_process_name", "checker_process_name");

        k.add("startup_script", script(&G::startup_script))
            .add("startup_script_timeout", whole_seconds(&G::startup_script_timeout, 1, 1000))
            .add("shutdown_script", script(&G::shutdown_script))
            .add("shutdown_script_timeout", whole_seconds(&G::shutdown_script_timeout, 1, 1000));

        k.add("notification_email", BlockUse::required,
              [](const Args& a, G& g) {
                  a.count(0, 0, "notification_email {");
                  for_each_item(a, [&](const Args& item) {
                      for (std::size_t i = 0; i < item.size(); ++i)
                          g.notification_email.push_back(item.text(i));
                  });
              })
            .add("notification_email_from", kw::string(&G::notification_email_from))
            .add("smtp_server", smtp_server)
            .add("smtp_helo_name", kw::string(&G::smtp_helo_name))
            .add("smtp_connect_timeout", whole_seconds(&G::smtp_connect_timeout, 1, 4294))
            .add("smtp_alert", kw::boolean(&G::smtp_alert))
            .add("smtp_alert_vrrp", kw::boolean(&G::smtp_alert_vrrp))
            .add("smtp_alert_checker", kw::boolean(&G::smtp_alert_checker))
            .add("checker_log_all_failures", kw::boolean(&G::checker_log_all_failures))
            .add("no_email_faults", flag(&G::no_email_faults))
            .add("no_checker_emails", flag(&G::no_checker_emails))
            .add("router_id", kw::string(&G::router_id));

        k.add("vrrp_mcast_group4", multicast_group(&G::vrrp_mcast_group4, Family::inet))
            .add("vrrp_mcast_group6", multicast_group(&G::vrrp_mcast_group6, Family::inet6))
            .add("default_interface", kw::string(&G::default_interface))
            .add("vrrp_garp_master_delay", whole_seconds(&G::vrrp_garp_master_delay, 0, 4294))
            .add("vrrp_garp_master_repeat", kw::integer(&G::vrrp_garp_master_repeat, 1, 0x7FFFFFFF))
            .add("vrrp_garp_lower_prio_delay",
                 opt_whole_seconds(&G::vrrp_garp_lower_prio_delay, 0, 4294))
            .add("vrrp_garp_lower_prio_repeat",
                 kw::integer(&G::vrrp_garp_lower_prio_repeat, 0, 0x7FFFFFFF))
            .add("vrrp_garp_master_refresh",
                 whole_seconds(&G::vrrp_garp_master_refresh, 0, 0x7FFFFFFF / 1000))
            .add("vrrp_garp_master_refresh_repeat",
                 kw::integer(&G::vrrp_garp_master_refresh_repeat, 1, 0x7FFFFFFF))
            .add("vrrp_garp_interval",
                 kw::seconds(&G::vrrp_garp_interval, Micros(0), Micros(4294967295)))
            .add("vrrp_gna_interval",
                 kw::seconds(&G::vrrp_gna_interval, Micros(0), Micros(4294967295)))
            .add("vrrp_min_garp",
                 [](const Args& a, G& g) {
                     kw::boolean (&G::vrrp_min_garp)(a, g);
                     if (!g.vrrp_min_garp) return;
                     // keepalived 2.2.7: one gratuitous ARP/NA, no second burst, no refresh;
                     // only settings still at their defaults change (later lines win).
                     const G defaults;
                     if (g.vrrp_garp_master_repeat == defaults.vrrp_garp_master_repeat)
                         g.vrrp_garp_master_repeat = 1;
                     if (g.vrrp_garp_master_delay == defaults.vrrp_garp_master_delay)
                         g.vrrp_garp_master_delay = Micros{0};
                     g.vrrp_garp_master_refresh = Micros{0};
                 })
            .add("vrrp_garp_extra_if", garp_extra_if)
            .add("vrrp_down_timer_adverts", kw::integer(&G::vrrp_down_timer_adverts, 1, 100))
            .add("vrrp_lower_prio_no_advert", kw::boolean(&G::vrrp_lower_prio_no_advert))
            .add("vrrp_higher_prio_send_advert", kw::boolean(&G::vrrp_higher_prio_send_advert))
            .add("vrrp_version", kw::integer(&G::vrrp_version, 2, 3))
            .add("vrrp_check_unicast_src", flag(&G::vrrp_check_unicast_src))
            .add("vrrp_skip_check_adv_addr", flag(&G::vrrp_skip_check_adv_addr))
            .add("vrrp_strict", flag(&G::vrrp_strict))
            .add("vrrp_notify_priority_changes", kw::boolean(&G::vrrp_notify_priority_changes))
            .add("vrrp_startup_delay",
                 kw::seconds(&G::vrrp_startup_delay, Micros(1000), Micros(4294967295)))
            .add("log_unknown_vrids", flag(&G::log_unknown_vrids))
            .add("vmac_prefix", kw::string(&G::vmac_prefix))
            .add("vmac_addr_prefix", kw::string(&G::vmac_addr_prefix))
            .add("disable_local_igmp", flag(&G::disable_local_igmp));
        // The old name of vrrp_garp_extra_if; keepalived warns that it is deprecated.
        k.add("vrrp_vmac_garp_intvl", [](const Args& a, G& g) {
            a.warning(0, "'vrrp_vmac_garp_intvl' is deprecated; use 'vrrp_garp_extra_if'");
            garp_extra_if(a, g);
        });

        k.add("nftables", [](const Args& a, G& g) { nftables_table(a, g.nftables); })
            .add("nftables_priority", kw::integer(&G::nftables_priority, INT32_MIN, INT32_MAX))
            .add("nftables_counters", flag(&G::nftables_counters))
            .add("nftables_ifindex", flag(&G::nftables_ifindex))
            .add("nftables_ipvs", [](const Args& a, G& g) { nftables_table(a, g.nftables_ipvs); })
            .add("nftables_ipvs_priority",
                 kw::integer(&G::nftables_ipvs_priority, INT32_MIN, INT32_MAX))
            .add("nftables_ipvs_start_fwmark",
                 kw::integer(&G::nftables_ipvs_start_fwmark, 1, 0xFFFFFFFF))
            .add("vrrp_iptables",
                 [](const Args& a, G& g) {
                     if (!a.count(0, 2, "vrrp_iptables [IN_CHAIN [OUT_CHAIN]]")) return;
                     IptablesSpec s;
                     if (a.size() == 0) s.out_chain = "OUTPUT";  // the default chains
                     if (a.has(0)) s.in_chain = a.text(0);
                     if (a.has(1)) s.out_chain = a.text(1);
                     g.vrrp_iptables = std::move(s);
                 })
            .add("vrrp_ipsets", vrrp_ipsets);

        k.add("lvs_sync_daemon", lvs_sync_daemon)
            .add("lvs_timeouts", lvs_timeouts)
            .add("lvs_flush", flag(&G::lvs_flush))
            .add(
                "lvs_flush_on_stop",
                [](const Args& a, G& g) {
                    if (!a.count(0, 1, "lvs_flush_on_stop [VS]")) return;
                    if (!a.has(0)) {
                        g.lvs_flush_on_stop = LvsFlushOnStop::full;
                    } else if (auto v = a.choice<LvsFlushOnStop>(0, {{"VS", LvsFlushOnStop::vs}})) {
                        g.lvs_flush_on_stop = *v;
                    }
                })
            .alias("lvs_flush_onstop", "lvs_flush_on_stop")
            .add("rs_init_notifies", flag(&G::rs_init_notifies));

        k.add("max_auto_priority", [](const Args& a, G& g) {
             if (!a.count(0, 1, "max_auto_priority [-1..99]")) return;
             if (!a.has(0)) {
                 g.max_auto_priority = 99;  // sched_get_priority_max(SCHED_RR)
             } else if (auto v = a.integer(0, -1, 99)) {
                 g.max_auto_priority = static_cast<int>(*v);
             }
         }).add("min_auto_priority_delay", [](const Args& a, G& g) {
            if (!a.count(1, 1, "min_auto_priority_delay <MICROSECONDS>")) return;
            if (auto v = a.integer(0, 1, 10000000)) g.min_auto_priority_delay = Micros(*v);
        });

        k.add("snmp_socket", kw::string(&G::snmp_socket))
            .add("enable_snmp_vrrp", flag(&G::enable_snmp_vrrp))
            .alias("enable_snmp_keepalived", "enable_snmp_vrrp")
            .add("enable_snmp_checker", flag(&G::enable_snmp_checker))
            .add("enable_snmp_rfc",
                 [](const Args& a, G& g) {
                     flag (&G::enable_snmp_rfcv2)(a, g);
                     g.enable_snmp_rfcv3 = true;
                 })
            .add("enable_snmp_rfcv2", flag(&G::enable_snmp_rfcv2))
            .add("enable_snmp_rfcv3", flag(&G::enable_snmp_rfcv3))
            .add("enable_traps", flag(&G::enable_traps))
            .add("enable_dbus", flag(&G::enable_dbus))
            .add("dbus_service_name", kw::string(&G::dbus_service_name));

        k.add("script_user",
              [](const Args& a, G& g) {
                  if (!a.count(1, 2, "script_user <USERNAME> [GROUPNAME]")) return;
                  g.script_user = ScriptUser{a.loc(0), a.text(0), a.has(1) ? a.text(1) : ""};
              })
            .add("enable_script_security", flag(&G::enable_script_security))
            .add("notify_fifo", fifo(&G::notify_fifo))
            .add("notify_fifo_script", script(&G::notify_fifo_script))
            .add("vrrp_notify_fifo", fifo(&G::vrrp_notify_fifo))
            .add("vrrp_notify_fifo_script", script(&G::vrrp_notify_fifo_script))
            .add("lvs_notify_fifo", fifo(&G::lvs_notify_fifo))
            .add("lvs_notify_fifo_script", script(&G::lvs_notify_fifo_script))
            .add("fifo_write_vrrp_states_on_reload", flag(&G::fifo_write_vrrp_states_on_reload))
            .add("dynamic_interfaces", [](const Args& a, G& g) {
                if (!a.count(0, 1, "dynamic_interfaces [allow_if_changes]")) return;
                if (a.has(0) && !a.choice<bool>(0, {{"allow_if_changes", true}})) return;
                g.dynamic_interfaces = true;
                g.dynamic_interfaces_allow_if_changes = a.has(0);
            });

        add_rcvbufs_keywords(k, "vrrp_netlink_cmd", &G::vrrp_netlink_cmd);
        add_rcvbufs_keywords(k, "vrrp_netlink_monitor", &G::vrrp_netlink_monitor);
        add_rcvbufs_keywords(k, "lvs_netlink_cmd", &G::lvs_netlink_cmd);
        add_rcvbufs_keywords(k, "lvs_netlink_monitor", &G::lvs_netlink_monitor);
        add_rcvbufs_keywords(k, "process_monitor", &G::process_monitor);
        k.add("vrrp_rx_bufs_policy", vrrp_rx_bufs_policy)
            .add("vrrp_rx_bufs_multiplier", kw::integer(&G::vrrp_rx_bufs_multiplier, 1, 0xFFFFFFFF))
            .add("umask", umask_handler)
            .add("random_seed", kw::integer(&G::random_seed, 0, 0xFFFFFFFF));

        k.add("reload_check_config",
              [](const Args& a, G& g) {
                  if (!a.count(0, 1, "reload_check_config [LOG_FILE]")) return;
                  g.reload_check_config = {true, a.has(0) ? a.text(0) : ""};
              })
            .add("include_check",
                 [](const Args& a, G& g) {
                     // The reader has applied and checked the options already.
                     g.include_check.set = true;
                     g.include_check.options.clear();
                     for (std::size_t i = 0; i < a.size(); ++i)
                         g.include_check.options.push_back(a.text(i));
                 })
            .add("reload_time_file", kw::string(&G::reload_time_file))
            .add("reload_repeat", flag(&G::reload_repeat))
            .add("reload_file",
                 [](const Args& a, G& g) {
                     if (!a.count(0, 1, "reload_file [FILE]")) return;
                     g.reload_file = a.has(0) ? a.text(0) : std::string();
                 })
            .add("data_use_instance", kw::boolean(&G::data_use_instance));
        mark_namespace_keywords(k);
        mark_unsupported_globals(k);
        return k;
    }();
    return t;
}

// The namespace keywords at the top level, where keepalived reads them; vigil also accepts
// them inside global_defs. Their status is the top-level table's.
const KeywordTable<G>& namespace_table() {
    static const KeywordTable<G> t = [] {
        KeywordTable<G> k;
        add_namespace_keywords(k);
        return k;
    }();
    return t;
}

}  // namespace

void catalogue_global_area(KeywordCatalogue& c) {
    catalogue(c, "global_defs", global_defs_table());
    catalogue_global_blocks(c);
}

void register_global_area(KeywordTable<Model>& top) {
    top.add("global_defs", BlockUse::required, [](const Args& a, Model& m) {
        a.count(0, 0, "global_defs {");
        if (m.globals.defs.loc.line == 0) m.globals.defs.loc = a.node().keyword.loc;
        global_defs_table().apply(a.node().children, m.globals.defs, a.diags(), "global_defs");
    });
    for (const char* name : {"net_namespace", "net_namespace_ipvs", "namespace_with_ipsets",
                             "instance", "use_pid_dir", "linkbeat_use_polling", "child_wait_time"})
        top.add(name, [](const Args& a, Model& m) {
            namespace_table().apply_one(a.node(), m.globals.defs, a.diags(), "the top level");
        });
    mark_namespace_keywords(top);
    register_global_blocks(top);
}

}  // namespace vigil::config
