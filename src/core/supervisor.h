// The supervisor (parent) process: starts a VRRP worker and a checker worker when the
// configuration has something for each, watches them, respawns a dead one with capped
// backoff (or stops on a permanent exit), validates a new configuration on SIGHUP before
// asking the workers to reload, forwards the dump signals, and on SIGTERM/SIGINT stops the
// workers within a bounded time and removes its pidfile.
#pragma once

#include <memory>

#include "core/runtime.h"

namespace vigil::core {

// Returns the process exit code (core::ExitCode).
int run_supervisor(const RuntimeOptions& opts, std::shared_ptr<const config::Model> model,
                   const Logger& log);

}  // namespace vigil::core
