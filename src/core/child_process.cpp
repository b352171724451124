#include "core/child_process.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::core {

namespace {

int pidfd_open(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(const SpawnOptions& opts, const sigset_t& mask, char* const* argv,
                             int err_fd, pid_t parent) {
    const auto fail = [err_fd](int stage) {
        const int e[2] = {stage, errno};
        (void)!::write(err_fd, e, sizeof e);
        ::_exit(127);
    };
    for (int s = 1; s < NSIG; ++s) ::signal(s, SIG_DFL);
    ::sigprocmask(SIG_SETMASK, &mask, nullptr);
    if (opts.own_process_group && ::setpgid(0, 0) != 0) fail(2);
    const int out = opts.output_fd >= 0 ? opts.output_fd : ::open("/dev/null", O_WRONLY);
    const int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || in < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) fail(3);
    // Nothing of the daemon's survives into the script but 0, 1 and 2 (and inherit_fd, for
    // vigild's own workers): a descriptor someone forgot to mark close-on-exec (a raw socket,
    // a netlink socket) would hand a script run as an unprivileged user the daemon's powers.
    // The error pipe keeps its close-on-exec.
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) fail(3);
    if (opts.inherit_fd > STDERR_FILENO && ::fcntl(opts.inherit_fd, F_SETFD, 0) != 0) fail(3);
    if (opts.run_as) {
        const auto& c = *opts.run_as;
        if (::setgroups(c.groups.size(), c.groups.data()) != 0 || ::setgid(c.gid) != 0 ||
            ::setuid(c.uid) != 0)
            fail(4);
    }
    // After the change of user, which clears it: a script running as script_user dies with
    // the daemon too.
    if (opts.parent_death_signal != 0) {
        if (::prctl(PR_SET_PDEATHSIG, opts.parent_death_signal) != 0) fail(1);
        if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    }
    ::execvp(argv[0], argv);
    fail(5);
    ::_exit(127);
}

const char* stage_name(int stage) {
    switch (stage) {
        case 1:
            return "set the parent-death signal";
        case 2:
            return "create a process group";
        case 3:
            return "set up standard descriptors";
        case 4:
            return "switch user";
        default:
            return "execute";
    }
}

// What a child wrote to the exec-error pipe before failing to run `program`, if anything.
// Blocks until the child has executed or exited (its end of the pipe is close-on-exec).
std::optional<std::string> read_exec_error(int fd, const std::string& program) {
    int e[2] = {0, 0};
    if (::read(fd, e, sizeof e) != static_cast<ssize_t>(sizeof e)) return std::nullopt;
    return fmt::format("cannot {} '{}': {}", stage_name(e[0]), program, strerror(e[1]));
}

}  // namespace

Result<Child> spawn_child(const SpawnOptions& opts) {
    if (opts.argv.empty() || opts.argv[0].empty()) return Error{"empty command"};
    sigset_t mask;
    ::sigemptyset(&mask);
    for (const int s : opts.blocked_signals) ::sigaddset(&mask, s);
    std::vector<char*> argv;
    argv.reserve(opts.argv.size() + 1);
    for (const auto& a : opts.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) return Error{fmt::format("pipe: {}", strerror(errno))};
    UniqueFd err_read(err_pipe[0]);
    UniqueFd err_write(err_pipe[1]);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) return Error{fmt::format("fork: {}", strerror(errno))};
    if (pid == 0) exec_child(opts, mask, argv.data(), err_write.get(), parent);
    err_write.reset();

    Child child;
    child.pid = pid;
    child.pidfd = UniqueFd(pidfd_open(pid));
    if (!opts.wait_for_exec) {
        if (!child.pidfd.valid()) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            return Error{fmt::format("pidfd_open: {}", strerror(errno))};
        }
        child.exec_errors = std::move(err_read);
        return child;
    }
    if (auto failed = read_exec_error(err_read.get(), opts.argv[0])) {
        ::waitpid(pid, nullptr, 0);
        return Error{*failed};
    }
    if (!child.pidfd.valid()) return Error{fmt::format("pidfd_open: {}", strerror(errno))};
    return child;
}

std::optional<std::string> exec_error(const Child& c, const std::string& program) {
    // The child has exited: its end is closed, the read does not block.
    return c.exec_errors.valid() ? read_exec_error(c.exec_errors.get(), program) : std::nullopt;
}

std::optional<ChildStatus> reap_child(const Child& c) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(c.pid), &info, WEXITED | WNOHANG) != 0 ||
        info.si_pid == 0)
        return std::nullopt;
    ChildStatus s;
    s.signaled = info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED;
    s.code = info.si_status;
    return s;
}

}  // namespace vigil::core
