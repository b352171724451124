// Keyword tables of the VRRP area: vrrp_instance, vrrp_script, ...
#include "config/areas.h"

namespace vigil::config {

void register_vrrp_area(KeywordTable<Model>& top) {
    top.add("vrrp_instance", BlockUse::required, [](const Args& a, Model& m) {
        if (!a.count(1, 1, "vrrp_instance <NAME> {")) return;
        VrrpInstance vi;
        vi.loc = a.node().keyword.loc;
        vi.name = a.text(0);
        m.vrrp.instances.push_back(std::move(vi));
    });
}

void resolve_vrrp_area(Model& /*m*/, Diagnostics& /*diags*/, const BuildEnv& /*env*/) {}

}  // namespace vigil::config
