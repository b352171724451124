// The kernel's IPVS state as vigil reads it, and the one interface through which vigil reads
// and changes it (`Ipvs`): the generic netlink driver (ipvs/genl.h) is the real one; tests
// use fakes. Pure: no netlink here.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "ipvs/desired.h"
#include "ipvs/ops.h"

namespace vigil::ipvs {

// A running sync daemon as the kernel reports it (its defaults filled in).
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

// What StartDaemon asks the kernel for, written as a SyncDaemon (0 / unset: the default).
StartDaemon start_daemon(const SyncDaemon& d);

// IPVS connection timeouts (`ipvsadm -L --timeout`).
struct Timeouts {
    std::chrono::seconds tcp{0};
    std::chrono::seconds tcp_fin{0};
    std::chrono::seconds udp{0};
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const Timeouts&) const = default;
};

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
