#include "ipvs/reconcile.h"

namespace vigil::ipvs {

Ownership Ownership::of(const DesiredState& state) {
    Ownership o;
    o.add(state);
    return o;
}

void Ownership::add(const DesiredState& state) {
    for (const auto& [key, service] : state.services) {
        services.insert(key);
        for (const auto& [dkey, dest] : service.destinations) destinations.emplace(key, dkey);
    }
}

void Ownership::forget_absent(const DesiredState& actual) {
    std::erase_if(services, [&](const ServiceKey& key) { return !actual.services.contains(key); });
    std::erase_if(destinations, [&](const std::pair<ServiceKey, DestinationKey>& entry) {
        const auto it = actual.services.find(entry.first);
        return it == actual.services.end() || !it->second.destinations.contains(entry.second);
    });
}

bool same_attributes(const Service& a, const Service& b) {
    // Without the persistent flag the kernel keeps a timeout and netmask that mean nothing.
    return a.scheduler == b.scheduler && a.sched_flag_1 == b.sched_flag_1 &&
           a.sched_flag_2 == b.sched_flag_2 && a.sched_flag_3 == b.sched_flag_3 &&
           a.one_packet == b.one_packet && a.persistence == b.persistence;
}

bool same_destination(const Destination& a, const Destination& b) {
    if (a.forwarding != b.forwarding || a.weight != b.weight || a.u_threshold != b.u_threshold ||
        a.l_threshold != b.l_threshold)
        return false;
    if (a.forwarding != Forwarding::tunnel) return true;
    if (a.tunnel_type != b.tunnel_type) return false;
    // The kernel uses the port for GUE only, and the checksum options for GUE and GRE only.
    if (a.tunnel_type == TunnelType::gue && a.tunnel_port != b.tunnel_port) return false;
    return a.tunnel_type == TunnelType::ipip || a.tunnel_checksum == b.tunnel_checksum;
}

namespace {

Service attributes_of(const Service& s) {
    Service out = s;
    out.destinations.clear();
    return out;
}

void add_service(const ServiceKey& key, const Service& wanted, Ops& ops) {
    ops.emplace_back(AddService{key, attributes_of(wanted)});
    for (const auto& [dkey, dest] : wanted.destinations) ops.emplace_back(AddDest{key, dkey, dest});
}

// A service both wanted and in the kernel: adopted, whoever created it.
void update_service(const ServiceKey& key, const Service& wanted, const Service& present,
                    const Ownership& owned, Ops& ops) {
    if (!same_attributes(wanted, present))
        ops.emplace_back(EditService{key, attributes_of(wanted)});
    for (const auto& [dkey, dest] : wanted.destinations)
        if (!present.destinations.contains(dkey)) ops.emplace_back(AddDest{key, dkey, dest});
    for (const auto& [dkey, dest] : wanted.destinations) {
        const auto it = present.destinations.find(dkey);
        if (it != present.destinations.end() && !same_destination(dest, it->second))
            ops.emplace_back(EditDest{key, dkey, dest});
    }
    for (const auto& [dkey, dest] : present.destinations)
        if (!wanted.destinations.contains(dkey) && owned.owns(key, dkey))
            ops.emplace_back(DelDest{key, dkey});
}

}  // namespace

Ops reconcile(const DesiredState& desired, const DesiredState& actual, const Ownership& owned,
              ReconcileMode mode) {
    Ops ops;
    if (mode == ReconcileMode::flush) {
        // After the flush the kernel holds nothing: everything wanted is added.
        ops.emplace_back(Flush{});
        for (const auto& [key, service] : desired.services) add_service(key, service, ops);
        return ops;
    }
    // Both maps are ordered by key: walk them together so that the operations come out in key
    // order whatever the mix of additions, changes and removals.
    auto want = desired.services.begin();
    auto have = actual.services.begin();
    while (want != desired.services.end() || have != actual.services.end()) {
        if (have == actual.services.end() ||
            (want != desired.services.end() && want->first < have->first)) {
            add_service(want->first, want->second, ops);
            ++want;
        } else if (want == desired.services.end() || have->first < want->first) {
            if (owned.owns(have->first)) ops.emplace_back(DelService{have->first});
            ++have;
        } else {
            update_service(want->first, want->second, have->second, owned, ops);
            ++want;
            ++have;
        }
    }
    return ops;
}

Ops release(const DesiredState& actual, const Ownership& owned, StopMode mode) {
    Ops ops;
    switch (mode) {
        case StopMode::keep:
            break;
        case StopMode::flush:
            ops.emplace_back(Flush{});
            break;
        case StopMode::remove:
            for (const auto& [key, service] : actual.services)
                if (owned.owns(key)) ops.emplace_back(DelService{key});
            break;
    }
    return ops;
}

Ops Reconciler::update(const DesiredState& desired, const DesiredState& actual) {
    const bool flush = !started_ && policy_.flush_at_start;
    started_ = true;
    if (flush) {
        owned_ = Ownership{};
    } else {
        owned_.forget_absent(actual);
    }
    auto ops =
        reconcile(desired, actual, owned_, flush ? ReconcileMode::flush : ReconcileMode::adopt);
    // What vigil deletes now stays owned until it is seen gone, so that a failed delete is
    // retried by the next update.
    owned_.add(desired);
    return ops;
}

Ops Reconciler::stop(const DesiredState& actual) {
    owned_.forget_absent(actual);
    return release(actual, owned_, policy_.stop);
}

SyncDaemons wanted_sync_daemons(const std::optional<SyncDaemonConfig>& config,
                                SyncInstance instance) {
    SyncDaemons wanted;
    if (!config) return wanted;
    switch (instance) {
        case SyncInstance::unnamed:
            wanted.master = config;
            wanted.backup = config;
            break;
        case SyncInstance::master:
            wanted.master = config;
            break;
        case SyncInstance::not_master:
            wanted.backup = config;
            break;
    }
    return wanted;
}

namespace {

// `current` as the kernel reports it runs as `wanted` asks.
bool same_daemon(const SyncDaemonConfig& current, const SyncDaemonConfig& wanted) {
    return current.interface == wanted.interface && current.syncid == wanted.syncid &&
           current.port == wanted.port && current.group == wanted.group &&
           (!wanted.maxlen || current.maxlen == wanted.maxlen) &&
           (!wanted.ttl || current.ttl == wanted.ttl);
}

bool keeps(const std::optional<SyncDaemonConfig>& current,
           const std::optional<SyncDaemonConfig>& wanted) {
    if (!current || !wanted) return !current && !wanted;
    return same_daemon(*current, *wanted);
}

}  // namespace

Ops sync_daemon_ops(const SyncDaemons& current, const SyncDaemons& wanted) {
    const bool keep_master = keeps(current.master, wanted.master);
    const bool keep_backup = keeps(current.backup, wanted.backup);
    Ops ops;
    if (!keep_master && current.master) ops.emplace_back(StopDaemon{SyncRole::master});
    if (!keep_backup && current.backup) ops.emplace_back(StopDaemon{SyncRole::backup});
    if (!keep_master && wanted.master)
        ops.emplace_back(StartDaemon{SyncRole::master, *wanted.master});
    if (!keep_backup && wanted.backup)
        ops.emplace_back(StartDaemon{SyncRole::backup, *wanted.backup});
    return ops;
}

}  // namespace vigil::ipvs
