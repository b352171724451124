#include "vrrpd/status.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vigil::vrrpd {

namespace {

nlohmann::json errors_json(const vrrp::RxErrors& e) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : e) j[k] = v;
    return j;
}

}  // namespace

std::string status_json(const vrrp::Router& r, const std::vector<UnboundInstance>& unbound,
                        std::uint64_t gratuitous_sent) {
    nlohmann::json instances = nlohmann::json::array();
    for (const auto& i : r.instances()) {
        const auto& c = i->fsm().counters();
        const auto& s = i->settings();
        const auto master = i->master_address();
        instances.push_back({
            {"name", i->name()},
            {"state", vrrp::to_string(i->fsm().state())},
            {"vrid", s.identity.vrid},
            {"family", to_string(s.identity.family)},
            {"version", s.fsm.version},
            {"interface", s.identity.interface},
            {"unicast", s.identity.unicast},
            {"source", i->source().to_string()},
            {"priority", s.fsm.priority},
            {"effective_priority", i->fsm().config().priority},
            {"master_address", master ? nlohmann::json(master->to_string()) : nlohmann::json()},
            {"advert_interval_us", s.fsm.advert_interval.count()},
            {"master_down_interval_us", i->fsm().master_down_interval().count()},
            {"counters",
             {{"adverts_sent", c.adverts_sent},
              {"adverts_received", c.adverts_received},
              {"became_master", c.became_master},
              {"released_master", c.released_master},
              {"priority_zero_sent", c.priority_zero_sent},
              {"priority_zero_received", c.priority_zero_received},
              {"lower_priority_master_seen", c.lower_priority_master_seen},
              {"rx_errors", errors_json(i->rx_errors())}}},
        });
    }
    for (const auto& u : unbound)
        instances.push_back({{"name", u.name},
                             {"state", "FAULT"},
                             {"interface", u.interface},
                             {"fault_reason", u.reason}});
    nlohmann::json j = {{"instances", instances},
                        {"rx_unknown_vrid", r.unknown_vrid()},
                        {"rx_errors", errors_json(r.unattributed_errors())},
                        {"gratuitous_sent", gratuitous_sent}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string stats_text(const vrrp::Router& r, const std::vector<UnboundInstance>& unbound) {
    std::string out = "------ VRRP statistics ------\n";
    for (const auto& i : r.instances()) {
        const auto& c = i->fsm().counters();
        out += fmt::format(
            "VRRP Instance: {}\n  State: {}\n  Advertisements:\n    Received: {}\n    Sent: {}\n"
            "  Became master: {}\n  Released master: {}\n  Priority Zero:\n    Received: {}\n"
            "    Sent: {}\n  Lower priority masters seen: {}\n  Packet Errors:\n",
            i->name(), vrrp::to_string(i->fsm().state()), c.adverts_received, c.adverts_sent,
            c.became_master, c.released_master, c.priority_zero_received, c.priority_zero_sent,
            c.lower_priority_master_seen);
        if (i->rx_errors().empty()) out += "    none\n";
        for (const auto& [k, v] : i->rx_errors()) out += fmt::format("    {}: {}\n", k, v);
    }
    for (const auto& u : unbound)
        out += fmt::format("VRRP Instance: {}\n  State: FAULT ({})\n", u.name, u.reason);
    out += fmt::format("Adverts for unknown VRIDs: {}\n", r.unknown_vrid());
    for (const auto& [k, v] : r.unattributed_errors())
        out += fmt::format("Unattributed packet errors {}: {}\n", k, v);
    return out;
}

}  // namespace vigil::vrrpd
