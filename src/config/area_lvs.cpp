// Keyword tables of the LVS area: virtual_server_group, virtual_server, real_server, checkers.
#include "config/areas.h"

namespace vigil::config {

void register_lvs_area(KeywordTable<Model>& top) {
    top.add("virtual_server", BlockUse::required, [](const Args& a, Model& m) {
        VirtualServer vs;
        vs.loc = a.node().keyword.loc;
        m.lvs.virtual_servers.push_back(std::move(vs));
    });
}

void resolve_lvs_area(Model& /*m*/, Diagnostics& /*diags*/, const BuildEnv& /*env*/) {}

}  // namespace vigil::config
