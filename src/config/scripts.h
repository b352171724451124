// Every script a configuration will run, in one list: startup/shutdown scripts, notify FIFO
// scripts, the vrrp_scripts that something tracks, the notify scripts of instances and sync
// groups, quorum_up/down, notify_up/down and MISC_CHECK. Script security and the -t verdict
// look at all of them.
#pragma once

#include <string>
#include <vector>

#include "config/model.h"

namespace vigil::config {

enum class ScriptOwner { global, vrrp, checker };

struct ConfiguredScript {
    ScriptOwner owner = ScriptOwner::global;
    std::string what;   // "notify_master of vrrp_instance VI_1"
    ScriptSpec script;  // with the user/group that applies to it, when configured
};

std::vector<ConfiguredScript> all_scripts(const Model& m);

}  // namespace vigil::config
