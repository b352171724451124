// Starting a child process without a shell: fork + exec with an optional user switch, its
// own process group, the parent-death signal, stdout/stderr to a given descriptor, and a
// pidfd to wait on. Exec failures are reported to the parent, not lost in the child.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "core/credentials.h"

namespace vigil::core {

struct SpawnOptions {
    std::vector<std::string> argv;      // argv[0] is found like execvp does
    std::optional<Credentials> run_as;  // switch user/group before exec
    bool own_process_group = true;      // so a timeout can kill the whole group
    int parent_death_signal = 15;       // SIGTERM when the parent dies; 0 for none
    int output_fd = -1;                 // becomes stdout and stderr; -1: /dev/null
    int inherit_fd = -1;                // kept open across exec, same number; -1: none
    // Signals that stay blocked across exec: a worker unblocks them once its handlers are
    // installed, so an early SIGHUP or SIGUSR1 cannot kill it with the default action.
    std::vector<int> blocked_signals;
};

struct Child {
    pid_t pid = -1;
    UniqueFd pidfd;  // readable when the child has exited
};

Result<Child> spawn_child(const SpawnOptions& opts);

struct ChildStatus {
    bool signaled = false;
    int code = 0;  // exit status or signal number
};

// Reaps an exited child through its pidfd; nullopt if it has not exited yet.
std::optional<ChildStatus> reap_child(const Child& c);

}  // namespace vigil::core
