#include "vrrpd/address_keeper.h"

#include <algorithm>

namespace vigil::vrrpd {

namespace {

// RTPROT_KEEPALIVED: what vigil (like keepalived) marks its routes with unless configured.
constexpr std::uint8_t protocol_keepalived = 18;

// Whether the deleted route may be `r`: same family, and the protocol vigil gave it.
bool may_be(const config::RouteSpec& r, const net::RouteDeleted& d) {
    if (r.destination.address.family() != d.family) return false;
    return r.protocol.has_value() || d.protocol == protocol_keepalived;
}

Family family_of(const config::RuleSpec& r) {
    const bool v6 =
        r.inet6 || (r.from && r.from->address.is_v6()) || (r.to && r.to->address.is_v6());
    return v6 ? Family::inet6 : Family::inet;
}

}  // namespace

Wanted wanted_of(const config::VrrpInstance& vi) {
    Wanted w;
    w.addresses = vi.virtual_ipaddresses;
    w.addresses.insert(w.addresses.end(), vi.virtual_ipaddresses_excluded.begin(),
                       vi.virtual_ipaddresses_excluded.end());
    w.routes = vi.virtual_routes;
    w.rules = vi.virtual_rules;
    return w;
}

void AddressKeeper::report(const std::string& instance, const Status& s) {
    if (!s) log_->error("({}) {}", instance, s.error());
}

int AddressKeeper::ifindex_of(const std::string& dev, const Home& home) {
    if (dev.empty() || dev == home.ifname) return home.ifindex;
    auto link = nl_.link(dev);
    return link ? link->ifindex : 0;
}

void AddressKeeper::add_address(const std::string& instance, const Home& home,
                                const config::AddressSpec& a, Held& held) {
    const int ifindex = ifindex_of(a.dev, home);
    if (ifindex == 0) {
        log_->error("({}) cannot add {}: no interface {}", instance, a.address.to_string(),
                    a.dev.empty() ? home.ifname : a.dev);
        return;
    }
    const auto s = nl_.add_address(ifindex, a);
    report(instance, s);
    if (s) held.addresses.push_back({ifindex, a});
}

void AddressKeeper::remove_address(const std::string& instance, const HeldAddress& a) {
    report(instance, nl_.remove_address(a.ifindex, a.spec));
}

void AddressKeeper::install(const std::string& instance, const Home& home, const Wanted& w,
                            Held& held) {
    held.installed = true;
    for (const auto& a : w.addresses) add_address(instance, home, a, held);
    for (const auto& r : w.routes) {
        const auto s = nl_.add_route(r, home.ifindex);
        report(instance, s);
        if (s) held.routes.push_back(r);
    }
    for (const auto& r : w.rules) {
        const auto s = nl_.add_rule(r);
        report(instance, s);
        if (s) held.rules.push_back(r);
    }
    log_->info("({}) setting VIPs", instance);
}

void AddressKeeper::uninstall(const std::string& instance, Held& held) {
    for (const auto& r : held.rules) report(instance, nl_.remove_rule(r));
    // Routes before the addresses they may use as a source.
    for (const auto& r : held.routes) report(instance, nl_.remove_route(r, 0));
    for (const auto& a : held.addresses) remove_address(instance, a);
    held = Held{};
    log_->info("({}) removing VIPs", instance);
}

void AddressKeeper::sync(const std::string& instance, const Home& home, const Wanted& w,
                         Held& held) {
    std::vector<config::AddressSpec> lines;
    for (const auto& a : held.addresses) lines.push_back(a.spec);
    const auto addresses = diff_lines(lines, w.addresses);
    for (const auto& gone : addresses.remove) {
        const auto it = std::find_if(held.addresses.begin(), held.addresses.end(),
                                     [&](const HeldAddress& h) { return h.spec == gone; });
        remove_address(instance, *it);
        held.addresses.erase(it);
    }
    for (const auto& a : addresses.add) add_address(instance, home, a, held);

    const auto routes = diff_lines(held.routes, w.routes);
    for (const auto& r : routes.remove) report(instance, nl_.remove_route(r, home.ifindex));
    for (const auto& r : routes.add) report(instance, nl_.add_route(r, home.ifindex));
    held.routes = w.routes;
    const auto rules = diff_lines(held.rules, w.rules);
    for (const auto& r : rules.remove) report(instance, nl_.remove_rule(r));
    for (const auto& r : rules.add) report(instance, nl_.add_rule(r));
    held.rules = w.rules;
}

void AddressKeeper::remove_stale(const std::string& instance, const Home& home, const Wanted& w) {
    for (const auto& a : w.addresses)
        if (const int ifindex = ifindex_of(a.dev, home); ifindex != 0)
            report(instance, nl_.remove_address(ifindex, a));
}

bool AddressKeeper::address_lost(const Held& held, int ifindex, const IpAddress& address) {
    const bool tracked =
        std::any_of(held.addresses.begin(), held.addresses.end(), [&](const HeldAddress& h) {
            return !h.spec.no_track && h.ifindex == ifindex && h.spec.address.address == address;
        });
    if (!tracked) return false;
    const auto present = nl_.addresses(ifindex, address.family());
    if (!present) return true;  // cannot tell: trust the event
    return std::none_of(
        present.value().begin(), present.value().end(),
        [&](const net::InterfaceAddress& x) { return x.prefix.address == address; });
}

bool AddressKeeper::route_lost(const std::string& instance, const Home& home, const Held& held,
                               const net::RouteDeleted& deleted) {
    bool lost = false;
    for (const auto& r : held.routes) {
        if (r.no_track || !may_be(r, deleted)) continue;
        const auto missing = nl_.restore_route(r, home.ifindex);
        if (!missing) {
            log_->error("({}) {}", instance, missing.error());
        } else if (missing.value()) {
            log_->warn("({}) virtual route {} was deleted", instance, r.destination.to_string());
            lost = true;
        }
    }
    return lost;
}

bool AddressKeeper::rule_lost(const std::string& instance, const Held& held, Family family) {
    bool lost = false;
    for (const auto& r : held.rules) {
        if (r.no_track || family_of(r) != family) continue;
        const auto missing = nl_.restore_rule(r);
        if (!missing) {
            log_->error("({}) {}", instance, missing.error());
        } else if (missing.value()) {
            log_->warn("({}) a virtual rule was deleted", instance);
            lost = true;
        }
    }
    return lost;
}

void AddressKeeper::set_statics(const std::vector<config::AddressSpec>& addresses,
                                const std::vector<config::RouteSpec>& routes,
                                const std::vector<config::RuleSpec>& rules) {
    const std::string who = "static";
    std::vector<config::AddressSpec> lines;
    for (const auto& a : statics_.addresses) lines.push_back(a.spec);
    const auto a_diff = diff_lines(lines, addresses);
    for (const auto& gone : a_diff.remove) {
        const auto it = std::find_if(statics_.addresses.begin(), statics_.addresses.end(),
                                     [&](const HeldAddress& h) { return h.spec == gone; });
        remove_address(who, *it);
        statics_.addresses.erase(it);
    }
    for (const auto& a : a_diff.add) add_address(who, Home{}, a, statics_);
    const auto r_diff = diff_lines(statics_.routes, routes);
    for (const auto& r : r_diff.remove) report(who, nl_.remove_route(r, 0));
    for (const auto& r : r_diff.add) report(who, nl_.add_route(r, 0));
    statics_.routes = routes;
    const auto u_diff = diff_lines(statics_.rules, rules);
    for (const auto& r : u_diff.remove) report(who, nl_.remove_rule(r));
    for (const auto& r : u_diff.add) report(who, nl_.add_rule(r));
    statics_.rules = rules;
}

void AddressKeeper::remove_statics() {
    for (const auto& r : statics_.rules) (void)nl_.remove_rule(r);
    for (const auto& r : statics_.routes) (void)nl_.remove_route(r, 0);
    for (const auto& a : statics_.addresses) (void)nl_.remove_address(a.ifindex, a.spec);
    statics_ = Held{};
}

}  // namespace vigil::vrrpd
