// A worker process (VRRP or checker): single-threaded around one io_context. It reads the
// configuration itself, reloads it on SIGHUP (keeping the running one when the new file is
// invalid), writes its state dumps on SIGUSR1/SIGUSR2/SIGRTMIN+2, and stops on SIGTERM.
#pragma once

#include "core/runtime.h"

namespace vigil::core {

// Returns the process exit code (app::ExitCode).
int run_worker(ProcessRole role, const RuntimeOptions& opts);

}  // namespace vigil::core
