// VRRP blocks: vrrp_script, track_file, vrrp_track_process, vrrp_sync_group, garp_group,
// vrrp_instance.
//
// Every field holds the value vigil runs with once the model is resolved: keepalived's
// documented default, or what global_defs gives when the block says nothing. What a block
// itself set, where global_defs can supply the value instead (vrrp_garp_*, vrrp_version,
// vrrp_strict, ...), is kept apart in its `own` member, read only by the resolver.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "config/model_global.h"
#include "config/model_ip.h"
#include "config/model_script.h"

namespace vigil::config {

// A name that refers to another object (a vrrp_instance in a sync group's group block...).
struct NamedRef {
    SourceLoc loc;
    std::string name;
};

// One line of a track_interface/track_script/track_file/track_process/track_bfd block:
// NAME [weight N [reverse|noreverse]].
struct TrackedRef {
    SourceLoc loc;
    std::string name;
    // Unset: the tracked object's own weight (track_script/file/process), or 0 (interface,
    // bfd), where 0 means "go to FAULT when down" rather than adjusting the priority.
    std::optional<std::int32_t> weight;
    bool reverse = false;
};

// vrrp_script NAME { ... }
struct VrrpScript {
    SourceLoc loc;
    std::string name;
    std::optional<ScriptSpec> script;  // required
    std::chrono::microseconds interval{std::chrono::seconds(1)};
    // Unset: keepalived uses the interval as the timeout.
    std::optional<std::chrono::microseconds> timeout;
    std::int32_t weight = 0;  // 0: failure puts monitoring instances in FAULT
    bool weight_reverse = false;
    std::int32_t rise = 1;
    std::int32_t fall = 1;
    std::string user;  // empty: global script_user; copied into `script`
    std::string group;
    bool init_fail = false;
};

// track_file NAME { ... } (vrrp_track_file is a deprecated synonym).
struct TrackFile {
    SourceLoc loc;
    std::string name;
    std::string file;  // required
    std::int32_t weight = 1;
    bool weight_reverse = false;
    bool init_file = false;  // write init_value at startup if the file doesn't exist
    std::int32_t init_value = 0;
    bool init_overwrite = false;  // ... even if it exists
};

// How a vrrp_track_process matches the command line parameters.
enum class ParamMatch : std::uint8_t {
    none,     // parameters not compared (no parameters configured, no param_match)
    exact,    // all parameters match exactly
    partial,  // the first n configured parameters match exactly
    initial,  // as exact, but the last parameter may be longer than configured
};

// vrrp_track_process NAME { ... }
struct TrackProcess {
    SourceLoc loc;
    std::string name;
    std::vector<std::string> process;  // process[0] is the command; required
    ParamMatch param_match = ParamMatch::none;
    std::int32_t weight = 0;  // keepalived 2.2.7 (its man page says 1): absent means FAULT
    bool weight_reverse = false;
    std::uint32_t quorum = 1;
    bool quorum_configured = false;           // quorum_max 0 alone means "none may run"
    std::optional<std::uint32_t> quorum_max;  // unset: no maximum
    std::chrono::microseconds fork_delay{0};
    std::chrono::microseconds terminate_delay{0};
    bool full_command = false;
};

// vrrp_sync_group NAME { ... }
struct SyncGroup {
    SourceLoc loc;
    std::string name;
    std::vector<NamedRef> members;  // group { ... }: vrrp_instance names
    std::vector<TrackedRef> track_interfaces;
    std::vector<TrackedRef> track_scripts;
    std::vector<TrackedRef> track_files;
    std::vector<TrackedRef> track_processes;
    std::vector<TrackedRef> track_bfds;  // bfd_instance names, checked after the merge
    std::optional<ScriptSpec> notify_master;
    std::optional<ScriptSpec> notify_backup;
    std::optional<ScriptSpec> notify_fault;
    std::optional<ScriptSpec> notify_stop;
    std::optional<ScriptSpec> notify;
    bool notify_priority_changes = false;  // else global vrrp_notify_priority_changes
    bool smtp_alert = false;               // else global smtp_alert_vrrp, smtp_alert
    bool global_tracking = false;          // deprecated
    bool sync_group_tracking_weight = false;
    struct Own {
        std::optional<bool> notify_priority_changes;
        std::optional<bool> smtp_alert;
    } own;  // as the block set them
};

// garp_group { ... }: rate limits for gratuitous ARP / unsolicited NA per interface(s).
struct GarpGroup {
    SourceLoc loc;
    std::optional<std::chrono::microseconds> garp_interval;
    std::optional<std::chrono::microseconds> gna_interval;
    std::string interface;             // interface NAME
    std::vector<NamedRef> interfaces;  // interfaces { ... }
};

enum class InitialState : std::uint8_t { backup, master };

enum class AuthType : std::uint8_t { none, pass, ah };

struct Authentication {
    SourceLoc loc;
    AuthType type = AuthType::none;
    std::string password;  // at most 8 characters (longer input is truncated, RFC 2338)
};

struct UnicastPeer {
    SourceLoc loc;
    IpAddress address;
    std::optional<std::uint8_t> min_ttl;
    std::optional<std::uint8_t> max_ttl;
};

enum class OldUnicastChecksum : std::uint8_t { auto_detect, on, never };

enum class IpvlanMode : std::uint8_t { bridge, private_, vepa };

// Where some instance settings were written, for diagnostics raised when resolving.
struct VrrpInstanceLocs {
    SourceLoc state;
    SourceLoc interface;
    SourceLoc vrf;
    SourceLoc vmac_xmit_base;
    SourceLoc mcast_src_ip;
    SourceLoc mcast_dst_ip;
    SourceLoc version;
    SourceLoc unicast_ttl;
    SourceLoc lower_prio_no_advert;
    SourceLoc higher_prio_send_advert;
    SourceLoc priority;
    SourceLoc advert_int;
    SourceLoc accept;
    SourceLoc nopreempt;
    SourceLoc preempt_delay;
    SourceLoc strict_mode;
};

// vrrp_instance NAME { ... }
struct VrrpInstance {
    SourceLoc loc;
    std::string name;
    VrrpInstanceLocs locs;

    InitialState state = InitialState::backup;
    std::string interface;  // empty only with unicast peers
    std::string vrf;

    bool use_vmac = false;
    std::string vmac_name;  // empty: vrrp.VRID
    // A 5-octet MAC is completed with the VRID as the last octet when resolved.
    std::optional<std::array<std::uint8_t, 6>> vmac_mac;
    bool vmac_mac_from_vrid = false;  // configured with 5 octets
    bool use_vmac_addr = false;
    bool vmac_xmit_base = false;

    bool use_ipvlan = false;
    std::string ipvlan_name;
    std::optional<IpPrefix> ipvlan_address;
    IpvlanMode ipvlan_mode = IpvlanMode::bridge;

    bool native_ipv6 = false;
    bool dont_track_primary = false;

    std::vector<TrackedRef> track_interfaces;
    std::vector<TrackedRef> track_scripts;
    std::vector<TrackedRef> track_files;
    std::vector<TrackedRef> track_processes;
    std::vector<TrackedRef> track_bfds;  // bfd_instance names, checked after the merge

    std::optional<IpAddress> mcast_src_ip;  // also unicast_src_ip
    // The multicast group adverts go to: mcast_dst_ip, else the global vrrp_mcast_group4/6
    // (224.0.0.18 / ff02::12).
    IpAddress mcast_dst_ip;
    bool track_src_ip = false;

    std::uint8_t version = 2;  // else global vrrp_version; IPv6 forces 3

    bool check_unicast_src = false;
    std::vector<UnicastPeer> unicast_peers;
    bool unicast_fault_no_peer = false;
    std::uint8_t unicast_ttl = 255;  // the TTL of unicast adverts (multicast: always 255)
    OldUnicastChecksum old_unicast_checksum = OldUnicastChecksum::auto_detect;

    // Else the global vrrp_garp_* values.
    std::chrono::microseconds garp_master_delay{std::chrono::seconds(5)};
    std::uint32_t garp_master_repeat = 5;
    std::chrono::microseconds garp_lower_prio_delay{std::chrono::seconds(5)};
    std::uint32_t garp_lower_prio_repeat = 5;
    std::chrono::microseconds garp_master_refresh{0};  // 0: no refresh
    std::uint32_t garp_master_refresh_repeat = 1;
    std::optional<GarpExtraIf> garp_extra_if;  // unset: none

    std::uint8_t down_timer_adverts = 3;   // else vrrp_down_timer_adverts
    bool lower_prio_no_advert = false;     // else vrrp_lower_prio_no_advert (strict: on)
    bool higher_prio_send_advert = false;  // else vrrp_higher_prio_send_advert

    std::uint8_t virtual_router_id = 0;  // required, 1-255; 0 only while unset
    // 100, or 255 (address owner) when unset and state MASTER.
    std::uint8_t priority = 100;
    bool priority_configured = false;
    std::chrono::microseconds advert_interval{std::chrono::seconds(1)};
    std::optional<Authentication> authentication;

    std::vector<AddressSpec> virtual_ipaddresses;
    std::vector<AddressSpec> virtual_ipaddresses_excluded;
    bool promote_secondaries = false;
    std::vector<RouteSpec> virtual_routes;
    std::vector<RuleSpec> virtual_rules;

    // Unset: accept unless strict mode (RFC 5798 6.1 Accept_Mode).
    std::optional<bool> accept;
    bool preempt = true;  // nopreempt clears it
    std::chrono::microseconds preempt_delay{0};
    bool skip_check_adv_addr = false;  // else vrrp_skip_check_adv_addr
    bool strict_mode = false;          // else vrrp_strict
    std::uint8_t debug = 0;

    std::optional<ScriptSpec> notify_master;
    std::optional<ScriptSpec> notify_backup;
    std::optional<ScriptSpec> notify_fault;
    std::optional<ScriptSpec> notify_stop;
    std::optional<ScriptSpec> notify;
    std::optional<ScriptSpec> notify_master_rx_lower_pri;
    bool notify_deleted = false;  // send DELETED rather than FAULT when removed by reload
    std::optional<ScriptSpec> notify_deleted_script;
    bool notify_priority_changes = false;  // else vrrp_notify_priority_changes
    bool smtp_alert = false;               // else global smtp_alert_vrrp, smtp_alert

    std::optional<std::uint64_t> kernel_rx_buf_size;  // unset: vrrp_rx_bufs_policy
    bool linkbeat_use_polling = false;                // deprecated
    std::string lvs_sync_daemon_interface;            // deprecated; see global lvs_sync_daemon

    // What the block itself set of the settings global_defs can supply.
    struct Own {
        std::optional<IpAddress> mcast_dst_ip;
        std::optional<std::uint8_t> version;
        std::optional<std::uint8_t> unicast_ttl;
        std::optional<std::chrono::microseconds> garp_master_delay;
        std::optional<std::uint32_t> garp_master_repeat;
        std::optional<std::chrono::microseconds> garp_lower_prio_delay;
        std::optional<std::uint32_t> garp_lower_prio_repeat;
        std::optional<std::chrono::microseconds> garp_master_refresh;
        std::optional<std::uint32_t> garp_master_refresh_repeat;
        std::optional<std::uint8_t> down_timer_adverts;
        std::optional<bool> lower_prio_no_advert;
        std::optional<bool> higher_prio_send_advert;
        std::optional<bool> skip_check_adv_addr;
        std::optional<bool> strict_mode;
        std::optional<bool> notify_priority_changes;
        std::optional<bool> smtp_alert;
    } own;

    // Filled when resolved.
    Family family = Family::inet;
    std::string sync_group;  // the vrrp_sync_group this instance belongs to, if any

    bool unicast() const { return !unicast_peers.empty(); }
};

struct VrrpAreaModel {
    std::vector<VrrpScript> scripts;
    std::vector<TrackFile> track_files;
    std::vector<TrackProcess> track_processes;
    std::vector<SyncGroup> sync_groups;
    std::vector<GarpGroup> garp_groups;
    std::vector<VrrpInstance> instances;
};

}  // namespace vigil::config
