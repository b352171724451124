// The VRRP worker's state for operators: the SIGUSR2 statistics text and the JSON status
// (SIGRTMIN+2), from the router's instances and their counters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vrrp/router.h"

namespace vigil::vrrpd {

// An instance that could not start (its interface or address is missing): it is in FAULT.
struct UnboundInstance {
    std::string name;
    std::string interface;
    std::string reason;
};

std::string stats_text(const vrrp::Router& r, const std::vector<UnboundInstance>& unbound);
std::string status_json(const vrrp::Router& r, const std::vector<UnboundInstance>& unbound,
                        std::uint64_t gratuitous_sent);

}  // namespace vigil::vrrpd
