// The policy of one health checker of one real server, pure: when to probe, how often to
// retry, and what a round of attempts means for the checker's state. It is fed the probes'
// outcomes and the time, and returns the actions to take and when it next needs to be woken;
// it owns no socket, reads no clock and draws no random numbers (the shell draws warmup's
// initial delay). Every checker kind shares it: the probes only perform one attempt.
//
// keepalived's semantics, which this reproduces:
// - The checker starts up, or down with `alpha` (down until its first success).
// - The first attempt comes after the initial delay (a random time in [0, warmup], drawn by
//   the shell; warmup 0 disables it). keepalived also waits a fixed one second bootstrap
//   delay before that; the shell may add it to the initial delay.
// - A round is an attempt plus up to `retry` retries: after a failed attempt the next one
//   comes delay_before_retry after it ended. The checker goes down only when all retry+1
//   attempts of a round failed, with the last failure as the reason. One success ends the
//   round and brings the checker up again.
// - Every delay counts from the end of the previous attempt, never from its start, so a slow
//   probe never overlaps the next one and there is never more than one attempt in flight:
//   worst case, an up checker of a server that dies just after a success goes down
//   delay_loop + (retry + 1) * connect_timeout + retry * delay_before_retry later.
// - A down checker keeps probing every delay_loop, with retries, as keepalived does.
// - Event-driven checkers (FILE_CHECK, BFD_CHECK) are never polled: each outcome the shell
//   reports (a file change, a BFD session event) applies at once, without retries.
// - Dynamic weights (MISC_CHECK misc_dynamic, FILE_CHECK dynamic) come with successful
//   outcomes and are reported when they change.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "check/probe_outcome.h"
#include "config/model_lvs.h"

namespace vigil::check {

using Time = std::chrono::steady_clock::time_point;
using Micros = std::chrono::microseconds;

struct PolicySettings {
    Micros delay_loop{60'000'000};
    Micros delay_before_retry{1'000'000};
    std::uint32_t retry = 1;
    bool alpha = false;
    // Honour ProbeOutcome::weight (MISC_CHECK misc_dynamic, FILE_CHECK dynamic).
    bool dynamic_weight = false;
    // FILE_CHECK and BFD_CHECK: outcomes arrive as events, the policy never starts a probe.
    bool event_driven = false;

    // The settings of a configured checker, after inheritance.
    static PolicySettings from(const config::Checker& checker);
};

// Run one probe attempt now, and report its outcome with on_probe_done().
struct StartProbe {};
// The checker changed state; `reason` is for the log, notify scripts and alerts.
struct HealthChanged {
    bool up = true;
    std::string reason;
};
// A failed attempt that did not (yet) change the state: keepalived logs these only with
// log_all_failures. `attempt` counts from 1; the round has retry + 1 attempts.
struct AttemptFailed {
    std::uint32_t attempt = 1;
    std::uint32_t attempts = 1;
    std::string reason;
};
// A dynamic checker asks for a new real-server weight.
struct WeightChanged {
    std::uint32_t weight = 0;
};
using PolicyAction = std::variant<StartProbe, HealthChanged, AttemptFailed, WeightChanged>;
using PolicyActions = std::vector<PolicyAction>;

class CheckerPolicy {
  public:
    explicit CheckerPolicy(const PolicySettings& settings);

    // Starts polling: the first attempt comes `initial_delay` after `now`.
    PolicyActions start(Time now, Micros initial_delay);
    // Stops polling; the outcome of an attempt still in flight will be ignored. The state is
    // kept, so that a restart (ha_suspend, reload) resumes from it.
    void stop();
    // The outcome of the attempt the last StartProbe asked for (or, event driven, an event).
    PolicyActions on_probe_done(const ProbeOutcome& outcome, Time now);
    // Call when next_deadline() has passed.
    PolicyActions on_timer(Time now);

    std::optional<Time> next_deadline() const { return deadline_; }
    bool up() const { return up_; }
    bool running() const { return phase_ != Phase::stopped; }
    bool probing() const { return phase_ == Phase::probing; }
    // The weight last asked for by a dynamic outcome; unset until then.
    std::optional<std::uint32_t> weight() const { return weight_; }
    const PolicySettings& settings() const { return settings_; }

  private:
    enum class Phase : std::uint8_t { stopped, waiting, probing };

    void set_up(bool up, std::string reason, PolicyActions& out);

    PolicySettings settings_;
    Phase phase_ = Phase::stopped;
    bool up_;
    std::uint32_t failed_attempts_ = 0;  // in the current round
    std::optional<Time> deadline_;
    std::optional<std::uint32_t> weight_;
};

}  // namespace vigil::check
