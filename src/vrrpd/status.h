// The VRRP worker's state for operators: the SIGUSR2 statistics text and the JSON status
// (SIGRTMIN+2), from the router's instances and their counters.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

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

// `unbound`: why an instance cannot run (its interface or address is missing), by name;
// `tracked_by(name, base)`: the lines saying what an instance tracks (Trackers::instance_text).
using TrackedText = std::function<std::string(const std::string&, std::uint8_t)>;
std::string stats_text(const vrrp::Router& r, const std::map<std::string, std::string>& unbound,
                       const TrackedText& tracked_by);
// The SIGUSR1 data dump's runtime part: each instance's state, priorities and tracking.
std::string state_text(const vrrp::Router& r, const std::map<std::string, std::string>& unbound,
                       const TrackedText& tracked_by);
// `trackers`: every tracked object's state; `tracked_by(name, base)`: what an instance tracks,
// each with its contribution.
std::string status_json(
    const vrrp::Router& r, const std::map<std::string, std::string>& unbound,
    const WorkerCounters& counters, const nlohmann::json& trackers,
    const std::function<nlohmann::json(const std::string&, std::uint8_t)>& tracked_by);

}  // namespace vigil::vrrpd
