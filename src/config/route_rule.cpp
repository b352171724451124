// Route and rule statements (ip route / ip rule syntax). Work in progress: the full option
// set is being added by the global-area work; until then only the destination is read.
#include "config/model_ip.h"
#include "config/values.h"

namespace vigil::config {

std::optional<RouteSpec> parse_route_spec(const Args& a) {
    RouteSpec r;
    r.loc = a.loc(0);
    const auto p = a.prefix(0);
    if (!p) return std::nullopt;
    r.destination = *p;
    return r;
}

std::optional<RuleSpec> parse_rule_spec(const Args& a) {
    RuleSpec r;
    r.loc = a.loc(0);
    return r;
}

}  // namespace vigil::config
