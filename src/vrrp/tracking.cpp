#include "vrrp/tracking.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace vigil::vrrp {

std::string_view to_string(TrackerKind k) {
    switch (k) {
        case TrackerKind::script:
            return "script";
        case TrackerKind::interface:
            return "interface";
        case TrackerKind::file:
            return "file";
        case TrackerKind::process:
            return "process";
    }
    return "?";
}

Contribution contribution(const TrackRef& ref, const TrackerStatus& status) {
    // Before its first result a script holds a FAULT tracker's instances in FAULT and adds
    // nothing to a weighted one's.
    if (!status.known) return {0, ref.weight == 0};
    const std::int64_t m = ref.reverse ? -1 : 1;
    const std::int64_t w = ref.weight;
    if (ref.id.kind == TrackerKind::file) {
        if (w == 0) return {0, ref.reverse ? status.value == 0 : status.value != 0};
        const std::int64_t c = std::clamp<std::int64_t>(status.value * w * m, -254, 253);
        if (c == -254) return {0, true};
        return {c, false};
    }
    if (w == 0) return {0, ref.reverse ? status.ok : !status.ok};
    if (w > 0) return {status.ok ? w * m : 0, false};
    return {status.ok ? 0 : w * m, false};
}

Tracked evaluate(std::uint8_t base, const std::vector<TrackRef>& refs, const StatusOf& status) {
    Tracked t;
    t.total = base;
    for (const auto& ref : refs) {
        const auto c = contribution(ref, status(ref.id));
        if (c.fault && !t.fault) {
            t.fault = true;
            t.fault_by = ref.id;
        }
        // The address owner keeps 255: its weighted trackers are ignored (keepalived).
        if (base != owner_priority) t.total += c.delta;
    }
    t.priority = base == owner_priority
                     ? owner_priority
                     : static_cast<std::uint8_t>(std::clamp<std::int64_t>(t.total, 1, 254));
    return t;
}

ScriptCounter::ScriptCounter(int rise, int fall, bool init_fail)
    : rise_(std::max(rise, 1)), fall_(std::max(fall, 1)) {
    if (init_fail) known_ = true;  // failed, and `rise` successes away from OK
}

ScriptCounter::ScriptCounter(int rise, int fall, bool init_fail, const ScriptCounter& previous)
    : ScriptCounter(rise, fall, init_fail) {
    if (previous.known_) {
        known_ = true;
        ok_ = previous.ok_;
    }
}

bool ScriptCounter::on_result(bool success) {
    if (!known_) {
        known_ = true;
        ok_ = success;
        return true;
    }
    if (success) {
        failures_ = 0;
        if (ok_) return false;
        if (++successes_ < rise_) return false;
        ok_ = true;
        successes_ = 0;
        return true;
    }
    successes_ = 0;
    if (!ok_) return false;
    if (++failures_ < fall_) return false;
    ok_ = false;
    failures_ = 0;
    return true;
}

std::optional<std::int64_t> parse_track_file(std::string_view content) {
    // keepalived reads at most 127 bytes.
    const std::string_view s = content.substr(0, 127);
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) != 0) ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    int base = 10;
    if (i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
        i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 2])) != 0) {
        base = 16;
        i += 2;
    } else if (i < s.size() && s[i] == '0') {
        base = 8;
    }
    const auto digit = [base](char c) -> int {
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        return d < base ? d : -1;
    };
    constexpr std::int64_t cap = std::int64_t{1} << 40;  // far beyond the accepted range
    std::int64_t v = 0;
    for (; i < s.size(); ++i) {
        const int d = digit(s[i]);
        if (d < 0) break;
        v = std::min(cap, v * base + d);
    }
    if (negative) v = -v;
    // keepalived ignores values below INT32_MIN or above INT32_MAX + 1.
    if (v < std::numeric_limits<std::int32_t>::min() ||
        v > std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1)
        return std::nullopt;
    return v;
}

ProcessQuorum::ProcessQuorum(std::uint32_t min, std::uint32_t max, Micros fork_delay,
                             Micros terminate_delay)
    : min_(min), max_(max), fork_delay_(fork_delay), terminate_delay_(terminate_delay) {
    quorum_ = within(0);  // quorum_max 0: OK while no process runs
}

bool ProcessQuorum::set_count(std::uint32_t count, Cause cause, Time now) {
    count_ = count;
    const bool wanted = within(count);
    if (wanted == quorum_) {
        pending_at_.reset();
        return false;
    }
    const Micros delay = wanted && cause == Cause::fork    ? fork_delay_
                         : !wanted && cause == Cause::exit ? terminate_delay_
                                                           : Micros{0};
    if (delay > Micros{0}) {
        if (!pending_at_) pending_at_ = now + delay;
        return false;
    }
    pending_at_.reset();
    quorum_ = wanted;
    return true;
}

bool ProcessQuorum::on_timer(Time now) {
    if (!pending_at_ || *pending_at_ > now) return false;
    pending_at_.reset();
    const bool wanted = within(count_);
    if (wanted == quorum_) return false;
    quorum_ = wanted;
    return true;
}

bool InterfaceState::set(bool up, bool removed, Time now) {
    wanted_ = up && !removed;
    if (wanted_ == up_) {
        pending_at_.reset();
        return false;
    }
    const Micros delay = wanted_ ? up_delay_ : down_delay_;
    if (removed || !seen_up_ || delay <= Micros{0}) {
        pending_at_.reset();
        up_ = wanted_;
        seen_up_ = seen_up_ || up_;
        return true;
    }
    if (!pending_at_) pending_at_ = now + delay;
    return false;
}

bool InterfaceState::on_timer(Time now) {
    if (!pending_at_ || *pending_at_ > now) return false;
    pending_at_.reset();
    if (wanted_ == up_) return false;
    up_ = wanted_;
    seen_up_ = seen_up_ || up_;
    return true;
}

}  // namespace vigil::vrrp
