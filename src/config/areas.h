// The three areas of the configuration (global, VRRP, LVS) each register their top-level
// blocks in the top-level keyword table, and resolve their part once the whole
// configuration has been read: defaults, inheritance, cross-references, validation.
#pragma once

#include <string>

#include "config/keyword_table.h"
#include "config/model.h"

namespace vigil::config {

// Facts about the host that defaults depend on, passed in so the core reads nothing itself.
struct BuildEnv {
    std::string host_name;  // router_id, smtp_helo_name, notification_email_from defaults
};

void register_global_area(KeywordTable<Model>& top);
void register_vrrp_area(KeywordTable<Model>& top);
void register_lvs_area(KeywordTable<Model>& top);

// Each area's tables below the top level, for the keyword catalogue.
void catalogue_global_area(KeywordCatalogue& c);
void catalogue_vrrp_area(KeywordCatalogue& c);
void catalogue_lvs_area(KeywordCatalogue& c);

// Run in this order: VRRP and LVS defaults may come from global_defs.
void resolve_global_area(Model& m, Diagnostics& diags, const BuildEnv& env);
void resolve_vrrp_area(Model& m, Diagnostics& diags, const BuildEnv& env);
void resolve_lvs_area(Model& m, Diagnostics& diags, const BuildEnv& env);
// Last: references from one area to another (track_bfd, track_group members, the
// lvs_sync_daemon instance, FILE_CHECK and BFD_CHECK names) and LVS defaults that come from
// global_defs.
void resolve_cross_area(Model& m, Diagnostics& diags);

}  // namespace vigil::config
