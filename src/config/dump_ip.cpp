#include "config/dump_json.h"

namespace vigil::config {

void to_json(Json& j, const AddressSpec& a) {
    j = Json{{"address", a.address}};
    switch (a.broadcast) {
        case AddressSpec::Broadcast::none:
            break;
        case AddressSpec::Broadcast::address:
            j["broadcast"] = a.broadcast_address;
            break;
        case AddressSpec::Broadcast::clear_host_bits:
            j["broadcast"] = "-";
            break;
        case AddressSpec::Broadcast::set_host_bits:
            j["broadcast"] = "+";
            break;
    }
    if (!a.dev.empty()) j["dev"] = a.dev;
    if (a.scope) j["scope"] = *a.scope;
    if (!a.label.empty()) j["label"] = a.label;
    if (a.peer) j["peer"] = *a.peer;
    for (const auto& [name, on] : {std::pair{"home", a.home}, {"nodad", a.nodad},
                                   {"mngtmpaddr", a.mngtmpaddr}, {"noprefixroute", a.noprefixroute},
                                   {"autojoin", a.autojoin}, {"no_track", a.no_track},
                                   {"use_vmac", a.use_vmac}})
        if (on) j[name] = true;
    if (a.preferred_lft) j["preferred_lft"] = *a.preferred_lft;
    if (!a.track_group.empty()) j["track_group"] = a.track_group;
}

void to_json(Json& j, const RouteSpec& r) { j = Json{{"destination", r.destination}}; }

void to_json(Json& j, const RuleSpec& /*r*/) { j = Json::object(); }

void to_json(Json& j, const ScriptSpec& s) {
    j = Json{{"argv", s.argv}};
    if (!s.user.empty()) j["user"] = s.user;
    if (!s.group.empty()) j["group"] = s.group;
}

void to_json(Json& j, const FifoSpec& f) {
    j = Json{{"path", f.path}};
    if (!f.user.empty()) j["user"] = f.user;
    if (!f.group.empty()) j["group"] = f.group;
}

}  // namespace vigil::config
