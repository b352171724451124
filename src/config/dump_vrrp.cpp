#include "config/dump_json.h"

namespace vigil::config {

Json dump_vrrp_area(const Model& m) {
    Json j;
    Json instances = Json::array();
    for (const auto& vi : m.vrrp.instances) instances.push_back(Json{{"name", vi.name}});
    j["vrrp_instance"] = instances;
    return j;
}

}  // namespace vigil::config
