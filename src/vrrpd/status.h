// The VRRP worker's state for operators: the SIGUSR2 statistics text and the JSON status
// (SIGRTMIN+2), from the router's instances and their counters.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "vrrp/router.h"

namespace vigil::vrrpd {

// The worker's own counters.
struct WorkerCounters {
    std::uint64_t gratuitous_sent = 0;
    std::uint64_t gratuitous_failed = 0;
    std::uint64_t gratuitous_dropped = 0;  // the pacing queue was full
    std::uint64_t send_errors = 0;         // adverts the kernel refused
    std::uint64_t sockets = 0;             // raw VRRP sockets open
};

// `unbound`: why an instance cannot run (its interface or address is missing), by name.
std::string stats_text(const vrrp::Router& r, const std::map<std::string, std::string>& unbound);
std::string status_json(const vrrp::Router& r, const std::map<std::string, std::string>& unbound,
                        const WorkerCounters& counters);

}  // namespace vigil::vrrpd
