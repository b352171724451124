// What the supervisor and the workers are started with: the command line, resolved into
// the paths and switches the processes need.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/log.h"

namespace vigil::core {

struct RuntimeOptions {
    std::string config_file;  // absolute: the supervisor leaves the working directory
    config::LoadOptions load;
    LogOptions log;
    std::optional<std::string> netns;  // -s
    // With -s: a descriptor of the network namespace vigild started in (the workers inherit
    // it); -1 otherwise.
    int initial_netns_fd = -1;
    std::string pid_file;          // -p
    std::string vrrp_pid_file;     // -r
    std::string checker_pid_file;  // -c
    bool vrrp_only = false;        // -P
    bool checkers_only = false;    // -C
    bool all_subsystems = false;   // --all
    bool respawn = true;           // not -R
    bool release_vrrp = true;      // not -V: remove VIPs, routes and rules on stop
    bool release_ipvs = true;      // not -I: remove IPVS entries on stop
    // The command that starts a worker, without the role: "/proc/self/exe ... --worker".
    std::vector<std::string> worker_command;
};

// The signals vigil's processes act on: HUP, TERM, INT, USR1, USR2 and SIGRTMIN+2.
std::vector<int> control_signals();
// Unblocks them; vigild blocks them from the start until a process has its handlers.
void unblock_control_signals();

// Does this configuration (and -P/-C/--all) call for a worker of this role?
bool wants_worker(ProcessRole role, const config::Model& m, const RuntimeOptions& o);

// Logs each configuration diagnostic (its location line, the quoted line and the caret) at
// its own severity.
void log_diagnostics(const Logger& log, const config::LoadResult& r);

// Default pidfile paths: /run/vigil[/NS]/vigild.pid, vigild_vrrp.pid, vigild_checker.pid.
std::string default_pid_file(ProcessRole role, const std::optional<std::string>& netns);

}  // namespace vigil::core
