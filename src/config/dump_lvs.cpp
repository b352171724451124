#include "config/dump_json.h"

namespace vigil::config {

Json dump_lvs_area(const Model& m) {
    Json j;
    j["virtual_server"] = Json::array();
    for (std::size_t i = 0; i < m.lvs.virtual_servers.size(); ++i)
        j["virtual_server"].push_back(Json::object());
    return j;
}

}  // namespace vigil::config
