// Test support shared by the probe tests: a connect target, running a probe to completion on
// an io_context, and for the probes that need more than loopback (DNS, UDP, PING) a private
// network namespace with a veth pair and server processes that die with the test.
#pragma once

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "check/probe.h"

namespace vigil::check::testing {

inline ConnectTarget target(const char* address, std::uint16_t port,
                            std::chrono::microseconds timeout = std::chrono::seconds(2)) {
    ConnectTarget t;
    t.address = *IpAddress::parse(address);
    t.port = port;
    t.timeout = timeout;
    return t;
}

struct Timed {
    ProbeOutcome outcome;
    std::chrono::milliseconds took{};
};

// Runs one attempt of `p` on `ioc` until it finishes or `budget` passes.
inline Timed run_probe(boost::asio::io_context& ioc, Probe& p,
                       std::chrono::milliseconds budget = std::chrono::seconds(10)) {
    std::optional<ProbeOutcome> out;
    const auto start = std::chrono::steady_clock::now();
    ioc.restart();  // a loop that ran out of work stays stopped until restarted
    boost::asio::co_spawn(ioc, p.run(), [&](const std::exception_ptr& e, ProbeOutcome o) {
        EXPECT_FALSE(e) << "run() threw";
        out = std::move(o);
    });
    const auto deadline = start + budget;
    while (!out && std::chrono::steady_clock::now() < deadline)
        ioc.run_one_for(std::chrono::milliseconds(50));
    EXPECT_TRUE(out) << "probe did not finish";
    return {out.value_or(ProbeOutcome::failure(ProbeOutcome::Kind::io_error, "unfinished")),
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)};
}

// Once per test process: a network namespace of its own (gone when the process exits), lo up
// and a veth pair pn0 (192.0.2.1, 2001:db8::1) / pn1 (192.0.2.2, 2001:db8::2).
inline void enter_private_network() {
    static const bool ready = [] {
        if (::unshare(CLONE_NEWNET) != 0) return false;
        return std::system(  // NOLINT(cert-env33-c)
                   "ip link set lo up && ip link add pn0 type veth peer name pn1 && "
                   "ip link set pn0 up && ip link set pn1 up && "
                   "ip addr add 192.0.2.1/24 dev pn0 && ip addr add 192.0.2.2/24 dev pn1 && "
                   "ip -6 addr add 2001:db8::1/64 dev pn0 nodad && "
                   "ip -6 addr add 2001:db8::2/64 dev pn1 nodad") == 0;
    }();
    ASSERT_TRUE(ready) << "cannot set up a private network namespace (root needed)";
}

// A server process, killed with the test (and with us, should we die first).
class Child {
  public:
    explicit Child(std::vector<std::string> argv) {
        pid_ = ::fork();
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            std::vector<char*> args;
            for (auto& a : argv) args.push_back(a.data());
            args.push_back(nullptr);
            ::execvp(args[0], args.data());
            ::_exit(127);
        }
    }
    ~Child() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

  private:
    pid_t pid_ = -1;
};

}  // namespace vigil::check::testing
