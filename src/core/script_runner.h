// Runs scripts (notify, vrrp_script, MISC_CHECK...) asynchronously on the worker's event loop:
// no shell, output captured line by line into the log, a timeout that kills the script's
// whole process group, and the exit status handed to a callback. Never blocks the loop.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>

#include "core/credentials.h"
#include "core/log.h"

namespace vigil::core {

struct ScriptJob {
    std::string name;  // for the log: "notify_master (VI_1)"
    std::vector<std::string> argv;
    std::optional<Credentials> run_as;     // unset: run as vigild's own user
    std::chrono::milliseconds timeout{0};  // 0: no timeout
};

struct ScriptOutcome {
    enum class Kind { exited, signaled, timed_out, not_started } kind = Kind::exited;
    int code = 0;       // exit status, or signal number
    std::string error;  // for not_started
    bool success() const { return kind == Kind::exited && code == 0; }
};

std::string describe(const ScriptOutcome& o);

class ScriptRunner {
  public:
    using Done = std::function<void(const ScriptOutcome&)>;

    ScriptRunner(boost::asio::any_io_executor ex, Logger log);
    ~ScriptRunner();
    ScriptRunner(const ScriptRunner&) = delete;
    ScriptRunner& operator=(const ScriptRunner&) = delete;

    void run(ScriptJob job, Done done);
    std::size_t running() const;
    // Stops every running script (its whole process group): on daemon stop. Their callbacks
    // still run, with the outcome.
    void terminate_all();
    // Kills every running script's whole process group at once (SIGKILL), and what is left
    // of those waiting for their SIGKILL after a SIGTERM: at a stop that cannot wait for a
    // grace period.
    void kill_all();

    // How long a timed-out script gets between SIGTERM and SIGKILL of its group.
    static constexpr std::chrono::milliseconds kill_grace{1000};
    // Output past this many bytes per run is read and dropped, to bound memory.
    static constexpr std::size_t max_logged_output = std::size_t{64} * 1024;

  private:
    struct Run;
    boost::asio::any_io_executor ex_;
    Logger log_;
    std::shared_ptr<std::size_t> running_;
    std::shared_ptr<std::set<pid_t>> condemned_;  // process groups waiting for their SIGKILL
    std::vector<std::weak_ptr<Run>> runs_;
};

}  // namespace vigil::core
