// Keyword tables of the global area: global_defs, static_ipaddress, ...
#include "config/areas.h"

namespace vigil::config {

namespace {

const KeywordTable<GlobalDefs>& global_defs_table() {
    static const KeywordTable<GlobalDefs> t = [] {
        KeywordTable<GlobalDefs> k;
        return k;
    }();
    return t;
}

}  // namespace

void register_global_area(KeywordTable<Model>& top) {
    top.add("global_defs", BlockUse::required, [](const Args& a, Model& m) {
        a.count(0, 0, "global_defs {");
        m.globals.defs.loc = a.node().keyword.loc;
        global_defs_table().apply(a.node().children, m.globals.defs, a.diags(), "global_defs");
    });
    top.add("static_ipaddress", BlockUse::required, [](const Args& a, Model& m) {
        a.count(0, 0, "static_ipaddress {");
        for_each_item(a, [&](const Args& item) {
            if (auto spec = parse_address_spec(item)) m.globals.static_addresses.push_back(*spec);
        });
    });
}

void resolve_global_area(Model& /*m*/, Diagnostics& /*diags*/, const BuildEnv& /*env*/) {}

}  // namespace vigil::config
