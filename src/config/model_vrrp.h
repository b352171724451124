// VRRP blocks: vrrp_script, track_file, vrrp_track_process, vrrp_sync_group, garp_group,
// vrrp_instance.
#pragma once

#include <string>
#include <vector>

#include "config/model_ip.h"
#include "config/model_script.h"

namespace vigil::config {

struct VrrpInstance {
    SourceLoc loc;
    std::string name;
};

struct VrrpAreaModel {
    std::vector<VrrpInstance> instances;
};

}  // namespace vigil::config
