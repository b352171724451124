// Address, route and rule statements, shared by static_ipaddress/static_routes/static_rules
// and a vrrp_instance's virtual_ipaddress(_excluded)/virtual_routes/virtual_rules. The
// syntax is that of `ip address/route/rule add` (keepalived.conf(5)).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "config/source.h"

namespace vigil::config {

// One line of virtual_ipaddress / virtual_ipaddress_excluded / static_ipaddress.
struct AddressSpec {
    SourceLoc loc;
    IpPrefix address;  // length defaults to 32/128 when no /MASK is given
    enum class Broadcast : std::uint8_t { none, address, clear_host_bits, set_host_bits };
    Broadcast broadcast = Broadcast::none;  // brd ADDR | brd - | brd +
    std::optional<IpAddress> broadcast_address;
    std::string dev;  // empty: the instance's interface (or default_interface)
    std::optional<std::uint8_t> scope;  // rtnetlink scope: global 0, site 200, link 253, host 254, nowhere 255
    std::string label;
    std::optional<IpPrefix> peer;
    bool home = false;
    bool nodad = false;
    bool mngtmpaddr = false;
    bool noprefixroute = false;
    bool autojoin = false;
    bool no_track = false;
    bool use_vmac = false;
    std::optional<std::uint32_t> preferred_lft;  // seconds; 0xFFFFFFFF = forever
    std::string track_group;
};

// One line of static_routes / virtual_routes (`ip route add` syntax).
struct RouteSpec {
    SourceLoc loc;
    IpPrefix destination;
};

// One line of static_rules / virtual_rules (`ip rule add` syntax).
struct RuleSpec {
    SourceLoc loc;
};

// Each reads one line; `words` are its words (the first word of the line is argument 0).
// They report errors with their location and return nullopt on failure.
class Args;
std::optional<AddressSpec> parse_address_spec(const Args& words);
std::optional<RouteSpec> parse_route_spec(const Args& words);
std::optional<RuleSpec> parse_rule_spec(const Args& words);

}  // namespace vigil::config
