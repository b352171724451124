// The operations vigil performs on the kernel's IPVS table, and the one interface that
// performs them (`Ipvs`). The reconciler turns a difference between the desired and the
// actual table into a list of `Op`s; the generic netlink driver (ipvs/genl.h) applies them to
// the kernel, a fake applies them to a DesiredState in tests. Pure: no netlink here.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "ipvs/desired.h"

namespace vigil::ipvs {

// A new service with the attributes of `service` (its destinations are not added: those are
// AddDest operations of their own).
struct AddService {
    ServiceKey key;
    Service service;
};

// The service's scheduler, flags and persistence become those of `service` (destinations
// are left alone).
struct EditService {
    ServiceKey key;
    Service service;
};

// Deletes the service and, in the kernel, all of its destinations.
struct DelService {
    ServiceKey key;
};

struct AddDest {
    ServiceKey service;
    DestinationKey key;
    Destination destination;
};

// Weight, thresholds and forwarding change in place: the destination's connections stay.
struct EditDest {
    ServiceKey service;
    DestinationKey key;
    Destination destination;
};

struct DelDest {
    ServiceKey service;
    DestinationKey key;
};

// Deletes every service of the network namespace (keepalived's lvs_flush).
struct Flush {};

// The connection synchronisation daemon (keepalived's lvs_sync_daemon); the kernel runs at
// most one master and one backup per network namespace.
enum class SyncRole : std::uint8_t { master, backup };

struct SyncDaemon {
    SyncRole role = SyncRole::master;
    std::string interface {};   // the multicast interface (needs an IPv4 address for a master)
    std::uint8_t syncid = 0;    // 0..255
    std::uint16_t max_len = 0;  // UDP payload size; 0: the kernel's default (from the MTU)
    std::optional<IpAddress> group{};  // none: the kernel's default 224.0.0.81
    std::uint16_t port = 0;            // 0: the kernel's default 8848
    std::uint8_t ttl = 0;              // 0: the kernel's default 1
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const SyncDaemon&) const = default;
};

struct StartSyncDaemon {
    SyncDaemon daemon;
};

struct StopSyncDaemon {
    SyncRole role = SyncRole::master;
};

// IPVS connection timeouts (`ipvsadm --set tcp tcpfin udp`).
struct Timeouts {
    std::chrono::seconds tcp{0};
    std::chrono::seconds tcp_fin{0};
    std::chrono::seconds udp{0};
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const Timeouts&) const = default;
};

// Only the timeouts given change; the others keep their current values.
struct SetTimeouts {
    std::optional<std::chrono::seconds> tcp;
    std::optional<std::chrono::seconds> tcp_fin;
    std::optional<std::chrono::seconds> udp;
};

using Op = std::variant<AddService, EditService, DelService, AddDest, EditDest, DelDest, Flush,
                        StartSyncDaemon, StopSyncDaemon, SetTimeouts>;

// Traffic counters of a service or destination (`ipvsadm -Ln --stats --rate`); rates are
// the kernel's estimates per second.
struct Counters {
    std::uint64_t connections = 0;
    std::uint64_t in_packets = 0;
    std::uint64_t out_packets = 0;
    std::uint64_t in_bytes = 0;
    std::uint64_t out_bytes = 0;
    std::uint64_t connections_per_s = 0;
    std::uint64_t in_packets_per_s = 0;
    std::uint64_t out_packets_per_s = 0;
    std::uint64_t in_bytes_per_s = 0;
    std::uint64_t out_bytes_per_s = 0;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const Counters&) const = default;
};

struct DestinationStats {
    std::uint32_t active_connections = 0;
    std::uint32_t inactive_connections = 0;
    std::uint32_t persistent_connections = 0;
    Counters counters;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const DestinationStats&) const = default;
};

struct ServiceStats {
    Counters counters;
    std::map<DestinationKey, DestinationStats> destinations;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const ServiceStats&) const = default;
};

// The kernel's table and its statistics, read in one pass.
struct Snapshot {
    DesiredState table;
    std::map<ServiceKey, ServiceStats> stats;
};

// Everything vigil does to the kernel's IPVS state goes through here.
class Ipvs {
  public:
    Ipvs() = default;
    Ipvs(const Ipvs&) = delete;
    Ipvs& operator=(const Ipvs&) = delete;
    Ipvs(Ipvs&&) = delete;
    Ipvs& operator=(Ipvs&&) = delete;
    virtual ~Ipvs() = default;

    // The whole table: services with their attributes and destinations.
    virtual Result<DesiredState> read() = 0;
    // The same, with every service's and destination's counters.
    virtual Result<Snapshot> read_with_stats() = 0;
    // One operation; an error names the service or destination and says what the kernel said.
    virtual Status apply(const Op& op) = 0;
    // The running sync daemons with the kernel's effective settings (defaults filled in).
    virtual Result<std::vector<SyncDaemon>> sync_daemons() = 0;
    virtual Result<Timeouts> timeouts() = 0;
};

}  // namespace vigil::ipvs
