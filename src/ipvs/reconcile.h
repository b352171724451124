// The IPVS reconciler, pure: from the table the kernel holds (read back by the genl driver) and
// the table vigil wants (from the checker core), the shortest list of operations that makes
// the kernel's entries vigil answers for equal to the wanted ones, and touches nothing else.
//
// The rules, keepalived's where it has one:
// - An entry that is already as wanted produces no operation at all, so a reload with an
//   unchanged configuration, or a restart, leaves the table and its connections alone.
// - A change of a service's scheduler, flags or persistence is an EditService; any change of a
//   destination (weight, thresholds, forwarding method, tunnel) is an EditDest: the kernel's
//   IP_VS_CMD_SET_DEST sets all of them, so nothing is deleted and re-added.
// - At start-up vigil adopts the entries of the kernel that it wants instead of flushing
//   them; only global_defs lvs_flush flushes the whole table first.
// - Entries vigil does not want and never owned belong to someone else (ipvsadm, another
//   daemon) and are left alone. Entries vigil owned (wanted before, across reloads) and no
//   longer wants are removed. A service vigil wants is vigil's from then on, even if it was
//   found in the kernel: its destinations that vigil never wanted are still left alone.
// - Order: services in key order; for each, the service before its destinations on add, and
//   on delete the service alone (the kernel removes its destinations). Within a service,
//   destinations are added, then edited, then deleted, so that a service never goes through a
//   moment without a destination when one replaces another (keepalived adds the sorry server
//   before it removes the real servers on quorum loss, and the other way round on recovery).
// - Stop: every service vigil owns is removed (lvs_flush_on_stop: the whole table is
//   flushed), unless -I (dont_release_ipvs) asks to leave everything.
//
// The sync daemons follow the VRRP instance lvs_sync_daemon names: a master daemon while it is
// MASTER, a backup daemon otherwise, and both when no instance is named.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <set>
#include <utility>

#include "ipvs/desired.h"
#include "ipvs/ops.h"

namespace vigil::ipvs {

// The kernel entries vigil answers for: the services and destinations it has wanted, until it
// sees them gone from the kernel.
struct Ownership {
    std::set<ServiceKey> services;
    std::set<std::pair<ServiceKey, DestinationKey>> destinations;

    // Every service and destination of `state`.
    static Ownership of(const DesiredState& state);
    bool owns(const ServiceKey& service) const { return services.contains(service); }
    bool owns(const ServiceKey& service, const DestinationKey& dest) const {
        return destinations.contains({service, dest});
    }
    // Adds every service and destination of `state`.
    void add(const DesiredState& state);
    // Forgets the entries that `actual` (the kernel's table) no longer holds: once gone, an
    // entry that someone else creates again is theirs.
    void forget_absent(const DesiredState& actual);
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const Ownership&) const = default;
};

// adopt: keep what the kernel already holds and change only what differs.
// flush (lvs_flush, at start-up): a Flush first, then everything wanted is added.
enum class ReconcileMode : std::uint8_t { adopt, flush };

// What to do with vigil's services when it stops.
// remove: delete each service vigil owns (default, and lvs_flush_on_stop VS).
// flush: flush the whole table (lvs_flush_on_stop).
// keep: leave the table as it is (-I, dont_release_ipvs).
enum class StopMode : std::uint8_t { remove, flush, keep };

// The operations that take `actual` to `desired` on the entries vigil wants or `owned`.
Ops reconcile(const DesiredState& desired, const DesiredState& actual, const Ownership& owned,
              ReconcileMode mode = ReconcileMode::adopt);

// The operations of a stop: the services vigil owns that `actual` holds, in key order.
Ops release(const DesiredState& actual, const Ownership& owned, StopMode mode);

// Whether two services or destinations are the same for the kernel: the fields that the
// kernel ignores (a tunnel's type when the method is not tunnel, a GUE port for another tunnel
// type) do not count, so that a value read back from the kernel matches the wanted one.
bool same_attributes(const Service& a, const Service& b);
bool same_destination(const Destination& a, const Destination& b);

struct ReconcilePolicy {
    bool flush_at_start = false;  // global_defs lvs_flush
    StopMode stop = StopMode::remove;
};

// The checker worker's reconciler: keeps what vigil owns across updates and reloads (a reload
// is just an update with the new configuration's desired state).
class Reconciler {
  public:
    explicit Reconciler(ReconcilePolicy policy = {}) : policy_(policy) {}

    // The operations that take the kernel's table `actual` to `desired`; the first call (the
    // start) flushes with lvs_flush. Afterwards vigil owns everything in `desired`.
    Ops update(const DesiredState& desired, const DesiredState& actual);
    // The operations of a stop, by the policy's StopMode.
    Ops stop(const DesiredState& actual);
    // A reload may change lvs_flush_on_stop; lvs_flush only matters at the start.
    void set_policy(ReconcilePolicy policy) { policy_ = policy; }

    const Ownership& owned() const { return owned_; }
    bool started() const { return started_; }

  private:
    ReconcilePolicy policy_;
    Ownership owned_;
    bool started_ = false;
};

// The state of the VRRP instance that lvs_sync_daemon follows.
// unnamed: lvs_sync_daemon names no instance; not_master: BACKUP, FAULT, INIT...
enum class SyncInstance : std::uint8_t { unnamed, master, not_master };

// The sync daemons running, or wanted: nullopt for a role that is not.
struct SyncDaemons {
    std::optional<SyncDaemonConfig> master;
    std::optional<SyncDaemonConfig> backup;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const SyncDaemons&) const = default;
};

// The daemons wanted for lvs_sync_daemon `config` (nullopt: none configured, or vigil stops)
// while the instance it names is in `instance`: master when MASTER, backup otherwise, both
// when it names none.
SyncDaemons wanted_sync_daemons(const std::optional<SyncDaemonConfig>& config,
                                SyncInstance instance);

// StopDaemon and StartDaemon operations from the `current` daemons (read from the kernel) to
// the `wanted` ones: stops first (the kernel refuses a second daemon of a role), then starts. A
// daemon whose parameters changed is stopped and started again. An unset maxlen or ttl in
// `wanted` matches whatever default the kernel reports.
Ops sync_daemon_ops(const SyncDaemons& current, const SyncDaemons& wanted);

}  // namespace vigil::ipvs
