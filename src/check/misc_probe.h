// MISC_CHECK: runs misc_path through the worker's ScriptRunner (no shell, as its configured
// user, killed with its process group at misc_timeout) and turns the exit status into an
// outcome, as keepalived.conf(5) describes: 0 is up, anything else down; with misc_dynamic,
// 1 is down and 2-255 are up with the real server's weight set to status - 2, while 0 leaves
// the weight unchanged. A script killed by a signal or at its timeout is down.
#pragma once

#include <chrono>
#include <cstdint>

#include <boost/asio/awaitable.hpp>

#include "check/probe.h"
#include "config/model_lvs.h"
#include "core/script_runner.h"

namespace vigil::check {

struct MiscProbeSettings {
    core::ScriptJob job;  // from ScriptPolicy::prepare(misc_path, name, misc_probe_timeout())
    bool dynamic = false;
};

// keepalived: misc_timeout when set, else the delay_loop.
std::chrono::milliseconds misc_probe_timeout(const config::MiscCheck& c,
                                             const config::CheckerSettings& s);

// The verdict on a finished script; pure, for tests.
ProbeOutcome misc_outcome(const core::ScriptOutcome& o, const MiscProbeSettings& s);

class MiscProbe final : public Probe {
  public:
    // The runner must outlive every run() of this probe.
    MiscProbe(core::ScriptRunner& runner, MiscProbeSettings settings);
    // Finishes when the script does: at most job.timeout plus ScriptRunner::kill_grace.
    boost::asio::awaitable<ProbeOutcome> run() override;

  private:
    core::ScriptRunner& runner_;
    MiscProbeSettings settings_;
};

}  // namespace vigil::check
