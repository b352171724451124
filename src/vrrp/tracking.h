// Tracking (keepalived.conf(5): track_script, track_interface, track_file, track_process),
// pure: what a tracked object's status means for the instances that track it, how a
// vrrp_script's results are counted (rise, fall), how a track_file's content is read, and
// how a process count gives a quorum. Fed results and the time; no I/O.
//
// keepalived 2.2.7's semantics, from its source and measured (docs/vrrp.md, Tracking):
// - effective priority = base + the contributions of the trackers, clamped to 1..254; the
//   address owner (255) keeps 255 (its weighted trackers are ignored);
// - a tracker with weight w (m = -1 with `reverse`, else 1) contributes w*m while OK when
//   w > 0, and w*m while failed when w < 0; with weight 0 its failure (with `reverse`: its
//   success) puts the instance in FAULT;
// - a track_file contributes value*w*m clamped to -254..253, -254 meaning FAULT; with
//   weight 0 a non-zero value (with `reverse`: zero) means FAULT.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vrrp/instance.h"

namespace vigil::vrrp {

enum class TrackerKind : std::uint8_t { script, interface, file, process };
std::string_view to_string(TrackerKind k);

struct TrackerId {
    TrackerKind kind = TrackerKind::script;
    std::string name;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const TrackerId&) const = default;
};

// What a tracker says now.
struct TrackerStatus {
    bool known = true;       // false: a script before its first result
    bool ok = true;          // script passing, interface up, process quorum
    std::int64_t value = 0;  // track_file: the value read
};

// One tracker of an instance, with the weight that applies (the track_* line's, else the
// tracker's own).
struct TrackRef {
    TrackerId id;
    std::int32_t weight = 0;
    bool reverse = false;
};

struct Contribution {
    std::int64_t delta = 0;
    bool fault = false;
};
Contribution contribution(const TrackRef& ref, const TrackerStatus& status);

struct Tracked {
    std::uint8_t priority = 100;  // the effective priority
    std::int64_t total = 100;     // before clamping
    bool fault = false;
    // The tracker that causes the fault (the first one), for the log and the status.
    std::optional<TrackerId> fault_by;
};
using StatusOf = std::function<TrackerStatus(const TrackerId&)>;
Tracked evaluate(std::uint8_t base, const std::vector<TrackRef>& refs, const StatusOf& status);

// A vrrp_script's results: `rise` consecutive successes make it OK, `fall` consecutive
// failures make it failed; the very first result decides at once (keepalived). With
// `init_fail` it starts failed and needs `rise` successes (keepalived.conf(5); keepalived
// 2.2.7 ignores the keyword).
class ScriptCounter {
  public:
    ScriptCounter(int rise, int fall, bool init_fail);
    // A reload with new rise/fall: a known state carries over.
    ScriptCounter(int rise, int fall, bool init_fail, const ScriptCounter& previous);

    // Returns whether the status changed (including the first result).
    bool on_result(bool success);
    TrackerStatus status() const { return {known_, ok_, 0}; }
    int rise() const { return rise_; }
    int fall() const { return fall_; }

  private:
    int rise_;
    int fall_;
    bool known_ = false;
    bool ok_ = false;
    int successes_ = 0;
    int failures_ = 0;
};

// A track_file's content as keepalived reads it: the first number as C's strtol with base 0
// reads it (leading blanks and a sign, 0x hexadecimal, 0 octal; 0 when there is none); nullopt
// when out of the 32-bit range (the previous value is kept).
std::optional<std::int64_t> parse_track_file(std::string_view content);

// A vrrp_track_process's quorum with its delays: a count reached by a fork waits fork_delay,
// one lost by an exit waits terminate_delay; a change the other way cancels what is pending.
class ProcessQuorum {
  public:
    enum class Cause : std::uint8_t { scan, exec, fork, exit };
    ProcessQuorum(std::uint32_t min, std::uint32_t max, Micros fork_delay, Micros terminate_delay);

    // The number of matching processes changed; returns whether the quorum status did.
    bool set_count(std::uint32_t count, Cause cause, Time now);
    // Call when next_deadline() has passed; returns whether the quorum status changed.
    bool on_timer(Time now);
    std::optional<Time> next_deadline() const { return pending_at_; }
    TrackerStatus status() const { return {true, quorum_, 0}; }
    std::uint32_t count() const { return count_; }

  private:
    bool within(std::uint32_t n) const { return n >= min_ && n <= max_; }
    std::uint32_t min_;
    std::uint32_t max_;
    Micros fork_delay_;
    Micros terminate_delay_;
    std::uint32_t count_ = 0;
    bool quorum_ = false;
    std::optional<Time> pending_at_;
};

// An interface's up/down as tracking sees it (IFF_UP and IFF_RUNNING), with the
// interface_up_down_delays debounce: a change waits its delay, and is dropped when the
// interface is back before then. The delays apply once the interface was seen up.
class InterfaceState {
  public:
    InterfaceState(Micros down_delay, Micros up_delay)
        : down_delay_(down_delay), up_delay_(up_delay) {}
    // Returns whether the tracked state changed now. `removed`: gone at once, no delay.
    bool set(bool up, bool removed, Time now);
    bool on_timer(Time now);
    std::optional<Time> next_deadline() const { return pending_at_; }
    TrackerStatus status() const { return {true, up_, 0}; }

  private:
    Micros down_delay_;
    Micros up_delay_;
    bool up_ = false;
    bool seen_up_ = false;
    bool wanted_ = false;
    std::optional<Time> pending_at_;
};

}  // namespace vigil::vrrp
