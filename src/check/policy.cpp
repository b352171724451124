#include "check/policy.h"

#include <fmt/format.h>

#include <utility>

namespace vigil::check {

PolicySettings PolicySettings::from(const config::Checker& checker) {
    PolicySettings s;
    const auto& e = checker.effective;
    s.delay_loop = e.delay_loop;
    s.delay_before_retry = e.delay_before_retry;
    s.retry = e.retry;
    s.alpha = e.alpha;
    if (const auto* misc = std::get_if<config::MiscCheck>(&checker.kind))
        s.dynamic_weight = misc->misc_dynamic;
    if (const auto* file = std::get_if<config::FileCheck>(&checker.kind)) {
        s.dynamic_weight = file->dynamic;
        s.event_driven = true;
    }
    if (std::holds_alternative<config::BfdCheck>(checker.kind)) s.event_driven = true;
    return s;
}

CheckerPolicy::CheckerPolicy(const PolicySettings& settings)
    : settings_(settings), up_(!settings_.alpha) {}

PolicyActions CheckerPolicy::start(Time now, Micros initial_delay) {
    failed_attempts_ = 0;
    if (settings_.event_driven) {
        // Nothing to poll: the shell reports events as they come.
        phase_ = Phase::waiting;
        deadline_.reset();
        return {};
    }
    phase_ = Phase::waiting;
    deadline_ = now + (initial_delay < Micros{0} ? Micros{0} : initial_delay);
    return {};
}

void CheckerPolicy::stop() {
    phase_ = Phase::stopped;
    deadline_.reset();
    failed_attempts_ = 0;
}

PolicyActions CheckerPolicy::on_timer(Time now) {
    PolicyActions out;
    if (phase_ != Phase::waiting || !deadline_ || now < *deadline_) return out;
    phase_ = Phase::probing;
    deadline_.reset();  // the probe bounds itself (connect_timeout); its end re-arms us
    out.emplace_back(StartProbe{});
    return out;
}

PolicyActions CheckerPolicy::on_probe_done(const ProbeOutcome& outcome, Time now) {
    PolicyActions out;
    if (settings_.event_driven) {
        if (phase_ == Phase::stopped) return out;
    } else if (phase_ != Phase::probing) {
        // A late outcome after stop(), or one nobody asked for: not ours to count.
        return out;
    }

    if (outcome.ok()) {
        failed_attempts_ = 0;
        if (settings_.dynamic_weight && outcome.weight && outcome.weight != weight_) {
            weight_ = outcome.weight;
            out.emplace_back(WeightChanged{*outcome.weight});
        }
        if (!up_) set_up(true, outcome.reason.empty() ? "check succeeded" : outcome.reason, out);
        if (!settings_.event_driven) {
            phase_ = Phase::waiting;
            deadline_ = now + settings_.delay_loop;
        }
        return out;
    }

    const std::string why = outcome.reason.empty() ? "check failed" : outcome.reason;
    if (settings_.event_driven) {
        if (up_) set_up(false, why, out);
        return out;
    }
    ++failed_attempts_;
    const std::uint32_t attempts = settings_.retry + 1;
    phase_ = Phase::waiting;
    if (failed_attempts_ < attempts) {
        out.emplace_back(AttemptFailed{failed_attempts_, attempts, why});
        deadline_ = now + settings_.delay_before_retry;
        return out;
    }
    // The whole round failed.
    failed_attempts_ = 0;
    deadline_ = now + settings_.delay_loop;
    if (up_) {
        set_up(
            false,
            settings_.retry == 0 ? why : fmt::format("{} (after {} retries)", why, settings_.retry),
            out);
    } else {
        out.emplace_back(AttemptFailed{attempts, attempts, why});
    }
    return out;
}

void CheckerPolicy::set_up(bool up, std::string reason, PolicyActions& out) {
    up_ = up;
    out.emplace_back(HealthChanged{up, std::move(reason)});
}

}  // namespace vigil::check
