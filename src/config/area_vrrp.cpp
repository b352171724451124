// Keyword tables of the VRRP area: vrrp_script, track_file, vrrp_track_process,
// vrrp_sync_group, garp_group; vrrp_instance is in area_vrrp_instance.cpp and the checks
// across objects in area_vrrp_resolve.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "config/area_vrrp_parts.h"
#include "config/areas.h"

namespace vigil::config {

using namespace std::chrono_literals;

namespace vrrp_detail {

namespace {

struct TrackRule {
    std::string_view what;  // "track_script", ... for messages
    std::int32_t min;
    std::int32_t max;
    bool noreverse_ok;  // keepalived 2.2.7 rejects noreverse in track_interface
};

TrackRule rule_for(TrackKind kind) {
    switch (kind) {
        case TrackKind::interface:
            return {"track_interface", -253, 253, false};
        case TrackKind::script:
            return {"track_script", -253, 253, true};
        case TrackKind::file:
            return {"track_file", -254, 254, true};
        case TrackKind::process:
            return {"track_process", -254, 254, true};
        case TrackKind::bfd:
            return {"track_bfd", -253, 253, true};
    }
    return {"track", -253, 253, true};
}

}  // namespace

void read_track_block(const Args& a, std::vector<TrackedRef>& out, TrackKind kind) {
    const TrackRule rule = rule_for(kind);
    a.count(0, 0, std::string(rule.what) + " {");
    const std::string usage = fmt::format("NAME [weight <{}..{}> [reverse{}]]", rule.min, rule.max,
                                          rule.noreverse_ok ? "|noreverse" : "");
    for_each_item(a, [&](const Args& item) {
        if (item.node().has_block) {
            item.diags().error(item.node().block_open.loc,
                               fmt::format("{}: unexpected '{{'; expected '{}'", rule.what, usage));
            return;
        }
        TrackedRef r;
        r.loc = item.loc(0);
        r.name = item.text(0);
        // keepalived ignores, with a warning, words it does not know on a tracking line.
        if (item.has(1) && item.text(1) != "weight") {
            item.warning(
                1, fmt::format("unknown option '{}' ignored; expected '{}'", item.text(1), usage));
        } else if (item.has(1)) {
            const auto w = item.integer(2, rule.min, rule.max);
            if (!w) return;
            r.weight = static_cast<std::int32_t>(*w);
            if (item.has(3)) {
                if (item.text(3) == "reverse") {
                    r.reverse = true;
                } else if (!(rule.noreverse_ok && item.text(3) == "noreverse")) {
                    item.warning(3, fmt::format("unknown weight option '{}' ignored; expected '{}'",
                                                item.text(3), usage));
                }
            }
            if (item.has(4))
                item.warning(4, fmt::format("unexpected argument '{}' ignored; expected '{}'",
                                            item.text(4), usage));
        }
        const bool dup = std::any_of(out.begin(), out.end(),
                                     [&](const TrackedRef& o) { return o.name == r.name; });
        if (dup) {
            item.warning(0, fmt::format("duplicate {} '{}'; ignored", rule.what, r.name));
            return;
        }
        out.push_back(std::move(r));
    });
}

std::optional<std::int32_t> read_weight(const Args& a, std::int32_t min, std::int32_t max,
                                        bool& reverse) {
    const std::string usage = fmt::format("weight <{}..{}> [reverse]", min, max);
    if (!a.count(1, 2, usage)) return std::nullopt;
    const auto w = a.integer(0, min, max);
    if (!w) return std::nullopt;
    if (a.has(1)) {
        if (a.text(1) != "reverse") {
            a.error(1, fmt::format("unknown weight option '{}'; expected '{}'", a.text(1), usage));
            return std::nullopt;
        }
        reverse = true;
    } else {
        reverse = false;
    }
    return static_cast<std::int32_t>(*w);
}

}  // namespace vrrp_detail

namespace {

using vrrp_detail::read_track_block;
using vrrp_detail::read_weight;
using vrrp_detail::TrackKind;

Handler<SyncGroup> notify_handler(std::optional<ScriptSpec> SyncGroup::*m) {
    return [m](const Args& a, SyncGroup& g) {
        if (auto s = parse_script_spec(a)) g.*m = std::move(*s);
    };
}

// vrrp_script's `script`: every word is part of the command; a quoted word is split
// into arguments as keepalived does.
std::optional<ScriptSpec> parse_check_script(const Args& a) {
    if (!a.count(1, std::numeric_limits<std::size_t>::max(), "script <STRING>|<QUOTED-STRING>"))
        return std::nullopt;
    ScriptSpec s;
    s.loc = a.loc(0);
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a.at(i).quoted) {
            auto words = split_command(a.text(i));
            s.argv.insert(s.argv.end(), words.begin(), words.end());
        } else {
            s.argv.push_back(a.text(i));
        }
    }
    if (s.argv.empty() || s.argv[0].empty()) {
        a.error(0, "expected a script path, got an empty string");
        return std::nullopt;
    }
    return s;
}

// vrrp_script interval and timeout: seconds, with up to millisecond resolution.
template <class F>
Handler<VrrpScript> script_seconds(F VrrpScript::*m) {
    return [m](const Args& a, VrrpScript& s) {
        if (!a.count(1, 1, a.node().keyword.text + " <SECONDS>")) return;
        auto v = a.seconds(0, std::chrono::milliseconds(1), std::chrono::seconds(4294));
        if (!v) return;
        if (v->count() % 1000 != 0) {
            *v = std::chrono::duration_cast<std::chrono::milliseconds>(*v);
            a.warning(0, fmt::format("rounded down to {} ms (millisecond resolution)",
                                     v->count() / 1000));
        }
        s.*m = *v;
    };
}

const KeywordTable<VrrpScript>& vrrp_script_table() {
    static const KeywordTable<VrrpScript> t = [] {
        KeywordTable<VrrpScript> k;
        k.add("script", [](const Args& a, VrrpScript& s) {
            if (auto spec = parse_check_script(a)) s.script = std::move(*spec);
        });
        // keepalived 2.2.7 takes whole seconds (1..4294, the largest number of seconds whose
        // microseconds fit in 32 bits); 2.3.2 added fractions at millisecond resolution.
        // Both forms are accepted.
        k.add("interval", script_seconds(&VrrpScript::interval));
        k.add("timeout", script_seconds(&VrrpScript::timeout));
        k.add("weight", [](const Args& a, VrrpScript& s) {
            bool rev = false;
            if (auto w = read_weight(a, -253, 253, rev)) {
                s.weight = *w;
                s.weight_reverse = rev;
            }
        });
        k.add("rise", kw::integer(&VrrpScript::rise, 1, std::numeric_limits<std::int32_t>::max()));
        k.add("fall", kw::integer(&VrrpScript::fall, 1, std::numeric_limits<std::int32_t>::max()));
        k.add("user", [](const Args& a, VrrpScript& s) {
            if (!a.count(1, 2, "user USERNAME [GROUPNAME]")) return;
            s.user = a.text(0);
            s.group = a.has(1) ? a.text(1) : std::string();
        });
        k.add("init_fail", kw::flag(&VrrpScript::init_fail));
        return k;
    }();
    return t;
}

const KeywordTable<TrackFile>& track_file_table() {
    static const KeywordTable<TrackFile> t = [] {
        KeywordTable<TrackFile> k;
        k.add("file", [](const Args& a, TrackFile& f) {
            if (!a.count(1, 1, "file <QUOTED_STRING>")) return;
            if (a.text(0).empty()) {
                a.error(0, "expected a file path, got an empty string");
                return;
            }
            f.file = a.text(0);
        });
        // keepalived 2.2.7 limits the weight to -254..254 (the man page's wider range is
        // for real servers, which are not implemented there either).
        k.add("weight", [](const Args& a, TrackFile& f) {
            bool rev = false;
            if (auto w = read_weight(a, -254, 254, rev)) {
                f.weight = *w;
                f.weight_reverse = rev;
            }
        });
        k.add("init_file", [](const Args& a, TrackFile& f) {
            if (!a.count(0, 2, "init_file [VALUE] [overwrite]")) return;
            std::size_t i = 0;
            std::int32_t value = 0;
            if (a.has(i) && a.text(i) != "overwrite") {
                const auto v = a.integer(i, std::numeric_limits<std::int32_t>::min(),
                                         std::numeric_limits<std::int32_t>::max());
                if (!v) return;
                value = static_cast<std::int32_t>(*v);
                ++i;
            }
            bool overwrite = false;
            if (a.has(i)) {
                if (a.text(i) != "overwrite") {
                    a.error(i, fmt::format("expected 'overwrite', got '{}'", a.text(i)));
                    return;
                }
                overwrite = true;
                ++i;
            }
            if (a.has(i)) {
                a.error(i, fmt::format("unexpected argument '{}'; expected 'init_file [VALUE] "
                                       "[overwrite]'",
                                       a.text(i)));
                return;
            }
            f.init_file = true;
            f.init_value = value;
            f.init_overwrite = overwrite;
        });
        return k;
    }();
    return t;
}

const KeywordTable<TrackProcess>& track_process_table() {
    static const KeywordTable<TrackProcess> t = [] {
        KeywordTable<TrackProcess> k;
        // A quoted word is one element (the first is the command, quotes removed).
        k.add("process", [](const Args& a, TrackProcess& p) {
            if (!a.count(1, std::numeric_limits<std::size_t>::max(),
                         "process <STRING>|<QUOTED_STRING> [<STRING>|<QUOTED_STRING> ...]"))
                return;
            if (a.text(0).empty()) {
                a.error(0, "expected a process name, got an empty string");
                return;
            }
            p.process.clear();
            for (std::size_t i = 0; i < a.size(); ++i) p.process.push_back(a.text(i));
        });
        k.add("param_match", [](const Args& a, TrackProcess& p) {
            if (!a.count(0, 1, "param_match [initial|partial]")) return;
            if (!a.has(0)) {
                p.param_match = ParamMatch::exact;
                return;
            }
            if (auto v = a.choice<ParamMatch>(
                    0, {{"initial", ParamMatch::initial}, {"partial", ParamMatch::partial}}))
                p.param_match = *v;
        });
        k.add("weight", [](const Args& a, TrackProcess& p) {
            bool rev = false;
            if (auto w = read_weight(a, -254, 254, rev)) {
                p.weight = *w;
                p.weight_reverse = rev;
            }
        });
        k.add("quorum", [](const Args& a, TrackProcess& p) {
            kw::integer(&TrackProcess::quorum, 1, 65535)(a, p);
            p.quorum_configured = true;
        });
        k.add("quorum_max", kw::integer(&TrackProcess::quorum_max, 0, 65535));
        // keepalived 2.2.7 accepts delays of 1 us to 1 hour.
        k.add("fork_delay", kw::seconds(&TrackProcess::fork_delay, 1us, 3600s));
        k.add("terminate_delay", kw::seconds(&TrackProcess::terminate_delay, 1us, 3600s));
        k.add("delay", [](const Args& a, TrackProcess& p) {
            if (!a.count(1, 1, "delay <SECONDS>")) return;
            if (auto v = a.seconds(0, 1us, 3600s)) p.fork_delay = p.terminate_delay = *v;
        });
        k.add("full_command", kw::flag(&TrackProcess::full_command));
        return k;
    }();
    return t;
}

const KeywordTable<SyncGroup>& sync_group_table() {
    static const KeywordTable<SyncGroup> t = [] {
        KeywordTable<SyncGroup> k;
        k.add("group", BlockUse::required, [](const Args& a, SyncGroup& g) {
            a.count(0, 0, "group {");
            if (a.node().children.empty())
                a.diags().warning(
                    a.node().keyword.loc,
                    fmt::format("vrrp_sync_group '{}' has an empty group block", g.name));
            // Names may share a line ("VI_1 VI_2"), as keepalived allows.
            for_each_item(a, [&](const Args& item) {
                for (std::size_t i = 0; i < item.size(); ++i)
                    g.members.push_back(NamedRef{item.loc(i), item.text(i)});
            });
        });
        k.add("track_interface", BlockUse::required, [](const Args& a, SyncGroup& g) {
            read_track_block(a, g.track_interfaces, TrackKind::interface);
        });
        k.add("track_script", BlockUse::required, [](const Args& a, SyncGroup& g) {
            read_track_block(a, g.track_scripts, TrackKind::script);
        });
        k.add("track_file", BlockUse::required, [](const Args& a, SyncGroup& g) {
            read_track_block(a, g.track_files, TrackKind::file);
        });
        k.add("track_process", BlockUse::required, [](const Args& a, SyncGroup& g) {
            read_track_block(a, g.track_processes, TrackKind::process);
        });
        k.add("track_bfd", BlockUse::required, [](const Args& a, SyncGroup& g) {
            read_track_block(a, g.track_bfds, TrackKind::bfd);
        });
        k.add("notify_master", notify_handler(&SyncGroup::notify_master));
        k.add("notify_backup", notify_handler(&SyncGroup::notify_backup));
        k.add("notify_fault", notify_handler(&SyncGroup::notify_fault));
        k.add("notify_stop", notify_handler(&SyncGroup::notify_stop));
        k.add("notify", notify_handler(&SyncGroup::notify));
        // notify_deleted is in the man page for sync groups, but keepalived 2.2.7 only
        // accepts it in vrrp_instance: left out, so it is reported as unknown and skipped.
        k.add("notify_priority_changes",
              kw::member(&SyncGroup::own, kw::boolean(&SyncGroup::Own::notify_priority_changes)));
        k.add("smtp_alert", kw::member(&SyncGroup::own, kw::boolean(&SyncGroup::Own::smtp_alert)));
        k.add("global_tracking", [](const Args& a, SyncGroup& g) {
            if (!a.count(0, 0, "global_tracking")) return;
            a.diags().warning(a.node().keyword.loc,
                              "global_tracking: deprecated; use track_interface/track_script/"
                              "track_file on the sync group");
            g.global_tracking = true;
        });
        k.add("sync_group_tracking_weight", kw::flag(&SyncGroup::sync_group_tracking_weight));
        return k;
    }();
    return t;
}

const KeywordTable<GarpGroup>& garp_group_table() {
    static const KeywordTable<GarpGroup> t = [] {
        KeywordTable<GarpGroup> k;
        // Microsecond resolution up to INT_MAX microseconds, as keepalived 2.2.7.
        k.add("garp_interval",
              kw::seconds(&GarpGroup::garp_interval, 0us, std::chrono::microseconds(2147483647)));
        k.add("gna_interval",
              kw::seconds(&GarpGroup::gna_interval, 0us, std::chrono::microseconds(2147483647)));
        k.add("interface", kw::string(&GarpGroup::interface));
        k.add("interfaces", BlockUse::required, [](const Args& a, GarpGroup& g) {
            a.count(0, 0, "interfaces {");
            for_each_item(a, [&](const Args& item) {
                for (std::size_t i = 0; i < item.size(); ++i)
                    g.interfaces.push_back(NamedRef{item.loc(i), item.text(i)});
            });
        });
        return k;
    }();
    return t;
}

// Reads "KEYWORD NAME {" and returns the name, or nullopt (reported) when it is missing.
std::optional<std::string> block_name(const Args& a, std::string_view usage) {
    if (!a.count(1, 1, usage)) return std::nullopt;
    return a.text(0);
}

}  // namespace

void register_vrrp_area(KeywordTable<Model>& top) {
    top.add("vrrp_script", BlockUse::required, [](const Args& a, Model& m) {
        const auto name = block_name(a, "vrrp_script <NAME> {");
        if (!name) return;
        VrrpScript s;
        s.loc = a.node().keyword.loc;
        s.name = *name;
        vrrp_script_table().apply(a.node().children, s, a.diags(), "vrrp_script");
        // `user` may come before or after `script`: the command runs as that user.
        if (s.script && !s.user.empty()) {
            s.script->user = s.user;
            s.script->group = s.group;
        }
        m.vrrp.scripts.push_back(std::move(s));
    });
    top.add("track_file", BlockUse::required, [](const Args& a, Model& m) {
        const auto name = block_name(a, "track_file <NAME> {");
        if (!name) return;
        TrackFile f;
        f.loc = a.node().keyword.loc;
        f.name = *name;
        track_file_table().apply(a.node().children, f, a.diags(), "track_file");
        m.vrrp.track_files.push_back(std::move(f));
    });
    top.alias("vrrp_track_file", "track_file");
    top.add("vrrp_track_process", BlockUse::required, [](const Args& a, Model& m) {
        const auto name = block_name(a, "vrrp_track_process <NAME> {");
        if (!name) return;
        TrackProcess p;
        p.loc = a.node().keyword.loc;
        p.name = *name;
        track_process_table().apply(a.node().children, p, a.diags(), "vrrp_track_process");
        m.vrrp.track_processes.push_back(std::move(p));
    });
    top.add("vrrp_sync_group", BlockUse::required, [](const Args& a, Model& m) {
        const auto name = block_name(a, "vrrp_sync_group <NAME> {");
        if (!name) return;
        SyncGroup g;
        g.loc = a.node().keyword.loc;
        g.name = *name;
        sync_group_table().apply(a.node().children, g, a.diags(), "vrrp_sync_group");
        m.vrrp.sync_groups.push_back(std::move(g));
    });
    top.add("garp_group", BlockUse::required, [](const Args& a, Model& m) {
        if (!a.count(0, 0, "garp_group {")) return;
        GarpGroup g;
        g.loc = a.node().keyword.loc;
        garp_group_table().apply(a.node().children, g, a.diags(), "garp_group");
        m.vrrp.garp_groups.push_back(std::move(g));
    });
    top.add("vrrp_instance", BlockUse::required, [](const Args& a, Model& m) {
        const auto name = block_name(a, "vrrp_instance <NAME> {");
        if (!name) return;
        VrrpInstance vi;
        vi.loc = a.node().keyword.loc;
        vi.name = *name;
        vrrp_detail::vrrp_instance_table().apply(a.node().children, vi, a.diags(), "vrrp_instance");
        m.vrrp.instances.push_back(std::move(vi));
    });
    top.unsupported({"vrrp_sync_group"},
                    "its instances do not move together (each follows its own election), and "
                    "the group's notify scripts, trackers and alerts do not run");
}

void catalogue_vrrp_area(KeywordCatalogue& c) {
    catalogue(c, "vrrp_script", vrrp_script_table());
    catalogue(c, "track_file", track_file_table());
    catalogue(c, "vrrp_track_process", track_process_table());
    catalogue(c, "vrrp_sync_group", sync_group_table());
    catalogue(c, "garp_group", garp_group_table());
    vrrp_detail::catalogue_instance_tables(c);
}

}  // namespace vigil::config
