#include "core/script_policy.h"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "core/script_security.h"

namespace vigil::core {

Result<ScriptPolicy> ScriptPolicy::from(const config::GlobalDefs& g, std::string path_env) {
    auto user = default_script_credentials(g.script_user ? g.script_user->user : std::string{},
                                           g.script_user ? g.script_user->group : std::string{});
    if (!user) return Error{"script_user: " + user.error()};
    return ScriptPolicy(std::move(user.value()), g.enable_script_security, std::move(path_env));
}

Result<ScriptJob> ScriptPolicy::prepare(const config::ScriptSpec& s, std::string name,
                                        std::chrono::milliseconds timeout) const {
    Credentials who = default_user_;
    if (!s.user.empty()) {
        auto own = lookup_credentials(s.user, s.group);
        if (!own) return Error{fmt::format("{}: {}", name, own.error())};
        who = std::move(own.value());
    }
    if (security_ && who.is_root()) {
        const auto verdict = check_script_security(s.argv.at(0), path_);
        if (!verdict.secure)
            return Error{
                fmt::format("{}: refusing to run '{}' as root with "
                            "enable_script_security: {}",
                            name, s.argv.at(0), verdict.reason)};
    }
    ScriptJob job;
    job.name = std::move(name);
    job.argv = s.argv;
    job.timeout = timeout;
    // Running as ourselves needs no switch; anyone else is switched to in the child.
    if (who.uid != ::getuid() || who.gid != ::getgid()) job.run_as = std::move(who);
    return job;
}

std::string script_search_path() {
    const char* p = std::getenv("PATH");
    return p != nullptr && *p != '\0'
               ? p
               : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

ScriptAudit audit_scripts(const config::Model& m, const std::string& path_env) {
    ScriptAudit audit;
    const auto scripts = config::all_scripts(m);
    if (scripts.empty()) return audit;
    auto policy = ScriptPolicy::from(m.globals.defs, path_env);
    if (!policy) {
        audit.problems.push_back(policy.error());
        audit.unknown_script_user = true;
        return audit;
    }
    for (const auto& s : scripts) {
        // keepalived disables a script it cannot find; it is not a security matter.
        if (resolve_program(s.script.argv.at(0), path_env).empty()) {
            audit.missing.push_back(
                fmt::format("{}: '{}' not found or not executable", s.what, s.script.argv.at(0)));
            continue;
        }
        const bool root = s.script.user.empty() ? policy->default_user().is_root()
                                                : s.script.user == "root" || s.script.user == "0";
        if (root && !policy->security_enabled() && !audit.root_scripts_without_security) {
            audit.root_scripts_without_security = true;
            audit.first_root_script = s.script.loc;
        }
        auto job = policy->prepare(s.script, s.what, std::chrono::milliseconds(0));
        if (!job) audit.problems.push_back(job.error());
    }
    return audit;
}

}  // namespace vigil::core
