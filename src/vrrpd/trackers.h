// The objects the VRRP instances track (vrrp_script, interfaces, track_file,
// vrrp_track_process), their states, when the scripts run, and which instances track what.
// Fed results and the time by the engine; the shells (script runner, inotify, the process
// connector, link events) only feed it. The arithmetic is vrrp/tracking.h's.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/model.h"
#include "core/log.h"
#include "net/linkbeat.h"
#include "vrrp/tracking.h"

namespace vigil::vrrpd {

using vrrp::Time;

enum class ScriptResult : std::uint8_t { success, failure, timed_out, not_runnable };

// A vrrp_track_process definition, for the shell that counts the processes.
struct ProcessDef {
    std::string name;
    std::vector<std::string> process;  // process[0] is the command (comm, or argv[0])
    config::ParamMatch param_match = config::ParamMatch::none;
    bool full_command = false;
};

// A track_file definition, for the shell that watches the files.
struct FileDef {
    std::string name;
    std::string path;
    std::optional<std::int32_t> init_value;  // init_file: written when the file is missing
    bool init_overwrite = false;             // ... or always, at start
};

// An interface whose link state is polled (linkbeat) instead of taken from link events.
struct LinkbeatDef {
    std::string interface;
    net::LinkbeatMethod method = net::LinkbeatMethod::automatic;
    bool operator==(const LinkbeatDef&) const = default;
};

// Whether a process (its name as the kernel keeps it, at most 15 characters, and its command
// line) is one `def` counts, as keepalived matches: the name, or argv[0] with full_command,
// then the parameters (exact; partial: the configured ones begin the command's; initial: the
// same, the last configured one beginning the command's).
bool process_matches(const ProcessDef& def, std::string_view comm,
                     const std::vector<std::string>& argv);

class Trackers {
  public:
    explicit Trackers(core::Logger log) : log_(std::move(log)) {}

    // (Re)builds from a configuration: a tracker whose definition is unchanged keeps its
    // state (a reload makes no FAULT or priority flap and no storm of script runs).
    void configure(const config::Model& m, Time now);

    vrrp::Tracked evaluate(const std::string& instance, std::uint8_t base) const;
    vrrp::TrackerStatus status(const vrrp::TrackerId& id) const;
    // The instances whose evaluation depends on `id`.
    std::vector<std::string> tracking(const vrrp::TrackerId& id) const;
    // Whether an instance's own interface is tracked (not `dont_track_primary`).
    bool tracks_own_interface(const std::string& instance) const;

    // Inputs; each returns whether the tracker's status changed.
    bool on_script_result(const std::string& name, ScriptResult r);
    // A track_file's content (nullopt: the file is missing or unreadable).
    bool on_file_content(const std::string& name, const std::optional<std::string>& content);
    bool on_process_count(const std::string& name, std::uint32_t count,
                          vrrp::ProcessQuorum::Cause cause, Time now);
    bool on_link(const std::string& ifname, bool up, bool removed, Time now);
    bool interface_up(const std::string& ifname) const;

    // The scripts to run now (one run per script however many instances track it; a script
    // still running skips its turn); each gets on_script_result when it ends.
    std::vector<std::string> due_scripts(Time now);
    // Delayed interface and process changes now in effect.
    std::vector<vrrp::TrackerId> on_timer(Time now);
    std::optional<Time> next_deadline() const;

    const config::ScriptSpec* script_spec(const std::string& name) const;
    std::chrono::milliseconds script_timeout(const std::string& name) const;
    std::vector<ProcessDef> processes() const;
    std::vector<FileDef> files() const;
    std::vector<std::string> interfaces() const;
    // The tracked interfaces polled by linkbeat (linkbeat_interfaces, linkbeat_use_polling):
    // their link events do not count, the shell's polls do.
    const std::vector<LinkbeatDef>& linkbeat() const { return linkbeat_; }
    bool polled(const std::string& ifname) const;

    nlohmann::json status_json() const;
    nlohmann::json instance_json(const std::string& instance, std::uint8_t base) const;
    // "  Tracking:" and a line per tracked object: status, weight, contribution.
    std::string instance_text(const std::string& instance, std::uint8_t base) const;
    // Every tracked object (SIGUSR1 and SIGUSR2 dumps).
    std::string stats_text() const;

  private:
    struct Script {
        config::VrrpScript def;
        vrrp::ScriptCounter counter;
        bool disabled = false;  // could not run before its first result: tracks nothing
        bool running = false;
        Time next_run{};
        std::uint64_t runs = 0;
        std::string last_result{};
    };
    struct File {
        config::TrackFile def;
        std::int64_t value = 0;
    };
    struct Process {
        config::TrackProcess def;
        vrrp::ProcessQuorum quorum;
    };
    struct InstanceRefs {
        std::vector<vrrp::TrackRef> refs;
        std::string own_interface;  // empty: not tracked (dont_track_primary, or none)
    };

    core::Logger log_;
    std::map<std::string, Script> scripts_;
    std::map<std::string, File> files_;
    std::map<std::string, Process> processes_;
    std::map<std::string, vrrp::InterfaceState> interfaces_;
    std::map<std::string, InstanceRefs> instances_;
    std::vector<LinkbeatDef> linkbeat_;
};

}  // namespace vigil::vrrpd
