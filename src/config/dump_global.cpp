#include "config/dump_json.h"

namespace vigil::config {

Json dump_global_area(const Model& m) {
    Json j;
    j["global_defs"] = Json::object();
    j["static_ipaddress"] = m.globals.static_addresses;
    return j;
}

}  // namespace vigil::config
