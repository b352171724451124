// The kernel shell for interfaces, addresses, routes and rules (rtnetlink). The VRRP worker
// and the static address/route/rule code talk to `Netlink`; unit tests of those use fakes,
// and the one real implementation (libnl-route) is `open_netlink()`.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "config/model_ip.h"

namespace vigil::net {

struct Link {
    int ifindex = 0;
    std::string name;
    bool admin_up = false;  // IFF_UP
    bool oper_up = false;   // IFF_RUNNING (carrier + admin up): what VRRP uses for FAULT
    std::array<std::uint8_t, 6> mac{};
    bool has_mac = false;
    unsigned mtu = 0;
};

// An address on an interface, as the kernel lists it.
struct InterfaceAddress {
    IpPrefix prefix;
    bool secondary = false;  // IPv4: not the primary address of its subnet
    bool tentative = false;  // IPv6: duplicate address detection is not over (not usable yet)
    bool operator==(const InterfaceAddress&) const = default;
};

// What the kernel reports on the groups the VRRP worker watches.
struct LinkEvent {
    Link link;
    bool removed = false;
};
struct AddressEvent {
    int ifindex = 0;
    InterfaceAddress address;
    bool removed = false;
};
// A route or a rule was deleted: the worker checks that its own are still there.
struct RouteDeleted {
    Family family = Family::inet;
    std::uint8_t protocol = 0;  // RTPROT_*
};
struct RuleDeleted {
    Family family = Family::inet;
};
using NetEvent = std::variant<LinkEvent, AddressEvent, RouteDeleted, RuleDeleted>;

class Netlink {
  public:
    Netlink() = default;
    Netlink(const Netlink&) = delete;
    Netlink& operator=(const Netlink&) = delete;
    virtual ~Netlink() = default;

    virtual Result<Link> link(std::string_view name) = 0;
    virtual Result<Link> link(int ifindex) = 0;
    // Addresses configured on the interface in that family; the primary address first
    // (IPv4: first non-secondary; IPv6: link-local first, then others), then the rest.
    virtual Result<std::vector<InterfaceAddress>> addresses(int ifindex, Family f) = 0;
    // Idempotent: adding an address already present, or removing one absent, is Ok.
    virtual Status add_address(int ifindex, const config::AddressSpec& a) = 0;
    virtual Status remove_address(int ifindex, const config::AddressSpec& a) = 0;
    // `default_ifindex` is used when the spec names no dev (0: none). Idempotent like the
    // addresses: a route with the same key (destination, table, metric, tos) already present
    // counts as added, one absent as removed.
    virtual Status add_route(const config::RouteSpec& r, int default_ifindex) = 0;
    virtual Status remove_route(const config::RouteSpec& r, int default_ifindex) = 0;
    // Idempotent: an identical rule already present counts as added, one absent as removed.
    virtual Status add_rule(const config::RuleSpec& r) = 0;
    virtual Status remove_rule(const config::RuleSpec& r) = 0;
    // Add the route (rule) when it is missing, and say whether it was: how the worker finds
    // out that one of its own was deleted behind its back.
    virtual Result<bool> restore_route(const config::RouteSpec& r, int default_ifindex) = 0;
    virtual Result<bool> restore_rule(const config::RuleSpec& r) = 0;
};

// The libnl implementation, on a NETLINK_ROUTE socket of the calling thread's network
// namespace.
Result<std::unique_ptr<Netlink>> open_netlink();

}  // namespace vigil::net
