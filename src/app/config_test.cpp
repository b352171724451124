#include "app/config_test.h"

#include <net/if.h>

#include <fstream>
#include <iostream>

#include "core/script_policy.h"

namespace vigil::app {

namespace {

// vigild -t, like keepalived -t, warns about interfaces this host does not have (unless
// dynamic_interfaces says they may come later). A warning, not an error: a configuration is
// often checked on another machine than the director that runs it.
void warn_missing_interfaces(const config::Model& m, std::ostream& out) {
    if (m.globals.defs.dynamic_interfaces) return;
    const auto check = [&out](const std::string& name, const std::string& what) {
        if (!name.empty() && ::if_nametoindex(name.c_str()) == 0)
            out << "warning: interface " << name << " for " << what
                << " does not exist on this host\n";
    };
    for (const auto& vi : m.vrrp.instances) {
        check(vi.interface, "vrrp_instance " + vi.name);
        for (const auto& t : vi.track_interfaces) check(t.name, "track_interface of " + vi.name);
    }
    for (const auto& sg : m.vrrp.sync_groups)
        for (const auto& t : sg.track_interfaces)
            check(t.name, "track_interface of vrrp_sync_group " + sg.name);
}

}  // namespace

// vigild -t on scripts and interfaces, as keepalived -t: scripts that would run as root without
// enable_script_security, or that script security refuses, make the test fail with exit 6.
core::ExitCode check_against_host(const config::Model& m, const config::SourceFiles& sources,
                                  const std::optional<std::string>& output) {
    const auto audit = core::audit_scripts(m, core::script_search_path());
    std::ofstream file;
    if (output) file.open(*output, std::ios::app);
    std::ostream& out = output ? static_cast<std::ostream&>(file) : std::cerr;
    warn_missing_interfaces(m, out);
    for (const auto& w : audit.missing) out << "warning: " << w << "\n";
    for (const auto& p : audit.problems) out << "error: " << p << "\n";
    if (audit.root_scripts_without_security)
        out << config::render(
            {config::Severity::error, audit.first_root_script,
             "SECURITY VIOLATION - scripts are being executed but script_security not enabled: "
             "this script would run as root (set enable_script_security, or script_user to a "
             "non-root user)"},
            sources);
    if (audit.unknown_script_user) return core::ExitCode::config_test;
    return audit.root_scripts_without_security || !audit.problems.empty()
               ? core::ExitCode::config_test_security
               : core::ExitCode::ok;
}

}  // namespace vigil::app
