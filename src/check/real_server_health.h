// A real server's health from its checkers, pure: the server is up only while every one of
// its checkers is up (a server without checkers is always up), as keepalived counts failed
// checkers. Its weight is the configured one, moved by dynamic checkers: each dynamic checker
// that reported a weight W adds W - configured (keepalived's rule for MISC_CHECK misc_dynamic
// and FILE_CHECK dynamic, so that a single dynamic checker sets the weight to W).
//
// It reports each change once, for notify_up / notify_down, SMTP alerts and FIFO lines, which
// the shell performs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "check/policy.h"

namespace vigil::check {

struct ServerUp {
    std::string reason;
};
struct ServerDown {
    std::string reason;
};
struct ServerWeightChanged {
    std::uint32_t weight = 0;
};
using ServerEvent = std::variant<ServerUp, ServerDown, ServerWeightChanged>;
using ServerEvents = std::vector<ServerEvent>;

class RealServerHealth {
  public:
    // The largest weight IPVS takes (a signed 32-bit int in the kernel).
    static constexpr std::uint32_t max_weight = 2147483647U;

    // `checkers_up`: each checker's initial state (CheckerPolicy::up()); the checkers' ids are
    // their indexes in it.
    RealServerHealth(std::uint32_t configured_weight, std::vector<bool> checkers_up);

    // Checker `id` changed state (HealthChanged) or asked for a weight (WeightChanged).
    ServerEvents on_checker_health(std::size_t id, bool up, const std::string& reason);
    ServerEvents on_checker_weight(std::size_t id, std::uint32_t weight);
    // Applies the HealthChanged and WeightChanged actions of checker `id`'s policy.
    ServerEvents apply(std::size_t id, const PolicyActions& actions);

    bool up() const { return failed_checkers_ == 0; }
    std::uint32_t weight() const { return weight_; }
    std::uint32_t configured_weight() const { return configured_weight_; }
    std::size_t checkers() const { return checkers_up_.size(); }
    std::size_t failed_checkers() const { return failed_checkers_; }

  private:
    std::uint32_t compute_weight() const;

    std::uint32_t configured_weight_;
    std::vector<bool> checkers_up_;
    std::vector<std::optional<std::uint32_t>> checker_weights_;
    std::size_t failed_checkers_ = 0;
    std::uint32_t weight_;
};

}  // namespace vigil::check
