// global_defs and the other global blocks: linkbeat_interfaces, interface_up_down_delays,
// track_group, static_ipaddress/static_routes/static_rules, bfd_instance.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "config/model_ip.h"
#include "config/model_script.h"

namespace vigil::config {

using Micros = std::chrono::microseconds;

// lvs_sync_daemon <INTERFACE> [[inst] <VRRP_INSTANCE>] [id <SYNC_ID>] [maxlen <LEN>]
//                 [port <PORT>] [ttl <TTL>] [group <IP ADDR>]
struct LvsSyncDaemon {
    SourceLoc loc;
    std::string interface;
    std::string instance;                 // empty: both master and backup daemons always run
    SourceLoc instance_loc;               // for the lead's cross-area check of the instance name
    std::optional<std::uint8_t> syncid;   // unset: the VRID of the instance, or 0
    std::optional<std::uint16_t> maxlen;  // 1..65507; unset: kernel default
    std::uint16_t port = 8848;
    std::optional<std::uint8_t> ttl;              // 1..255; unset: kernel default
    IpAddress group = IpAddress::v4(0xE0000051);  // 224.0.0.81
};

// lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS]; unset leaves the kernel value alone.
struct LvsTimeouts {
    std::optional<Micros> tcp;
    std::optional<Micros> tcpfin;
    std::optional<Micros> udp;
};

enum class LvsFlushOnStop : std::uint8_t { disabled, full, vs };

// vrrp_garp_extra_if [all] <SECS>
struct GarpExtraIf {
    Micros interval{0};
    bool all = false;  // false: only VMAC interfaces
};

// nftables [TABLENAME] / nftables_ipvs [TABLENAME]: present means enabled.
struct NftablesSpec {
    std::string table = "keepalived";
};

// vrrp_iptables [IN_CHAIN [OUT_CHAIN]]
struct IptablesSpec {
    std::string in_chain = "INPUT";
    std::string out_chain;  // empty: no outbound filtering
};

// vrrp_ipsets [ADDR [ADDR6 [ADDR_IF6 [IGMP [MLD]]]]]; omitted names are derived.
struct IpsetsSpec {
    bool enabled = false;  // "vrrp_ipsets" without names disables ipsets
    std::string address;
    std::string address6;
    std::string address_iface6;
    std::string igmp;
    std::string mld;
};

// A netlink / process-monitor socket receive buffer: BYTES and the _force flag.
struct RcvBufs {
    std::optional<std::uint32_t> size;  // unset: system default
    bool force = false;                 // SO_RCVBUFFORCE, may exceed rmem_max
};

enum class RxBufsPolicy : std::uint8_t { system_default, mtu, advert, size };

struct ScriptUser {
    SourceLoc loc;
    std::string user;
    std::string group;  // empty: the user's group
};

struct SmtpServer {
    SourceLoc loc;
    std::string host;                  // as written: an address or a domain name
    std::optional<IpAddress> address;  // set when host is a literal address
    std::uint16_t port = 25;
};

// reload_check_config [LOG_FILE]
struct ReloadCheckConfig {
    bool enabled = false;
    std::string log_file;
};

// include_check [OPTIONS]: the reader applies it; the options are kept as written.
struct IncludeCheck {
    bool set = false;
    std::vector<std::string> options;  // empty with set: all checks
};

// Per child process (vrrp, checker, bfd) scheduling settings.
struct ProcessSchedule {
    std::string process_name;     // empty: not renamed (process_names sets defaults)
    std::optional<int> priority;  // nice value -20..19
    bool no_swap = false;
    std::vector<unsigned> cpu_affinity;
    std::optional<int> rt_priority;  // 1..99
    Micros rlimit_rttime{10000};
};

struct GlobalDefs {
    SourceLoc loc;

    // Namespaces and instances (accepted at the top level and inside global_defs).
    std::string net_namespace;
    std::optional<std::string> net_namespace_ipvs;  // "" = the default namespace
    bool namespace_with_ipsets = false;
    std::string instance;
    bool use_pid_dir = false;
    bool linkbeat_use_polling = false;
    Micros child_wait_time = std::chrono::seconds{5};

    std::string tmp_config_directory;
    std::string config_save_dir;

    bool process_names = false;
    std::string process_name;  // the parent process
    ProcessSchedule vrrp;
    ProcessSchedule checker;
    ProcessSchedule bfd;

    std::optional<ScriptSpec> startup_script;
    Micros startup_script_timeout = std::chrono::seconds{10};
    std::optional<ScriptSpec> shutdown_script;
    Micros shutdown_script_timeout = std::chrono::seconds{10};

    // Email.
    std::vector<std::string> notification_email;
    std::string notification_email_from;  // default keepalived@<host name>
    std::optional<SmtpServer> smtp_server;
    std::string smtp_helo_name;  // default: host name
    Micros smtp_connect_timeout = std::chrono::seconds{30};
    std::optional<bool> smtp_alert;  // unset: alerts are sent when smtp_server is set
    std::optional<bool> smtp_alert_vrrp;
    std::optional<bool> smtp_alert_checker;
    bool checker_log_all_failures = false;
    bool no_email_faults = false;
    bool no_checker_emails = false;

    std::string router_id;  // default: host name

    // VRRP defaults.
    IpAddress vrrp_mcast_group4 = IpAddress::v4(0xE0000012);  // 224.0.0.18
    IpAddress vrrp_mcast_group6 = *IpAddress::parse("ff02::12");
    std::string default_interface = "eth0";
    Micros vrrp_garp_master_delay = std::chrono::seconds{5};
    unsigned vrrp_garp_master_repeat = 5;
    std::optional<Micros> vrrp_garp_lower_prio_delay;     // resolved: vrrp_garp_master_delay
    std::optional<unsigned> vrrp_garp_lower_prio_repeat;  // resolved: vrrp_garp_master_repeat
    Micros vrrp_garp_master_refresh{0};
    unsigned vrrp_garp_master_refresh_repeat = 1;
    Micros vrrp_garp_interval{0};
    Micros vrrp_gna_interval{0};
    bool vrrp_min_garp = false;
    std::optional<GarpExtraIf> vrrp_garp_extra_if;
    unsigned vrrp_down_timer_adverts = 3;
    std::optional<bool> vrrp_lower_prio_no_advert;  // unset: false, or true with vrrp_strict
    std::optional<bool> vrrp_higher_prio_send_advert;
    unsigned vrrp_version = 2;
    bool vrrp_check_unicast_src = false;
    bool vrrp_skip_check_adv_addr = false;
    bool vrrp_strict = false;
    bool vrrp_notify_priority_changes = false;
    Micros vrrp_startup_delay{0};
    bool log_unknown_vrids = false;
    std::string vmac_prefix = "vrrp";
    std::optional<std::string> vmac_addr_prefix;  // resolved: vmac_prefix
    bool disable_local_igmp = false;

    // Firewall.
    std::optional<NftablesSpec> nftables;
    int nftables_priority = -1;
    bool nftables_counters = false;
    bool nftables_ifindex = false;
    std::optional<NftablesSpec> nftables_ipvs;
    int nftables_ipvs_priority = -1;
    std::uint32_t nftables_ipvs_start_fwmark = 1000;
    std::optional<IptablesSpec> vrrp_iptables;
    std::optional<IpsetsSpec> vrrp_ipsets;

    // LVS.
    std::optional<LvsSyncDaemon> lvs_sync_daemon;
    std::optional<LvsTimeouts> lvs_timeouts;
    bool lvs_flush = false;
    LvsFlushOnStop lvs_flush_on_stop = LvsFlushOnStop::disabled;
    bool rs_init_notifies = false;

    // Scheduling.
    int max_auto_priority = 0;  // 0: no automatic increases; -1: also no startup warning
    Micros min_auto_priority_delay = std::chrono::seconds{1};

    // SNMP and DBus.
    std::string snmp_socket;  // empty: unix:/var/agentx/master
    bool enable_snmp_vrrp = false;
    bool enable_snmp_checker = false;
    bool enable_snmp_rfcv2 = false;
    bool enable_snmp_rfcv3 = false;
    bool enable_traps = false;
    bool enable_dbus = false;
    std::string dbus_service_name = "org.keepalived.Vrrp1";

    // Scripts and FIFOs.
    std::optional<ScriptUser> script_user;
    bool enable_script_security = false;
    std::optional<FifoSpec> notify_fifo;
    std::optional<ScriptSpec> notify_fifo_script;
    std::optional<FifoSpec> vrrp_notify_fifo;
    std::optional<ScriptSpec> vrrp_notify_fifo_script;
    std::optional<FifoSpec> lvs_notify_fifo;
    std::optional<ScriptSpec> lvs_notify_fifo_script;
    bool fifo_write_vrrp_states_on_reload = false;

    bool dynamic_interfaces = false;
    bool dynamic_interfaces_allow_if_changes = false;

    // Socket buffers.
    RcvBufs vrrp_netlink_cmd;
    RcvBufs vrrp_netlink_monitor;
    RcvBufs lvs_netlink_cmd;
    RcvBufs lvs_netlink_monitor;
    RcvBufs process_monitor;
    RxBufsPolicy vrrp_rx_bufs_policy = RxBufsPolicy::system_default;
    std::uint32_t vrrp_rx_bufs_size = 0;  // with RxBufsPolicy::size
    std::uint32_t vrrp_rx_bufs_multiplier = 3;

    std::uint32_t umask = 0022;  // IWGRP | IWOTH
    bool umask_set = false;
    std::optional<std::uint32_t> random_seed;

    // Reloading.
    ReloadCheckConfig reload_check_config;
    IncludeCheck include_check;
    std::string reload_time_file;
    bool reload_repeat = false;
    std::optional<std::string> reload_file;  // "": keepalived.reload in the PID directory
    bool data_use_instance = false;
};

// linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] }
enum class LinkbeatType : std::uint8_t { default_type, mii, ethtool, ioctl };
struct LinkbeatInterface {
    SourceLoc loc;
    std::string interface;
    LinkbeatType type = LinkbeatType::default_type;  // MII, else ETHTOOL, else ioctl
};

// interface_up_down_delays { IF down_delay [up_delay] }
struct InterfaceDelay {
    SourceLoc loc;
    std::string interface;
    Micros down_delay{0};
    Micros up_delay{0};  // 0 when not given (keepalived 2.2.7; its man page says down_delay)
};

// track_group NAME { group { VI_1 VI_2 } }
struct TrackGroupMember {
    SourceLoc loc;
    std::string instance;
};
struct TrackGroup {
    SourceLoc loc;
    std::string name;
    std::vector<TrackGroupMember> group;
};

struct BfdWeight {
    int weight = 0;  // -253..253
    bool reverse = false;
};

struct BfdInstance {
    SourceLoc loc;
    std::string name;
    std::optional<IpAddress> neighbor_ip;
    std::optional<IpAddress> source_ip;
    Micros min_rx = std::chrono::milliseconds{10};
    Micros min_tx = std::chrono::milliseconds{10};
    Micros idle_tx = std::chrono::milliseconds{1000};
    unsigned multiplier = 5;
    bool passive = false;
    unsigned ttl = 255;
    unsigned hoplimit = 64;
    unsigned max_hops = 0;
    BfdWeight weight;
    bool vrrp = false;  // both false: notify both processes
    bool checker = false;
};

struct GlobalAreaModel {
    GlobalDefs defs;
    std::vector<LinkbeatInterface> linkbeat_interfaces;
    std::vector<InterfaceDelay> interface_up_down_delays;
    std::vector<TrackGroup> track_groups;
    std::vector<AddressSpec> static_addresses;
    std::vector<RouteSpec> static_routes;
    std::vector<RuleSpec> static_rules;
    std::vector<BfdInstance> bfd_instances;
};

}  // namespace vigil::config
