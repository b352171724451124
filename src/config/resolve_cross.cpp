// References that cross areas, resolved once all three are: the objects named by
// track_bfd, track_group, lvs_sync_daemon, FILE_CHECK and BFD_CHECK must exist, and LVS
// settings whose default is in global_defs get it.
#include <fmt/format.h>

#include <set>

#include "config/areas.h"

namespace vigil::config {

namespace {

template <class T>
std::set<std::string, std::less<>> names_of(const std::vector<T>& objs) {
    std::set<std::string, std::less<>> out;
    for (const auto& o : objs) out.insert(o.name);
    return out;
}

void check_track_bfds(const std::vector<TrackedRef>& refs, const std::string& owner,
                      const std::set<std::string, std::less<>>& bfds, Diagnostics& d) {
    for (const auto& r : refs)
        if (!bfds.contains(r.name))
            d.error(r.loc,
                    fmt::format("{}: track_bfd '{}' is not a defined bfd_instance", owner, r.name));
}

void resolve_vrrp_references(Model& m, Diagnostics& d) {
    const auto bfds = names_of(m.globals.bfd_instances);
    const auto instances = names_of(m.vrrp.instances);
    for (const auto& vi : m.vrrp.instances)
        check_track_bfds(vi.track_bfds, fmt::format("vrrp_instance '{}'", vi.name), bfds, d);
    for (const auto& sg : m.vrrp.sync_groups)
        check_track_bfds(sg.track_bfds, fmt::format("vrrp_sync_group '{}'", sg.name), bfds, d);
    for (const auto& tg : m.globals.track_groups)
        for (const auto& member : tg.group)
            if (!instances.contains(member.instance))
                d.error(member.loc, fmt::format("track_group '{}': '{}' is not a defined "
                                                "vrrp_instance",
                                                tg.name, member.instance));
    auto& sync = m.globals.defs.lvs_sync_daemon;
    if (sync && !sync->instance.empty()) {
        const VrrpInstance* vi = nullptr;
        for (const auto& i : m.vrrp.instances)
            if (i.name == sync->instance) vi = &i;
        if (vi == nullptr) {
            d.error(sync->instance_loc, fmt::format("lvs_sync_daemon: '{}' is not a defined "
                                                    "vrrp_instance",
                                                    sync->instance));
        } else if (!sync->syncid) {
            sync->syncid = vi->virtual_router_id;  // keepalived.conf(5): default is the VRID
        }
    }
    if (sync && !sync->syncid) sync->syncid = 0;
}

void resolve_lvs_references(Model& m, Diagnostics& d) {
    const GlobalDefs& g = m.globals.defs;
    const auto bfds = names_of(m.globals.bfd_instances);
    const auto track_files = names_of(m.vrrp.track_files);
    // smtp_alert_checker, then smtp_alert, decide; keepalived.conf(5): virtual servers
    // default to no, real servers to yes.
    const auto global_alert = g.smtp_alert_checker ? g.smtp_alert_checker : g.smtp_alert;
    for (auto& vs : m.lvs.virtual_servers) {
        if (!vs.smtp_alert) vs.smtp_alert = global_alert.value_or(false);
        for (auto& rs : vs.real_servers) {
            if (!rs.smtp_alert) rs.smtp_alert = global_alert.value_or(true);
            for (auto& c : rs.checkers) {
                if (auto* file = std::get_if<FileCheck>(&c.kind);
                    file != nullptr && !track_files.contains(file->track_file))
                    d.error(file->track_file_loc,
                            fmt::format("FILE_CHECK: '{}' is not a defined track_file",
                                        file->track_file));
                if (auto* bfd = std::get_if<BfdCheck>(&c.kind);
                    bfd != nullptr && !bfds.contains(bfd->name))
                    d.error(
                        bfd->name_loc,
                        fmt::format("BFD_CHECK: '{}' is not a defined bfd_instance", bfd->name));
                if (auto* smtp = std::get_if<SmtpCheck>(&c.kind);
                    smtp != nullptr && smtp->helo_name.empty())
                    smtp->helo_name = g.smtp_helo_name;
            }
            // BFD is not implemented (the keyword says so where it is read): the real server
            // is checked as if it had no BFD_CHECK, never held down for it.
            std::erase_if(rs.checkers, [](const Checker& c) {
                return std::holds_alternative<BfdCheck>(c.kind);
            });
        }
    }
}

}  // namespace

void resolve_cross_area(Model& m, Diagnostics& diags) {
    resolve_vrrp_references(m, diags);
    resolve_lvs_references(m, diags);
}

}  // namespace vigil::config
