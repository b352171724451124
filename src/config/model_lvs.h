// LVS blocks: virtual_server_group, virtual_server, real_server, sorry_server, the
// checkers, and the SSL block.
#pragma once

#include <string>
#include <vector>

#include "config/model_ip.h"
#include "config/model_script.h"

namespace vigil::config {

struct VirtualServer {
    SourceLoc loc;
};

struct LvsAreaModel {
    std::vector<VirtualServer> virtual_servers;
};

}  // namespace vigil::config
