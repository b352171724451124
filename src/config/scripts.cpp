#include "config/scripts.h"

#include <fmt/format.h>

#include <set>

namespace vigil::config {

namespace {

class Collector {
  public:
    explicit Collector(std::vector<ConfiguredScript>& out) : out_(out) {}
    void add(ScriptOwner owner, std::string what, const std::optional<ScriptSpec>& s) {
        if (s) out_.push_back({owner, std::move(what), *s});
    }
    void add(ScriptOwner owner, std::string what, const ScriptSpec& s) {
        out_.push_back({owner, std::move(what), s});
    }

  private:
    std::vector<ConfiguredScript>& out_;
};

std::string service_name(const VirtualServer& vs) {
    switch (vs.kind) {
        case VirtualServer::Kind::address:
            return fmt::format("[{}]:{}", vs.address.to_string(), vs.port);
        case VirtualServer::Kind::fwmark:
            return fmt::format("FWM {}", vs.fwmark);
        case VirtualServer::Kind::group:
            return "group " + vs.group;
    }
    return "?";
}

}  // namespace

std::vector<ConfiguredScript> all_scripts(const Model& m) {
    std::vector<ConfiguredScript> out;
    Collector c(out);
    const auto& g = m.globals.defs;
    c.add(ScriptOwner::global, "startup_script", g.startup_script);
    c.add(ScriptOwner::global, "shutdown_script", g.shutdown_script);
    c.add(ScriptOwner::vrrp, "notify_fifo_script", g.notify_fifo_script);
    c.add(ScriptOwner::vrrp, "vrrp_notify_fifo_script", g.vrrp_notify_fifo_script);
    c.add(ScriptOwner::checker, "lvs_notify_fifo_script", g.lvs_notify_fifo_script);
    // keepalived.conf(5): a vrrp_script is only run when an instance or sync group tracks it.
    std::set<std::string, std::less<>> tracked;
    for (const auto& vi : m.vrrp.instances)
        for (const auto& t : vi.track_scripts) tracked.insert(t.name);
    for (const auto& sg : m.vrrp.sync_groups)
        for (const auto& t : sg.track_scripts) tracked.insert(t.name);
    for (const auto& s : m.vrrp.scripts) {
        if (!s.script || !tracked.contains(s.name)) continue;
        c.add(ScriptOwner::vrrp, "vrrp_script " + s.name, *s.script);  // with its `user`
    }
    for (const auto& vi : m.vrrp.instances) {
        const std::string of = " of vrrp_instance " + vi.name;
        c.add(ScriptOwner::vrrp, "notify_master" + of, vi.notify_master);
        c.add(ScriptOwner::vrrp, "notify_backup" + of, vi.notify_backup);
        c.add(ScriptOwner::vrrp, "notify_fault" + of, vi.notify_fault);
        c.add(ScriptOwner::vrrp, "notify_stop" + of, vi.notify_stop);
        c.add(ScriptOwner::vrrp, "notify" + of, vi.notify);
        c.add(ScriptOwner::vrrp, "notify_master_rx_lower_pri" + of, vi.notify_master_rx_lower_pri);
        c.add(ScriptOwner::vrrp, "notify_deleted" + of, vi.notify_deleted_script);
    }
    for (const auto& sg : m.vrrp.sync_groups) {
        const std::string of = " of vrrp_sync_group " + sg.name;
        c.add(ScriptOwner::vrrp, "notify_master" + of, sg.notify_master);
        c.add(ScriptOwner::vrrp, "notify_backup" + of, sg.notify_backup);
        c.add(ScriptOwner::vrrp, "notify_fault" + of, sg.notify_fault);
        c.add(ScriptOwner::vrrp, "notify_stop" + of, sg.notify_stop);
        c.add(ScriptOwner::vrrp, "notify" + of, sg.notify);
    }
    for (const auto& vs : m.lvs.virtual_servers) {
        const std::string vs_name = service_name(vs);
        c.add(ScriptOwner::checker, "quorum_up of virtual_server " + vs_name, vs.quorum_up);
        c.add(ScriptOwner::checker, "quorum_down of virtual_server " + vs_name, vs.quorum_down);
        for (const auto& rs : vs.real_servers) {
            const std::string rs_name =
                fmt::format("real_server [{}]:{} of {}", rs.address.to_string(), rs.port, vs_name);
            c.add(ScriptOwner::checker, "notify_up of " + rs_name, rs.notify_up);
            c.add(ScriptOwner::checker, "notify_down of " + rs_name, rs.notify_down);
            for (const auto& chk : rs.checkers)
                if (const auto* misc = std::get_if<MiscCheck>(&chk.kind))
                    c.add(ScriptOwner::checker, "MISC_CHECK of " + rs_name, misc->misc_path);
        }
    }
    return out;
}

}  // namespace vigil::config
