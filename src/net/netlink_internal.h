// Pieces shared by the libnl implementation's files (not for users of net/netlink.h):
// RAII handles for libnl objects, address conversion, iproute2 name files, the
// request/acknowledgement exchange, and the RouteSpec/RuleSpec request builders.
#pragma once

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <netlink/socket.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "config/model_ip.h"
#include "net/netlink.h"

namespace vigil::net::detail {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using SockPtr = std::unique_ptr<nl_sock, Deleter<nl_sock, nl_socket_free>>;
using MsgPtr = std::unique_ptr<nl_msg, Deleter<nl_msg, nlmsg_free>>;
using AddrPtr = std::unique_ptr<nl_addr, Deleter<nl_addr, nl_addr_put>>;
using CachePtr = std::unique_ptr<nl_cache, Deleter<nl_cache, nl_cache_free>>;
using LinkPtr = std::unique_ptr<rtnl_link, Deleter<rtnl_link, rtnl_link_put>>;
using IfAddrPtr = std::unique_ptr<rtnl_addr, Deleter<rtnl_addr, rtnl_addr_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, Deleter<rtnl_route, rtnl_route_put>>;
using RulePtr = std::unique_ptr<rtnl_rule, Deleter<rtnl_rule, rtnl_rule_put>>;

int address_family(Family f);
// An nl_addr holding `a` with the given prefix length (never null: aborts on no memory).
AddrPtr to_nl_addr(const IpAddress& a, unsigned prefix_len);
AddrPtr to_nl_addr(const IpPrefix& p);
// nullopt when the nl_addr is not an IPv4 or IPv6 address.
std::optional<IpAddress> from_nl_addr(const nl_addr* a);

// A socket connected to NETLINK_ROUTE with extended acknowledgements enabled.
Result<SockPtr> connect_route_socket();

// Sends a request and waits for the kernel's acknowledgement. `error` is 0 or the errno the
// kernel returned; `message` the kernel's extended-ack text, when it gave one.
struct KernelAck {
    int error = 0;
    std::string message;
};
KernelAck transact(nl_sock* sock, nl_msg* msg);
// "No such device" or "Invalid argument (kernel: Nexthop has invalid gateway)".
std::string describe(const KernelAck& ack);

// The iproute2 files that map names to numbers.
enum class NameFile : std::uint8_t { rt_tables, rt_protos, rt_realms, group };
// The directories searched, first match wins (iproute2 6.x: /etc overrides /usr/share).
std::vector<std::string> default_name_dirs();
// An RtId's number: itself when resolved, else looked up in `<dir>/<file>` and
// `<dir>/<file>.d/*.conf` for each dir; an Error names the unknown name and the files.
Result<std::uint32_t> resolve_rt_id(const config::RtId& id, NameFile file,
                                    const std::vector<std::string>& dirs);
// realms [FROM/]TO as the kernel's 32-bit value (FROM << 16 | TO).
Result<std::uint32_t> resolve_realms(const config::Realms& r, const std::vector<std::string>& dirs);

// Interface lookups the builders need; by name through the kernel.
Result<int> ifindex_of(nl_sock* sock, std::string_view name);
Link to_link(rtnl_link* l);

// The RTM_NEWROUTE/RTM_DELROUTE request for a spec (without NLM_F_ACK; transact adds it).
Result<MsgPtr> build_route_request(nl_sock* sock, const config::RouteSpec& r, int default_ifindex,
                                   bool add, const std::vector<std::string>& name_dirs);
// "198.51.100.0/24 via 192.0.2.1 dev eth0 table 100": the route as errors name it.
std::string describe_route(const config::RouteSpec& r);

// The RTM_NEWRULE/RTM_DELRULE request for a spec.
Result<MsgPtr> build_rule_request(const config::RuleSpec& r, bool add,
                                  const std::vector<std::string>& name_dirs);
std::string describe_rule(const config::RuleSpec& r);

}  // namespace vigil::net::detail
