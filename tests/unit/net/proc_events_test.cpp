// The process-event connector against the kernel: a child's fork, exec and exit are seen,
// also from a network namespace of its own once the socket is opened in the initial one
// (the kernel sends these events there only).
#include "net/proc_events.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <vector>

namespace vigil::net {
namespace {

// Runs /bin/true in a child and returns its pid (reaped).
pid_t run_true() {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::execl("/bin/true", "true", nullptr);
        ::_exit(127);
    }
    ::waitpid(pid, nullptr, 0);
    return pid;
}

std::vector<ProcEvent> events_of(ProcEvents& e, pid_t pid) {
    std::vector<ProcEvent> seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{e.fd(), POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        for (const auto& ev : e.drain())
            if (ev.pid == pid) seen.push_back(ev);
        if (!seen.empty() && seen.back().kind == ProcEvent::Kind::exit) break;
    }
    return seen;
}

TEST(ProcEvents, SeesForkExecAndExit) {
    // Other tests of this program may have left it in a namespace of its own; ctest runs
    // each test in a process of its own, which starts in the initial one.
    int initial = ::open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC);
    if (initial < 0) initial = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(initial, 0);
    auto e = ProcEvents::open(initial);
    ::close(initial);
    ASSERT_TRUE(e.ok()) << e.error();
    const pid_t pid = run_true();
    const auto seen = events_of(e.value(), pid);
    ASSERT_GE(seen.size(), 3U);
    EXPECT_EQ(seen[0].kind, ProcEvent::Kind::fork);
    EXPECT_EQ(seen[0].parent, ::getpid());
    EXPECT_EQ(seen[1].kind, ProcEvent::Kind::exec);
    EXPECT_EQ(seen.back().kind, ProcEvent::Kind::exit);
}

// keepalived under `ip netns exec` sees no process at all; vigild opens its socket in the
// initial namespace first.
TEST(ProcEvents, WorksFromAnotherNetworkNamespace) {
    const int initial = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(initial, 0);
    if (::unshare(CLONE_NEWNET) != 0) GTEST_SKIP() << "needs root";
    EXPECT_FALSE(ProcEvents::open().ok());  // the kernel refuses it there
    auto e = ProcEvents::open(initial);
    ASSERT_TRUE(e.ok()) << e.error();
    // Still in our own namespace afterwards.
    struct stat self {};
    struct stat init {};
    ASSERT_EQ(::stat("/proc/thread-self/ns/net", &self), 0);
    ASSERT_EQ(::fstat(initial, &init), 0);
    EXPECT_NE(self.st_ino, init.st_ino);
    const pid_t pid = run_true();
    EXPECT_FALSE(events_of(e.value(), pid).empty());
    ::close(initial);
}

}  // namespace
}  // namespace vigil::net
