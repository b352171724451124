// When to respawn a worker that exited: keepalived's policy, as a pure function of what
// happened and when, so it is tested on simulated time.
//  - a worker that ran for at least `long_run` is respawned at once, and the delay resets;
//  - otherwise the delay starts at `initial` and doubles on every quick death, up to `max`;
//  - a permanent exit status (configuration error, missing permission) stops vigild;
//  - with -R (no respawn) any exit stops vigild.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace vigil::core {

using Clock = std::chrono::steady_clock;

struct RespawnPolicyConfig {
    std::chrono::milliseconds initial{1000};
    std::chrono::milliseconds max{60000};
    std::chrono::milliseconds long_run{60000};
    bool respawn = true;
};

struct WorkerExit {
    bool signaled = false;  // killed by a signal (status is the signal number)
    int status = 0;         // exit code, or signal number
    Clock::duration ran_for{};
};

struct RespawnDecision {
    enum class Kind { respawn, stop } kind = Kind::respawn;
    std::chrono::milliseconds delay{0};  // for respawn
    int exit_code = 0;                   // for stop: what vigild exits with
    std::string reason;
};

class RespawnBackoff {
  public:
    explicit RespawnBackoff(RespawnPolicyConfig cfg = {}) : cfg_(cfg) {}
    RespawnDecision on_exit(const WorkerExit& e);
    std::chrono::milliseconds next_delay() const { return next_; }

  private:
    RespawnPolicyConfig cfg_;
    std::chrono::milliseconds next_{cfg_.initial};
};

// Exit statuses a worker uses to say "respawning cannot help".
bool is_permanent_exit(int status);

std::string describe(const WorkerExit& e);

}  // namespace vigil::core
