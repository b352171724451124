// The operations vigil asks of the kernel's IPVS table, one per generic netlink command
// (IP_VS_CMD_NEW_SERVICE, _SET_SERVICE, _DEL_SERVICE, _NEW_DEST, _SET_DEST, _DEL_DEST, _FLUSH,
// _NEW_DAEMON, _DEL_DAEMON). The reconciler produces them, the genl driver executes them in
// order, and the log shows them in ipvsadm's words so that an operator can replay one by hand.
// Pure: no netlink.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/ip_address.h"
#include "ipvs/desired.h"

namespace vigil::ipvs {

// IP_VS_CMD_NEW_SERVICE. `service` carries the attributes only: its destinations are always
// empty (each destination is an AddDest of its own, after the service).
struct AddService {
    ServiceKey key;
    Service service;
    auto operator<=>(const AddService&) const = default;
};

// IP_VS_CMD_SET_SERVICE: scheduler, flags or persistence changed. The kernel swaps the
// scheduler and persistence engine in place, so the destinations and their connections stay.
struct EditService {
    ServiceKey key;
    Service service;  // attributes only, destinations empty
    auto operator<=>(const EditService&) const = default;
};

// IP_VS_CMD_DEL_SERVICE: the kernel removes the service's destinations with it.
struct DelService {
    ServiceKey key;
    auto operator<=>(const DelService&) const = default;
};

// IP_VS_CMD_NEW_DEST.
struct AddDest {
    ServiceKey service;
    DestinationKey key;
    Destination destination;
    auto operator<=>(const AddDest&) const = default;
};

// IP_VS_CMD_SET_DEST: weight, thresholds, and also the forwarding method and tunnel settings
// (the kernel's __ip_vs_update_dest sets the connection flags and rehashes the destination), so
// no change of a destination ever needs a delete and an add that would drop its connections.
struct EditDest {
    ServiceKey service;
    DestinationKey key;
    Destination destination;
    auto operator<=>(const EditDest&) const = default;
};

// IP_VS_CMD_DEL_DEST.
struct DelDest {
    ServiceKey service;
    DestinationKey key;
    auto operator<=>(const DelDest&) const = default;
};

// IP_VS_CMD_FLUSH: every service of the table, vigil's or not (global_defs lvs_flush and
// lvs_flush_on_stop).
struct Flush {
    auto operator<=>(const Flush&) const = default;
};

// The connection synchronisation daemons (lvs_sync_daemon): the kernel runs at most one master
// (sends the connection table) and one backup (receives it).
enum class SyncRole : std::uint8_t { master, backup };
std::string_view to_string(SyncRole r);

// IPVS_DAEMON_ATTR_*: the parameters of one sync daemon.
struct SyncDaemonConfig {
    std::string interface;                        // mcast_ifn
    std::uint8_t syncid = 0;                      // only packets with this id are accepted
    std::optional<std::uint16_t> maxlen;          // unset: the kernel's default
    std::uint16_t port = 8848;                    // mcast_port
    std::optional<std::uint8_t> ttl;              // unset: the kernel's default
    IpAddress group = IpAddress::v4(0xE0000051);  // 224.0.0.81
    auto operator<=>(const SyncDaemonConfig&) const = default;
};

// IP_VS_CMD_NEW_DAEMON.
struct StartDaemon {
    SyncRole role = SyncRole::master;
    SyncDaemonConfig config;
    auto operator<=>(const StartDaemon&) const = default;
};

// IP_VS_CMD_DEL_DAEMON.
struct StopDaemon {
    SyncRole role = SyncRole::master;
    auto operator<=>(const StopDaemon&) const = default;
};

// Only the timeouts given change; the others keep their current values.
struct SetTimeouts {
    std::optional<std::chrono::seconds> tcp;
    std::optional<std::chrono::seconds> tcp_fin;
    std::optional<std::chrono::seconds> udp;
    auto operator<=>(const SetTimeouts&) const = default;
};

using Op = std::variant<AddService, EditService, DelService, AddDest, EditDest, DelDest, Flush,
                        StartDaemon, StopDaemon, SetTimeouts>;
using Ops = std::vector<Op>;

// ipvsadm's arguments for the operation: "-A -t 192.0.2.10:80 -s wlc -p 360",
// "-e -t 192.0.2.10:80 -r 192.0.2.2:80 -m -w 0", "-C",
// "--start-daemon master --mcast-interface eth0 --syncid 7".
std::string to_string(const AddService& op);
std::string to_string(const EditService& op);
std::string to_string(const DelService& op);
std::string to_string(const AddDest& op);
std::string to_string(const EditDest& op);
std::string to_string(const DelDest& op);
std::string to_string(const Flush& op);
std::string to_string(const StartDaemon& op);
std::string to_string(const StopDaemon& op);
std::string to_string(const SetTimeouts& op);
std::string to_string(const Op& op);
// One operation per line.
std::string to_string(const Ops& ops);

}  // namespace vigil::ipvs
