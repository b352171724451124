#include "core/respawn.h"

#include <string.h>

#include <algorithm>

#include <fmt/format.h>

#include "core/exit_codes.h"

namespace vigil::core {

bool is_permanent_exit(int status) {
    return status == core::to_int(core::ExitCode::config) ||
           status == core::to_int(core::ExitCode::missing_permission);
}

std::string describe(const WorkerExit& e) {
    const auto secs = std::chrono::duration_cast<std::chrono::milliseconds>(e.ran_for).count();
    if (e.signaled)
        return fmt::format("killed by signal {} ({}) after {:.3f} s", e.status,
                           ::sigabbrev_np(e.status) != nullptr ? ::sigabbrev_np(e.status) : "?",
                           static_cast<double>(secs) / 1000.0);
    return fmt::format("exited with status {} after {:.3f} s", e.status,
                       static_cast<double>(secs) / 1000.0);
}

RespawnDecision RespawnBackoff::on_exit(const WorkerExit& e) {
    RespawnDecision d;
    if (!e.signaled && is_permanent_exit(e.status)) {
        d.kind = RespawnDecision::Kind::stop;
        d.exit_code = e.status;
        d.reason = "permanent failure (" + describe(e) + "): respawning cannot help";
        return d;
    }
    if (!cfg_.respawn) {
        d.kind = RespawnDecision::Kind::stop;
        d.exit_code = core::to_int(core::ExitCode::fatal);
        d.reason = describe(e) + " and respawn is disabled (-R)";
        return d;
    }
    if (e.ran_for >= cfg_.long_run) {
        next_ = cfg_.initial;
        d.delay = std::chrono::milliseconds(0);
        d.reason = describe(e) + " after a long run: respawning at once";
        return d;
    }
    d.delay = next_;
    next_ = std::min(next_ * 2, cfg_.max);
    d.reason = fmt::format("{}: respawning in {} ms", describe(e), d.delay.count());
    return d;
}

}  // namespace vigil::core
