#include "vrrpd/trackers.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vigil::vrrpd {

namespace {

using vrrp::TrackerId;
using vrrp::TrackerKind;

// Whether a reload changed a tracker's definition (where it is written does not count).
bool same(const config::VrrpScript& a, const config::VrrpScript& b) {
    const auto argv = [](const config::VrrpScript& s) {
        return s.script ? s.script->argv : std::vector<std::string>{};
    };
    return argv(a) == argv(b) && a.user == b.user && a.group == b.group &&
           a.interval == b.interval && a.timeout == b.timeout && a.rise == b.rise &&
           a.fall == b.fall && a.init_fail == b.init_fail;
}

bool same(const config::TrackProcess& a, const config::TrackProcess& b) {
    return a.process == b.process && a.param_match == b.param_match && a.quorum == b.quorum &&
           a.quorum_max == b.quorum_max && a.fork_delay == b.fork_delay &&
           a.terminate_delay == b.terminate_delay && a.full_command == b.full_command;
}

vrrp::Micros script_timeout_of(const config::VrrpScript& s) {
    return s.timeout.value_or(s.interval);  // keepalived: the interval when unset
}

}  // namespace

bool process_matches(const ProcessDef& def, std::string_view comm,
                     const std::vector<std::string>& argv) {
    if (def.process.empty()) return false;
    if (def.full_command) {
        if (argv.empty() || argv[0] != def.process[0]) return false;
    } else if (comm != def.process[0]) {
        return false;
    }
    const std::size_t want = def.process.size() - 1;  // configured parameters
    const std::size_t have = argv.empty() ? 0 : argv.size() - 1;
    switch (def.param_match) {
        case config::ParamMatch::none:
            return true;
        case config::ParamMatch::exact:
            if (have != want) return false;
            break;
        case config::ParamMatch::partial:
        case config::ParamMatch::initial:
            if (have < want) return false;
            break;
    }
    for (std::size_t i = 1; i <= want; ++i) {
        const bool last = i == want;
        if (last && def.param_match == config::ParamMatch::initial) {
            if (!argv[i].starts_with(def.process[i])) return false;
        } else if (argv[i] != def.process[i]) {
            return false;
        }
    }
    return true;
}

void Trackers::configure(const config::Model& m, Time now) {
    const auto& v = m.vrrp;
    // Which trackers some instance uses: the others are never run or read (keepalived).
    std::set<std::string> used_scripts, used_files, used_processes, used_interfaces;
    for (const auto& vi : v.instances) {
        for (const auto& r : vi.track_scripts) used_scripts.insert(r.name);
        for (const auto& r : vi.track_files) used_files.insert(r.name);
        for (const auto& r : vi.track_processes) used_processes.insert(r.name);
        for (const auto& r : vi.track_interfaces) used_interfaces.insert(r.name);
        if (!vi.interface.empty()) used_interfaces.insert(vi.interface);
    }

    std::map<std::string, Script> scripts;
    for (const auto& s : v.scripts) {
        if (!used_scripts.contains(s.name) || !s.script) continue;
        auto old = scripts_.find(s.name);
        Script next{s, vrrp::ScriptCounter(s.rise, s.fall, s.init_fail)};
        next.next_run = now;  // a new script runs at once
        if (old != scripts_.end() && same(old->second.def, s)) {
            next = std::move(old->second);
            next.def = s;
        } else if (old != scripts_.end()) {
            // Changed: a known result carries over, counted afresh (keepalived).
            next.counter = vrrp::ScriptCounter(s.rise, s.fall, s.init_fail, old->second.counter);
            next.runs = old->second.runs;
        }
        scripts.emplace(s.name, std::move(next));
    }
    scripts_ = std::move(scripts);

    std::map<std::string, File> files;
    for (const auto& f : v.track_files) {
        if (!used_files.contains(f.name)) continue;
        File next{f, 0};
        // The value is what the file holds: the shell reads it again at every reload.
        if (auto old = files_.find(f.name); old != files_.end() && old->second.def.file == f.file)
            next.value = old->second.value;
        files.emplace(f.name, std::move(next));
    }
    files_ = std::move(files);

    std::map<std::string, Process> processes;
    for (const auto& p : v.track_processes) {
        if (!used_processes.contains(p.name)) continue;
        // quorum_max 0 alone means "none may run": the quorum is then 0 too.
        const std::uint32_t min = p.quorum_max == 0U && !p.quorum_configured ? 0 : p.quorum;
        const std::uint32_t max = p.quorum_max.value_or(std::numeric_limits<std::uint32_t>::max());
        Process next{p, vrrp::ProcessQuorum(min, max, p.fork_delay, p.terminate_delay)};
        if (auto old = processes_.find(p.name); old != processes_.end() && same(old->second.def, p))
            next.quorum = old->second.quorum;
        processes.emplace(p.name, std::move(next));
    }
    processes_ = std::move(processes);

    std::map<std::string, vrrp::InterfaceState> interfaces;
    for (const auto& name : used_interfaces) {
        vrrp::Micros down{0}, up{0};
        for (const auto& d : m.globals.interface_up_down_delays)
            if (d.interface == name) {
                down = d.down_delay;
                up = d.up_delay;
            }
        auto state = vrrp::InterfaceState(down, up);
        if (auto old = interfaces_.find(name); old != interfaces_.end()) {
            // The state carries over; the new delays apply from the next change.
            const bool was_up = old->second.status().ok;
            (void)state.set(was_up, false, now);
        }
        interfaces.emplace(name, state);
    }
    interfaces_ = std::move(interfaces);

    // Polled: the interfaces listed in linkbeat_interfaces (with their method), and with
    // linkbeat_use_polling (global, or the instance's deprecated one) the instances' own;
    // only those tracked (keepalived turns the others off).
    linkbeat_.clear();
    const auto poll = [&](const std::string& name, net::LinkbeatMethod method) {
        if (!interfaces_.contains(name)) return;
        if (std::none_of(linkbeat_.begin(), linkbeat_.end(),
                         [&](const LinkbeatDef& d) { return d.interface == name; }))
            linkbeat_.push_back({name, method});
    };
    for (const auto& li : m.globals.linkbeat_interfaces) {
        using config::LinkbeatType;
        using net::LinkbeatMethod;
        poll(li.interface, li.type == LinkbeatType::mii       ? LinkbeatMethod::mii
                           : li.type == LinkbeatType::ethtool ? LinkbeatMethod::ethtool
                           : li.type == LinkbeatType::ioctl   ? LinkbeatMethod::ioctl
                                                              : LinkbeatMethod::automatic);
    }
    for (const auto& vi : v.instances)
        if (m.globals.defs.linkbeat_use_polling || vi.linkbeat_use_polling)
            poll(vi.interface, net::LinkbeatMethod::automatic);

    instances_.clear();
    for (const auto& vi : v.instances) {
        InstanceRefs refs;
        if (!vi.dont_track_primary) refs.own_interface = vi.interface;
        // (An address owner's weighted trackers were dropped when the configuration was
        // resolved: its priority is always 255.)
        const auto add = [&](TrackerKind kind, const config::TrackedRef& r, std::int32_t weight,
                             bool reverse) {
            if (r.weight) {
                weight = *r.weight;
                reverse = r.reverse;
            }
            refs.refs.push_back({{kind, r.name}, weight, reverse});
        };
        for (const auto& r : vi.track_scripts)
            if (auto it = scripts_.find(r.name); it != scripts_.end())
                add(TrackerKind::script, r, it->second.def.weight, it->second.def.weight_reverse);
        for (const auto& r : vi.track_interfaces) {
            // keepalived ignores its own interface here: it is tracked anyway.
            if (r.name == vi.interface && !vi.dont_track_primary) continue;
            add(TrackerKind::interface, r, 0, false);
        }
        for (const auto& r : vi.track_files)
            if (auto it = files_.find(r.name); it != files_.end())
                add(TrackerKind::file, r, it->second.def.weight, it->second.def.weight_reverse);
        for (const auto& r : vi.track_processes)
            if (auto it = processes_.find(r.name); it != processes_.end())
                add(TrackerKind::process, r, it->second.def.weight, it->second.def.weight_reverse);
        instances_.emplace(vi.name, std::move(refs));
    }
}

vrrp::TrackerStatus Trackers::status(const TrackerId& id) const {
    switch (id.kind) {
        case TrackerKind::script: {
            auto it = scripts_.find(id.name);
            if (it == scripts_.end() || it->second.disabled) return {true, true, 0};
            return it->second.counter.status();
        }
        case TrackerKind::interface:
            return {true, interface_up(id.name), 0};
        case TrackerKind::file: {
            auto it = files_.find(id.name);
            return {true, true, it == files_.end() ? 0 : it->second.value};
        }
        case TrackerKind::process: {
            auto it = processes_.find(id.name);
            return it == processes_.end() ? vrrp::TrackerStatus{} : it->second.quorum.status();
        }
    }
    return {};
}

vrrp::Tracked Trackers::evaluate(const std::string& instance, std::uint8_t base) const {
    auto it = instances_.find(instance);
    if (it == instances_.end()) return vrrp::evaluate(base, {}, {});
    return vrrp::evaluate(base, it->second.refs,
                          [this](const TrackerId& id) { return status(id); });
}

std::vector<std::string> Trackers::tracking(const TrackerId& id) const {
    std::vector<std::string> out;
    for (const auto& [name, refs] : instances_) {
        const bool own = id.kind == TrackerKind::interface && refs.own_interface == id.name;
        if (own || std::any_of(refs.refs.begin(), refs.refs.end(),
                               [&](const vrrp::TrackRef& r) { return r.id == id; }))
            out.push_back(name);
    }
    return out;
}

bool Trackers::tracks_own_interface(const std::string& instance) const {
    auto it = instances_.find(instance);
    return it != instances_.end() && !it->second.own_interface.empty();
}

bool Trackers::on_script_result(const std::string& name, ScriptResult r) {
    auto it = scripts_.find(name);
    if (it == scripts_.end()) return false;
    auto& s = it->second;
    s.running = false;
    const bool known = s.counter.status().known;
    switch (r) {
        case ScriptResult::not_runnable:
            // keepalived: a script that cannot run from the start is dropped from tracking; one
            // that cannot run later counts as a success.
            s.last_result = "cannot run";
            if (!known && !s.disabled) {
                s.disabled = true;
                log_->warn("VRRP script {} cannot run: it tracks nothing", name);
                return true;
            }
            if (s.disabled) return false;
            return s.counter.on_result(true);
        case ScriptResult::success:
            s.last_result = "success";
            break;
        case ScriptResult::failure:
            s.last_result = "failure";
            break;
        case ScriptResult::timed_out:
            s.last_result = "timed out";
            break;
    }
    const bool was_disabled = s.disabled;
    s.disabled = false;
    const bool changed = s.counter.on_result(r == ScriptResult::success) || was_disabled;
    if (changed)
        log_->info("VRRP script {} {}", name, s.counter.status().ok ? "succeeded" : "failed");
    return changed;
}

bool Trackers::on_file_content(const std::string& name, const std::optional<std::string>& content) {
    auto it = files_.find(name);
    if (it == files_.end()) return false;
    std::int64_t value = 0;
    if (content) {
        const auto parsed = vrrp::parse_track_file(*content);
        if (!parsed) {
            log_->warn("track_file {}: invalid number in {}; keeping {}", name, it->second.def.file,
                       it->second.value);
            return false;
        }
        value = *parsed;
    }
    if (value == it->second.value) return false;
    log_->info("track_file {} now {}", name, value);
    it->second.value = value;
    return true;
}

bool Trackers::on_process_count(const std::string& name, std::uint32_t count,
                                vrrp::ProcessQuorum::Cause cause, Time now) {
    auto it = processes_.find(name);
    if (it == processes_.end()) return false;
    const bool changed = it->second.quorum.set_count(count, cause, now);
    if (changed)
        log_->info("Quorum {} for tracked process {} ({} running)",
                   it->second.quorum.status().ok ? "gained" : "lost", name, count);
    return changed;
}

bool Trackers::on_link(const std::string& ifname, bool up, bool removed, Time now) {
    auto it = interfaces_.find(ifname);
    if (it == interfaces_.end()) return false;
    return it->second.set(up, removed, now);
}

bool Trackers::polled(const std::string& ifname) const {
    return std::any_of(linkbeat_.begin(), linkbeat_.end(),
                       [&](const LinkbeatDef& d) { return d.interface == ifname; });
}

bool Trackers::interface_up(const std::string& ifname) const {
    auto it = interfaces_.find(ifname);
    return it == interfaces_.end() || it->second.status().ok;
}

std::vector<std::string> Trackers::due_scripts(Time now) {
    std::vector<std::string> due;
    for (auto& [name, s] : scripts_) {
        if (s.next_run > now) continue;
        // Start to start every interval; a run that has not ended skips its turn. Runs missed
        // while the loop was held up are not made up: late, the next is an interval from now.
        s.next_run += s.def.interval;
        if (s.next_run <= now) s.next_run = now + s.def.interval;
        if (s.running) {
            log_->warn("VRRP script {} is still running: skipping a run", name);
            continue;
        }
        s.running = true;
        ++s.runs;
        due.push_back(name);
    }
    return due;
}

std::vector<TrackerId> Trackers::on_timer(Time now) {
    std::vector<TrackerId> changed;
    for (auto& [name, state] : interfaces_)
        if (state.on_timer(now)) changed.push_back({TrackerKind::interface, name});
    for (auto& [name, p] : processes_)
        if (p.quorum.on_timer(now)) {
            log_->info("Quorum {} for tracked process {} ({} running)",
                       p.quorum.status().ok ? "gained" : "lost", name, p.quorum.count());
            changed.push_back({TrackerKind::process, name});
        }
    return changed;
}

std::optional<Time> Trackers::next_deadline() const {
    std::optional<Time> first;
    const auto consider = [&first](std::optional<Time> t) {
        if (t && (!first || *t < *first)) first = t;
    };
    for (const auto& [name, s] : scripts_) consider(s.next_run);
    for (const auto& [name, i] : interfaces_) consider(i.next_deadline());
    for (const auto& [name, p] : processes_) consider(p.quorum.next_deadline());
    return first;
}

const config::ScriptSpec* Trackers::script_spec(const std::string& name) const {
    auto it = scripts_.find(name);
    return it == scripts_.end() || !it->second.def.script ? nullptr : &*it->second.def.script;
}

std::chrono::milliseconds Trackers::script_timeout(const std::string& name) const {
    auto it = scripts_.find(name);
    if (it == scripts_.end()) return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(script_timeout_of(it->second.def));
}

std::vector<ProcessDef> Trackers::processes() const {
    std::vector<ProcessDef> out;
    for (const auto& [name, p] : processes_) {
        ProcessDef d{name, p.def.process, p.def.param_match, p.def.full_command};
        // keepalived: parameters make it compare the whole command line, exactly by default.
        if (d.process.size() > 1) {
            d.full_command = true;
            if (d.param_match == config::ParamMatch::none)
                d.param_match = config::ParamMatch::exact;
        }
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<FileDef> Trackers::files() const {
    std::vector<FileDef> out;
    for (const auto& [name, f] : files_) {
        FileDef d{name, f.def.file, std::nullopt, f.def.init_overwrite};
        if (f.def.init_file) d.init_value = f.def.init_value;
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<std::string> Trackers::interfaces() const {
    std::vector<std::string> out;
    for (const auto& [name, i] : interfaces_) out.push_back(name);
    return out;
}

nlohmann::json Trackers::status_json() const {
    nlohmann::json scripts = nlohmann::json::array();
    for (const auto& [name, s] : scripts_) {
        const auto st = s.counter.status();
        scripts.push_back({{"name", name},
                           {"state", s.disabled  ? "disabled"
                                     : !st.known ? "init"
                                     : st.ok     ? "good"
                                                 : "bad"},
                           {"last_result", s.last_result},
                           {"runs", s.runs},
                           {"running", s.running},
                           {"weight", s.def.weight},
                           {"reverse", s.def.weight_reverse},
                           {"rise", s.def.rise},
                           {"fall", s.def.fall}});
    }
    nlohmann::json files = nlohmann::json::array();
    for (const auto& [name, f] : files_)
        files.push_back({{"name", name},
                         {"file", f.def.file},
                         {"value", f.value},
                         {"weight", f.def.weight},
                         {"reverse", f.def.weight_reverse}});
    nlohmann::json processes = nlohmann::json::array();
    for (const auto& [name, p] : processes_)
        processes.push_back({{"name", name},
                             {"running", p.quorum.count()},
                             {"quorum", p.quorum.status().ok},
                             {"weight", p.def.weight},
                             {"reverse", p.def.weight_reverse}});
    nlohmann::json interfaces = nlohmann::json::array();
    for (const auto& [name, i] : interfaces_)
        interfaces.push_back({{"name", name}, {"up", i.status().ok}});
    return {{"scripts", scripts},
            {"files", files},
            {"processes", processes},
            {"interfaces", interfaces}};
}

nlohmann::json Trackers::instance_json(const std::string& instance, std::uint8_t base) const {
    nlohmann::json out = nlohmann::json::array();
    auto it = instances_.find(instance);
    if (it == instances_.end()) return out;
    for (const auto& r : it->second.refs) {
        const auto st = status(r.id);
        const auto c = vrrp::contribution(r, st);
        out.push_back({{"kind", vrrp::to_string(r.id.kind)},
                       {"name", r.id.name},
                       {"weight", r.weight},
                       {"reverse", r.reverse},
                       {"ok", st.known ? nlohmann::json(st.ok) : nlohmann::json()},
                       {"contribution", base == vrrp::owner_priority ? 0 : c.delta},
                       {"fault", c.fault}});
    }
    return out;
}

std::string Trackers::instance_text(const std::string& instance, std::uint8_t base) const {
    auto it = instances_.find(instance);
    if (it == instances_.end()) return {};
    std::string out;
    if (!it->second.own_interface.empty())
        out += fmt::format("  Own interface {}: {}\n", it->second.own_interface,
                           interface_up(it->second.own_interface) ? "up" : "down (FAULT)");
    if (it->second.refs.empty()) return out;
    out += "  Tracking:\n";
    for (const auto& r : it->second.refs) {
        const auto st = status(r.id);
        const auto c = vrrp::contribution(r, st);
        const std::string weight =
            r.weight == 0 ? "weight 0 (FAULT when failing)"
                          : fmt::format("weight {}{}", r.weight, r.reverse ? " reverse" : "");
        out += fmt::format(
            "    {} {}: {}, {}, contribution {}{}\n", vrrp::to_string(r.id.kind), r.id.name,
            !st.known ? "unknown"
            : st.ok   ? "OK"
                      : "FAILED",
            weight, base == vrrp::owner_priority ? 0 : c.delta, c.fault ? ", FAULT" : "");
    }
    return out;
}

std::string Trackers::stats_text() const {
    std::string out = "------ VRRP tracking ------\n";
    for (const auto& [name, s] : scripts_) {
        const auto st = s.counter.status();
        out += fmt::format(
            "VRRP Script: {}\n  Status: {}\n  Weight: {}{}\n  Runs: {}\n  Last result: {}\n", name,
            s.disabled  ? "disabled"
            : !st.known ? "init"
            : st.ok     ? "GOOD"
                        : "BAD",
            s.def.weight, s.def.weight_reverse ? " reverse" : "", s.runs, s.last_result);
    }
    for (const auto& [name, f] : files_)
        out +=
            fmt::format("Track file: {}\n  File: {}\n  Value: {}\n  Weight: {}{}\n", name,
                        f.def.file, f.value, f.def.weight, f.def.weight_reverse ? " reverse" : "");
    for (const auto& [name, p] : processes_)
        out += fmt::format("Track process: {}\n  Running: {}\n  Quorum: {}\n  Weight: {}{}\n", name,
                           p.quorum.count(), p.quorum.status().ok ? "yes" : "no", p.def.weight,
                           p.def.weight_reverse ? " reverse" : "");
    for (const auto& [name, i] : interfaces_)
        out += fmt::format("Track interface: {}\n  Status: {}{}\n", name,
                           i.status().ok ? "up" : "down", polled(name) ? " (linkbeat)" : "");
    return out;
}

}  // namespace vigil::vrrpd
