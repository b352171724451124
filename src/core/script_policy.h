// Who scripts run as, and whether they may run at all (keepalived.conf(5) script_user and
// enable_script_security). A script runs as its own configured user, else the global
// script_user, else keepalived_script when that user exists, else root. With script security
// enabled, a script that would run as root is refused unless it and every directory on its
// path can be changed by root only.
#pragma once

#include <chrono>
#include <string>

#include "common/result.h"
#include "config/model.h"
#include "config/scripts.h"
#include "core/credentials.h"
#include "core/script_runner.h"

namespace vigil::core {

class ScriptPolicy {
  public:
    // Resolves the default script user; an unknown configured script_user is an error.
    static Result<ScriptPolicy> from(const config::GlobalDefs& g, std::string path_env);

    // A job ready for the ScriptRunner, or the reason the script may not run.
    Result<ScriptJob> prepare(const config::ScriptSpec& s, std::string name,
                              std::chrono::milliseconds timeout) const;

    bool security_enabled() const { return security_; }
    const Credentials& default_user() const { return default_user_; }

  private:
    ScriptPolicy(Credentials def, bool security, std::string path)
        : default_user_(std::move(def)), security_(security), path_(std::move(path)) {}
    Credentials default_user_;
    bool security_ = false;
    std::string path_;
};

// What vigild -t and the workers say about the configured scripts.
struct ScriptAudit {
    // keepalived: "SECURITY VIOLATION - scripts are being executed but script_security not
    // enabled": some script would run as root and script security is off.
    bool root_scripts_without_security = false;
    config::SourceLoc first_root_script;  // where the first such script is configured
    std::vector<std::string> problems;    // refused scripts, unknown users
    // The global script_user (or its group) does not exist: a configuration error for
    // keepalived 2.2.7's -t (exit 5), not a security one.
    bool unknown_script_user = false;
    std::vector<std::string> missing;  // scripts not found: they will fail when run
};

// PATH for finding scripts: the environment's, or the usual system one.
std::string script_search_path();

ScriptAudit audit_scripts(const config::Model& m, const std::string& path_env);

}  // namespace vigil::core
