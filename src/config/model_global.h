// global_defs and the other global blocks: linkbeat_interfaces, interface_up_down_delays,
// track_group, static_ipaddress/static_routes/static_rules, bfd_instance.
#pragma once

#include <string>
#include <vector>

#include "config/model_ip.h"
#include "config/model_script.h"

namespace vigil::config {

struct GlobalDefs {
    SourceLoc loc;
};

struct GlobalAreaModel {
    GlobalDefs defs;
    std::vector<AddressSpec> static_addresses;
};

}  // namespace vigil::config
