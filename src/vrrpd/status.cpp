#include "vrrpd/status.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vigil::vrrpd {

namespace {

nlohmann::json errors_json(const vrrp::RxCounters& e) {
    nlohmann::json j = nlohmann::json::object();
    e.for_each(
        [&](vrrp::RxReject r, std::uint64_t n) { j[std::string(vrrp::counter_key(r))] = n; });
    return j;
}

}  // namespace

std::string status_json(
    const vrrp::Router& r, const std::map<std::string, std::string>& unbound,
    const WorkerCounters& counters, const nlohmann::json& trackers,
    const std::function<nlohmann::json(const std::string&, std::uint8_t)>& tracked_by) {
    nlohmann::json instances = nlohmann::json::array();
    for (const auto& i : r.instances()) {
        const auto& fsm = i->fsm();
        const auto& c = fsm.counters();
        const auto& s = i->settings();
        const auto master = i->master_address();
        nlohmann::json j = {
            {"name", i->name()},
            {"state", vrrp::to_string(fsm.state())},
            {"vrid", s.identity.vrid},
            {"family", to_string(s.identity.family)},
            {"version", s.fsm.version},
            {"interface", s.identity.interface},
            {"unicast", s.identity.unicast},
            {"source",
             i->binding() ? nlohmann::json(i->binding()->source.to_string()) : nlohmann::json()},
            {"priority", s.fsm.priority},
            {"effective_priority", fsm.config().priority},
            {"master_address", master ? nlohmann::json(master->to_string()) : nlohmann::json()},
            {"advert_interval_us", s.fsm.advert_interval.count()},
            {"master_down_interval_us", fsm.master_down_interval().count()},
            {"counters",
             {{"adverts_sent", c.adverts_sent},
              {"adverts_received", c.adverts_received},
              {"became_master", c.became_master},
              {"released_master", c.released_master},
              {"priority_zero_sent", c.priority_zero_sent},
              {"priority_zero_received", c.priority_zero_received},
              {"lower_priority_master_seen", c.lower_priority_master_seen},
              {"lower_priority_discarded", c.lower_priority_discarded},
              {"addresses_lost", c.addresses_lost},
              {"rx_errors", errors_json(i->rx_errors())}}},
        };
        if (auto it = unbound.find(i->name()); it != unbound.end()) j["fault_reason"] = it->second;
        j["trackers"] = tracked_by(i->name(), s.fsm.priority);
        instances.push_back(std::move(j));
    }
    nlohmann::json j = {{"instances", instances},
                        {"rx_unknown_vrid", r.unattributed_errors()[vrrp::RxReject::unknown_vrid]},
                        {"rx_errors", errors_json(r.unattributed_errors())},
                        {"gratuitous_sent", counters.gratuitous_sent},
                        {"gratuitous_failed", counters.gratuitous_failed},
                        {"gratuitous_dropped", counters.gratuitous_dropped},
                        {"send_errors", counters.send_errors},
                        {"sockets", counters.sockets},
                        {"tracking", trackers}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// "VRRP Instance: NAME", its state, its priorities and what it tracks.
std::string instance_head(const vrrp::RouterInstance& i,
                          const std::map<std::string, std::string>& unbound,
                          const TrackedText& tracked_by) {
    std::string state(vrrp::to_string(i.fsm().state()));
    if (auto it = unbound.find(i.name()); it != unbound.end())
        state += fmt::format(" ({})", it->second);
    const auto base = i.settings().fsm.priority;
    return fmt::format("VRRP Instance: {}\n  State: {}\n  Priority: {}\n  Effective priority: {}\n",
                       i.name(), state, base, i.fsm().config().priority) +
           tracked_by(i.name(), base);
}

}  // namespace

std::string state_text(const vrrp::Router& r, const std::map<std::string, std::string>& unbound,
                       const TrackedText& tracked_by) {
    std::string out = "------ VRRP state ------\n";
    for (const auto& i : r.instances()) {
        out += instance_head(*i, unbound, tracked_by);
        const auto master = i->master_address();
        out += fmt::format("  Master: {}\n", master ? master->to_string() : "unknown");
    }
    return out;
}

std::string stats_text(const vrrp::Router& r, const std::map<std::string, std::string>& unbound,
                       const TrackedText& tracked_by) {
    std::string out = "------ VRRP statistics ------\n";
    for (const auto& i : r.instances()) {
        const auto& c = i->fsm().counters();
        out += instance_head(*i, unbound, tracked_by);
        out += fmt::format(
            "  Advertisements:\n    Received: {}\n    Sent: {}\n"
            "  Became master: {}\n  Released master: {}\n  Priority Zero:\n    Received: {}\n"
            "    Sent: {}\n  Lower priority masters seen: {}\n  Packet Errors:\n",
            c.adverts_received, c.adverts_sent, c.became_master, c.released_master,
            c.priority_zero_received, c.priority_zero_sent, c.lower_priority_master_seen);
        if (i->rx_errors().empty()) out += "    none\n";
        i->rx_errors().for_each([&](vrrp::RxReject k, std::uint64_t v) {
            out += fmt::format("    {}: {}\n", vrrp::counter_key(k), v);
        });
    }
    out += fmt::format("Adverts for unknown VRIDs: {}\n",
                       r.unattributed_errors()[vrrp::RxReject::unknown_vrid]);
    r.unattributed_errors().for_each([&](vrrp::RxReject k, std::uint64_t v) {
        if (k != vrrp::RxReject::unknown_vrid)
            out += fmt::format("Unattributed packet errors {}: {}\n", vrrp::counter_key(k), v);
    });
    return out;
}

}  // namespace vigil::vrrpd
