// Users and groups that scripts run as.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace vigil::core {

struct Credentials {
    std::string user;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;  // supplementary groups of the user
    bool is_root() const { return uid == 0; }
};

// Looks up USER (name or number) and optional GROUP (default: the user's primary group).
Result<Credentials> lookup_credentials(const std::string& user, const std::string& group = {});

// The user scripts run as when none is configured for the script: global script_user when
// given, else keepalived_script when that user exists (keepalived.conf(5)), else root.
Result<Credentials> default_script_credentials(const std::string& script_user,
                                               const std::string& script_group);

}  // namespace vigil::core
