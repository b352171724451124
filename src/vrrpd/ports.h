// What the VRRP worker's engine needs from the outside world, as interfaces: the real ones
// are in vrrp_service.cpp (raw sockets, AF_PACKET, /proc, scripts), the fakes in the unit
// tests. Netlink (addresses, routes, rules, links) is net::Netlink; the clock is the `now`
// every engine call takes. The worker needs no random source: VRRP has none, and AH sequence
// numbers start from 0 as keepalived's do.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <span>
#include <string>

#include "common/ip_address.h"
#include "common/result.h"
#include "config/model_vrrp.h"
#include "vrrp/instance.h"
#include "vrrpd/trackers.h"

namespace vigil::vrrpd {

// A raw VRRP socket: one per interface, family and IP protocol (112, or 51 for VRRPv2 over
// AH), shared by every instance there.
struct SocketKey {
    int ifindex = 0;  // 0: not bound to an interface (unicast without `interface`)
    Family family = Family::inet;
    std::uint8_t protocol = 0;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const SocketKey&) const = default;
};

// The raw sockets. Received datagrams flow the other way: the shell hands them to
// Engine::on_datagram.
class Transport {
  public:
    virtual ~Transport() = default;
    // Opens the socket for `key`, bound to `ifname` when not empty.
    virtual Status open(const SocketKey& key, const std::string& ifname) = 0;
    virtual void close(const SocketKey& key) = 0;
    virtual Status join(const SocketKey& key, const IpAddress& group) = 0;
    // IPv4: `bytes` is the whole IP packet. IPv6: the payload, sent from `source` with
    // `hop_limit`.
    virtual Status send(const SocketKey& key, std::span<const std::byte> bytes,
                        const IpAddress& source, const IpAddress& destination,
                        std::uint8_t hop_limit) = 0;
};

// Gratuitous ARP / unsolicited NA frames, whatever the routing table says (AF_PACKET).
class FrameSender {
  public:
    virtual ~FrameSender() = default;
    virtual Status send_frame(int ifindex, std::span<const std::byte> frame) = 0;
};

// The host's per-interface settings the worker reads or sets (/proc/sys).
class HostSettings {
  public:
    virtual ~HostSettings() = default;
    // A forwarding interface's NAs carry the Router flag.
    virtual bool ipv6_forwarding(const std::string& ifname) = 0;
    virtual Status set_promote_secondaries(const std::string& ifname) = 0;
};

// Told of every state change, after it is logged and before its entry actions: the notify
// scripts, FIFOs and mail, and the IPVS sync daemon.
class StateObserver {
  public:
    virtual ~StateObserver() = default;
    virtual void state_changed(const config::VrrpInstance& vi, const vrrp::StateChange& change,
                               std::uint8_t priority) = 0;
    // The effective priority changed (notify_priority_changes: a FIFO line).
    virtual void priority_changed(const config::VrrpInstance& vi, vrrp::State state,
                                  std::uint8_t priority) = 0;
    // The instance, master at `priority`, heard a master of lower priority.
    virtual void lower_priority_master(const config::VrrpInstance& vi, std::uint8_t priority) = 0;
};

// What the tracking shells do for the engine. Results come back through the engine's
// on_script_result, on_file_content and on_process_count.
class TrackingShell {
  public:
    virtual ~TrackingShell() = default;
    virtual void run_script(const std::string& name, const config::ScriptSpec& script,
                            std::chrono::milliseconds timeout) = 0;
    // Watches these files (and no others) from now on: their contents now and at each
    // change. `start`: the daemon starts (init_file ... overwrite applies then only).
    virtual void watch_files(const std::vector<FileDef>& files, bool start) = 0;
    // Counts the processes matching these definitions (and no others) from now on.
    virtual void watch_processes(const std::vector<ProcessDef>& processes) = 0;
    // Polls these interfaces' link state (and no others) from now on, every second.
    virtual void watch_linkbeat(const std::vector<LinkbeatDef>& interfaces) = 0;
};

}  // namespace vigil::vrrpd
