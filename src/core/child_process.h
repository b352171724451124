// Starting a child process without a shell: fork + exec with an optional user switch, its
// own process group, the parent-death signal, stdout/stderr to a given descriptor, and a
// pidfd to wait on. Exec failures are reported to the parent, not lost in the child: at once,
// or (scripts, so that an event loop starting many never waits for each exec) once the
// child has exited.
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
    // true: spawn_child returns once the child has executed the program (or with the reason
    // it could not). false: it returns after the fork; exec_error() tells after the exit.
    bool wait_for_exec = true;
};

struct Child {
    pid_t pid = -1;
    UniqueFd pidfd;        // readable when the child has exited
    UniqueFd exec_errors;  // wait_for_exec false: where the child reports a failed start
};

Result<Child> spawn_child(const SpawnOptions& opts);

struct ChildStatus {
    bool signaled = false;
    int code = 0;  // exit status or signal number
};

// Reaps an exited child through its pidfd; nullopt if it has not exited yet.
std::optional<ChildStatus> reap_child(const Child& c);

// For a child started without waiting for its exec, once it has exited: why it could not
// run its program (`program`: argv[0], for the message), or nullopt if it did.
std::optional<std::string> exec_error(const Child& c, const std::string& program);

}  // namespace vigil::core
