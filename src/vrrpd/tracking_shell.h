// The tracking shells of the VRRP worker, on its io_context: vrrp_script runs through the
// script runner (no shell, script_user, script security, a timeout that kills the process
// group), track_file contents through inotify on the files' directories, and
// vrrp_track_process counts through the kernel's process-event connector after one scan of
// /proc. No polling. Results go to the Sink (the engine).
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/unique_fd.h"
#include "config/model.h"
#include "core/log.h"
#include "core/script_policy.h"
#include "core/script_runner.h"
#include "net/linkbeat.h"
#include "net/proc_events.h"
#include "vrrpd/ports.h"

namespace vigil::vrrpd {

class AsioTrackingShell final : public TrackingShell {
  public:
    struct Sink {
        std::function<void(const std::string&, ScriptResult)> script;
        std::function<void(const std::string&, const std::optional<std::string>&)> file;
        std::function<void(const std::string&, std::uint32_t, vrrp::ProcessQuorum::Cause)> process;
        std::function<void(const std::string&, bool)> linkbeat;
    };

    // initial_netns_fd: see core::RuntimeOptions; -1 when vigild was not moved by -s.
    AsioTrackingShell(boost::asio::io_context& ioc, core::Logger log, int initial_netns_fd);
    void set_sink(Sink s) { sink_ = std::move(s); }
    // Who scripts run as (script_user, enable_script_security): from each configuration.
    void configure(const config::Model& m);
    // Daemon stop: running scripts and everything they started are killed.
    void stop() { runner_.kill_all(); }

    void run_script(const std::string& name, const config::ScriptSpec& script,
                    std::chrono::milliseconds timeout) override;
    void watch_files(const std::vector<FileDef>& files, bool start) override;
    void watch_processes(const std::vector<ProcessDef>& processes) override;
    void watch_linkbeat(const std::vector<LinkbeatDef>& interfaces) override;

  private:
    // Files.
    void watch_inotify();
    void read_file(const std::string& name, const std::string& path);
    // Processes.
    bool open_process_events();
    void watch_process_events();
    void scan_processes();
    std::set<std::string> matching(pid_t pid, bool name_only, const std::set<std::string>& keep);
    void set_matches(pid_t pid, std::set<std::string> now, vrrp::ProcessQuorum::Cause cause);
    void deliver_counts(const std::map<std::string, std::uint32_t>& before,
                        vrrp::ProcessQuorum::Cause cause);
    std::map<std::string, std::uint32_t> counts() const;
    // Linkbeat.
    void poll_links();

    boost::asio::io_context& ioc_;
    core::Logger log_;
    Sink sink_;
    core::ScriptRunner runner_;
    int initial_netns_fd_;
    std::optional<core::ScriptPolicy> policy_;

    UniqueFd inotify_;
    std::optional<boost::asio::posix::stream_descriptor> inotify_watch_;
    // inotify watch descriptor -> directory; directory -> (file name -> tracker names).
    std::map<int, std::string> watched_dirs_;
    std::map<std::string, std::map<std::string, std::vector<std::string>>> files_in_dir_;

    std::vector<ProcessDef> processes_;
    std::optional<net::ProcEvents> events_;
    std::optional<boost::asio::posix::stream_descriptor> events_watch_;
    bool events_failed_ = false;
    std::map<pid_t, std::set<std::string>> pids_;  // tracked pid -> the definitions it matches

    struct Polled {
        LinkbeatDef def;
        net::LinkbeatMethod found = net::LinkbeatMethod::automatic;  // what worked last
        std::optional<bool> up;                                      // last reported
    };
    std::optional<net::Linkbeat> linkbeat_;
    std::vector<Polled> polled_;
    boost::asio::steady_timer linkbeat_timer_;
};

}  // namespace vigil::vrrpd
