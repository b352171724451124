// The typed, immutable configuration model: what the operator asked for, one per load.
// Plain structs only; a reload compares two Models. Every field carries keepalived's
// documented default once load_config() has returned.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "config/model_global.h"
#include "config/model_lvs.h"
#include "config/model_vrrp.h"

namespace vigil::config {

struct Model {
    GlobalAreaModel globals;
    VrrpAreaModel vrrp;
    LvsAreaModel lvs;

    bool has_vrrp() const { return !vrrp.instances.empty(); }
    bool has_checkers() const { return !lvs.virtual_servers.empty(); }
};

}  // namespace vigil::config
