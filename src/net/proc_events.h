// Process events from the kernel's process-event connector (NETLINK_CONNECTOR, CN_IDX_PROC):
// a process started a program (exec), changed its name (comm), forked or exited. How
// vrrp_track_process learns about processes without polling /proc. Needs CAP_NET_ADMIN, and
// the kernel sends these events only to sockets of the initial network namespace: a worker
// in another namespace (vigild -s NS) opens its socket there first.
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::net {

struct ProcEvent {
    enum class Kind : std::uint8_t { fork, exec, comm, exit };
    Kind kind = Kind::exec;
    pid_t pid = 0;     // the process (thread group) concerned; for fork, the child
    pid_t parent = 0;  // for fork: the parent process
};

class ProcEvents {
  public:
    // Subscribes; `initial_netns_fd` >= 0: the socket is created in that network namespace
    // (the calling thread enters it and comes back).
    static Result<ProcEvents> open(int initial_netns_fd = -1);

    // Non-blocking, close-on-exec.
    int fd() const { return fd_.get(); }
    // Every pending event, in the kernel's order. Thread events (a thread that is not its
    // process's leader) are left out.
    std::vector<ProcEvent> drain();
    // True once (then reset) when the kernel dropped events (the socket's buffer was full):
    // the caller must then read /proc again.
    bool take_overrun();

  private:
    explicit ProcEvents(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
    bool overrun_ = false;
};

}  // namespace vigil::net
