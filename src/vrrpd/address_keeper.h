// What a VRRP master holds in the kernel: its virtual_ipaddress(_excluded), virtual_routes
// and virtual_rules, added on becoming master, removed on leaving, moved line by line when a
// reload changes them, and checked when the kernel reports a deletion. The diff of what is
// held against what is wanted is pure (diff_lines); the kernel is reached through Netlink.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/model_ip.h"
#include "config/model_vrrp.h"
#include "core/log.h"
#include "net/netlink.h"

namespace vigil::vrrpd {

// What one instance wants while master.
struct Wanted {
    std::vector<config::AddressSpec> addresses;  // VIPs, then the excluded ones
    std::vector<config::RouteSpec> routes;
    std::vector<config::RuleSpec> rules;
};
Wanted wanted_of(const config::VrrpInstance& vi);

// An address as added: on which interface.
struct HeldAddress {
    int ifindex = 0;
    config::AddressSpec spec;
};

// What one instance holds in the kernel.
struct Held {
    bool installed = false;
    std::vector<HeldAddress> addresses;
    std::vector<config::RouteSpec> routes;
    std::vector<config::RuleSpec> rules;
};

// The lines to remove and to add to go from `held` to `wanted`; a line whose statement is
// unchanged (same_line) stays, wherever it moved.
template <class Spec>
struct LineDiff {
    std::vector<Spec> remove;
    std::vector<Spec> add;
};
template <class Spec>
LineDiff<Spec> diff_lines(const std::vector<Spec>& held, const std::vector<Spec>& wanted) {
    const auto contains = [](const std::vector<Spec>& v, const Spec& x) {
        for (const auto& y : v)
            if (config::same_line(x, y)) return true;
        return false;
    };
    LineDiff<Spec> d;
    for (const auto& x : held)
        if (!contains(wanted, x)) d.remove.push_back(x);
    for (const auto& x : wanted)
        if (!contains(held, x)) d.add.push_back(x);
    return d;
}

// Where an instance lives: the interface VIPs without `dev` go on.
struct Home {
    int ifindex = 0;
    std::string ifname;
};

class AddressKeeper {
  public:
    AddressKeeper(net::Netlink& nl, core::Logger log) : nl_(nl), log_(std::move(log)) {}

    void install(const std::string& instance, const Home& home, const Wanted& w, Held& held);
    void uninstall(const std::string& instance, Held& held);
    // A reload while master: only the lines that changed move.
    void sync(const std::string& instance, const Home& home, const Wanted& w, Held& held);
    // Removes the VIPs a previous run may have left (a crash, another daemon): a backup must
    // not hold them.
    void remove_stale(const std::string& instance, const Home& home, const Wanted& w);

    // After the kernel reported (ifindex, address) deleted: whether it is a tracked address
    // of `held` that is really gone. The event may be an old one, of the instance's own
    // removal just before it took the address again: the kernel's list decides.
    bool address_lost(const Held& held, int ifindex, const IpAddress& address);
    // After the kernel reported a route (rule) deletion: whether one of the tracked routes
    // (rules) of `held` was missing; it is added back.
    bool route_lost(const std::string& instance, const Home& home, const Held& held,
                    const net::RouteDeleted& deleted);
    bool rule_lost(const std::string& instance, const Held& held, Family family);

    // static_ipaddress / static_routes / static_rules: set at start; on reload only the lines
    // that changed move; removed at stop when the VIPs are released.
    void set_statics(const std::vector<config::AddressSpec>& addresses,
                     const std::vector<config::RouteSpec>& routes,
                     const std::vector<config::RuleSpec>& rules);
    void remove_statics();

  private:
    int ifindex_of(const std::string& dev, const Home& home);
    void add_address(const std::string& instance, const Home& home, const config::AddressSpec& a,
                     Held& held);
    void remove_address(const std::string& instance, const HeldAddress& a);
    void report(const std::string& instance, const Status& s);

    net::Netlink& nl_;
    core::Logger log_;
    Held statics_;
};

}  // namespace vigil::vrrpd
