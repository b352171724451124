#include "check/real_server_health.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace vigil::check {

RealServerHealth::RealServerHealth(std::uint32_t configured_weight, std::vector<bool> checkers_up)
    : configured_weight_(std::min(configured_weight, max_weight)),
      checkers_up_(std::move(checkers_up)),
      checker_weights_(checkers_up_.size()),
      weight_(configured_weight_) {
    failed_checkers_ =
        static_cast<std::size_t>(std::count(checkers_up_.begin(), checkers_up_.end(), false));
}

ServerEvents RealServerHealth::on_checker_health(std::size_t id, bool up,
                                                 const std::string& reason) {
    assert(id < checkers_up_.size());
    ServerEvents out;
    if (checkers_up_.at(id) == up) return out;
    const bool was_up = this->up();
    checkers_up_.at(id) = up;
    if (up)
        --failed_checkers_;
    else
        ++failed_checkers_;
    if (was_up && !this->up()) out.emplace_back(ServerDown{reason});
    if (!was_up && this->up()) out.emplace_back(ServerUp{reason});
    return out;
}

ServerEvents RealServerHealth::on_checker_weight(std::size_t id, std::uint32_t weight) {
    assert(id < checker_weights_.size());
    ServerEvents out;
    checker_weights_.at(id) = std::min(weight, max_weight);
    const std::uint32_t w = compute_weight();
    if (w != weight_) {
        weight_ = w;
        out.emplace_back(ServerWeightChanged{w});
    }
    return out;
}

ServerEvents RealServerHealth::apply(std::size_t id, const PolicyActions& actions) {
    ServerEvents out;
    for (const auto& a : actions) {
        ServerEvents more;
        if (const auto* h = std::get_if<HealthChanged>(&a))
            more = on_checker_health(id, h->up, h->reason);
        else if (const auto* w = std::get_if<WeightChanged>(&a))
            more = on_checker_weight(id, w->weight);
        for (auto& e : more) out.push_back(std::move(e));
    }
    return out;
}

std::uint32_t RealServerHealth::compute_weight() const {
    // Signed 64-bit arithmetic: deltas may be negative, and their sum cannot overflow.
    auto w = static_cast<std::int64_t>(configured_weight_);
    for (const auto& cw : checker_weights_)
        if (cw) w += static_cast<std::int64_t>(*cw) - static_cast<std::int64_t>(configured_weight_);
    w = std::clamp<std::int64_t>(w, 0, max_weight);
    return static_cast<std::uint32_t>(w);
}

}  // namespace vigil::check
