// The libnl implementation of Netlink: links and addresses here, routes and rules through
// the request builders (netlink_route_spec.cpp, netlink_rule_spec.cpp). Every change is
// one request answered by one acknowledgement, so that an error names the object it is about.
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "net/netlink.h"
#include "net/netlink_internal.h"

namespace vigil::net {

namespace {

using namespace detail;

std::string address_text(const config::AddressSpec& a) {
    std::string s = a.address.to_string();
    if (a.peer) s += " peer " + a.peer->to_string();
    return s;
}

// brd - / brd +: the network or the all-ones broadcast of the prefix; like `ip address`,
// only for prefixes that have host bits to spare (up to /30).
std::optional<IpAddress> broadcast_of(const config::AddressSpec& a) {
    using B = config::AddressSpec::Broadcast;
    const IpAddress& addr = a.address.address;
    switch (a.broadcast) {
        case B::none:
            return std::nullopt;
        case B::address:
            return a.broadcast_address;
        case B::clear_host_bits:
        case B::set_host_bits:
            if (!addr.is_v4() || a.address.length > 30) return std::nullopt;
            if (a.broadcast == B::clear_host_bits) return addr.masked(a.address.length);
            return IpAddress::v4(addr.v4_host_order() | (0xFFFFFFFFU >> a.address.length));
    }
    return std::nullopt;
}

// libnl sends IFA_ADDRESS = IFA_LOCAL when there is no peer; with a peer IFA_ADDRESS is the
// peer, so that attribute's payload (same length) is overwritten in place.
bool set_ipv6_peer(nl_msg* msg, const IpAddress& peer) {
    nlattr* attr = nlmsg_find_attr(nlmsg_hdr(msg), sizeof(ifaddrmsg), IFA_ADDRESS);
    if (attr == nullptr || nla_len(attr) != 16) return false;
    std::memcpy(nla_data(attr), peer.bytes().data(), 16);
    return true;
}

unsigned address_flags(const config::AddressSpec& a) {
    unsigned flags = 0;
    if (a.address.address.is_v6() && !a.dad) flags |= IFA_F_NODAD;
    if (a.home) flags |= IFA_F_HOMEADDRESS;
    if (a.mngtmpaddr) flags |= IFA_F_MANAGETEMPADDR;
    if (a.noprefixroute) flags |= IFA_F_NOPREFIXROUTE;
    if (a.autojoin) flags |= IFA_F_MCAUTOJOIN;
    return flags;
}

class LibnlNetlink final : public Netlink {
  public:
    explicit LibnlNetlink(SockPtr sock) : sock_(std::move(sock)), name_dirs_(default_name_dirs()) {}

    Result<Link> link(std::string_view name) override {
        const std::string n(name);
        return get_link(0, n.c_str(), fmt::format("interface '{}'", n));
    }

    Result<Link> link(int ifindex) override {
        return get_link(ifindex, nullptr, fmt::format("interface index {}", ifindex));
    }

    Result<std::vector<InterfaceAddress>> addresses(int ifindex, Family f) override {
        nl_cache* raw = nullptr;
        if (const int err = rtnl_addr_alloc_cache(sock_.get(), &raw); err < 0)
            return Error{fmt::format("cannot list addresses: {}", nl_geterror(err))};
        const CachePtr cache(raw);
        std::vector<InterfaceAddress> primary;
        std::vector<InterfaceAddress> rest;
        for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr;
             o = nl_cache_get_next(o)) {
            auto* a = reinterpret_cast<rtnl_addr*>(o);
            if (rtnl_addr_get_ifindex(a) != ifindex) continue;
            if (rtnl_addr_get_family(a) != address_family(f)) continue;
            const auto local = from_nl_addr(rtnl_addr_get_local(a));
            if (!local) continue;
            const unsigned flags = rtnl_addr_get_flags(a);
            const InterfaceAddress ia{{*local, static_cast<unsigned>(rtnl_addr_get_prefixlen(a))},
                                      (flags & IFA_F_SECONDARY) != 0,
                                      (flags & IFA_F_TENTATIVE) != 0};
            const bool first = f == Family::inet ? !ia.secondary : local->is_link_local();
            (first ? primary : rest).push_back(ia);
        }
        primary.insert(primary.end(), rest.begin(), rest.end());
        return primary;
    }

    Status add_address(int ifindex, const config::AddressSpec& a) override {
        return change_address(ifindex, a, true);
    }

    Status remove_address(int ifindex, const config::AddressSpec& a) override {
        return change_address(ifindex, a, false);
    }

    Status add_route(const config::RouteSpec& r, int default_ifindex) override {
        return change_route(r, default_ifindex, true);
    }

    Status remove_route(const config::RouteSpec& r, int default_ifindex) override {
        return change_route(r, default_ifindex, false);
    }

    Status add_rule(const config::RuleSpec& r) override { return change_rule(r, true); }
    Status remove_rule(const config::RuleSpec& r) override { return change_rule(r, false); }

    Result<bool> restore_route(const config::RouteSpec& r, int default_ifindex) override {
        bool was_missing = false;
        if (auto s = change_route(r, default_ifindex, true, &was_missing); !s)
            return Error{s.error()};
        return was_missing;
    }

    Result<bool> restore_rule(const config::RuleSpec& r) override {
        bool was_missing = false;
        if (auto s = change_rule(r, true, &was_missing); !s) return Error{s.error()};
        return was_missing;
    }

  private:
    Result<Link> get_link(int ifindex, const char* name, const std::string& what) {
        rtnl_link* raw = nullptr;
        const int err = rtnl_link_get_kernel(sock_.get(), ifindex, name, &raw);
        const LinkPtr l(raw);
        if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV || (err >= 0 && !l))
            return Error{fmt::format("no {}: no such device", what)};
        if (err < 0) return Error{fmt::format("cannot read {}: {}", what, nl_geterror(err))};
        return to_link(l.get());
    }

    Status change_address(int ifindex, const config::AddressSpec& a, bool add) {
        const std::string verb = add ? "add" : "remove";
        const std::string prep = add ? "to" : "from";
        auto l = link(ifindex);
        if (!l)
            return Error{fmt::format("cannot {} {} {} interface index {}: no such device", verb,
                                     address_text(a), prep, ifindex)};
        const std::string& ifname = l->name;
        const auto fail = [&](const std::string& why) {
            return Error{
                fmt::format("cannot {} {} {} {}: {}", verb, address_text(a), prep, ifname, why)};
        };
        const IpAddress& addr = a.address.address;
        if (a.peer && a.peer->address.family() != addr.family())
            return fail("peer address family differs from the address");

        IfAddrPtr obj(rtnl_addr_alloc());
        if (!obj) throw std::bad_alloc();
        rtnl_addr_set_ifindex(obj.get(), ifindex);
        rtnl_addr_set_family(obj.get(), address_family(addr.family()));
        rtnl_addr_set_local(obj.get(), to_nl_addr(a.address).get());
        // libnl 3.7 takes only IPv4 peers; an IPv6 peer is written into the request below.
        if (a.peer && addr.is_v4() && rtnl_addr_set_peer(obj.get(), to_nl_addr(*a.peer).get()) < 0)
            return fail("invalid peer address");
        // With a peer, `ip address` takes the prefix length from the peer's prefix.
        rtnl_addr_set_prefixlen(obj.get(),
                                static_cast<int>(a.peer ? a.peer->length : a.address.length));
        if (add) {
            if (!a.label.empty()) {
                if (!a.label.starts_with(ifname))
                    return fail(
                        fmt::format("label '{}' must start with the interface name", a.label));
                if (rtnl_addr_set_label(obj.get(), a.label.c_str()) < 0)
                    return fail(fmt::format("invalid label '{}'", a.label));
            }
            if (auto brd = broadcast_of(a); brd && addr.is_v4())
                rtnl_addr_set_broadcast(obj.get(), to_nl_addr(*brd, 32).get());
            // The kernel ignores an IPv6 address's scope (it derives it from the address),
            // and keepalived does not send one.
            if (addr.is_v4()) rtnl_addr_set_scope(obj.get(), a.scope.value_or(RT_SCOPE_UNIVERSE));
            if (const unsigned flags = address_flags(a); flags != 0)
                rtnl_addr_set_flags(obj.get(), flags);
            if (a.preferred_lft) {
                rtnl_addr_set_valid_lifetime(obj.get(), 0xFFFFFFFFU);
                rtnl_addr_set_preferred_lifetime(obj.get(), *a.preferred_lft);
            }
        }
        nl_msg* raw = nullptr;
        const int err =
            add ? rtnl_addr_build_add_request(obj.get(), NLM_F_CREATE | NLM_F_EXCL, &raw)
                : rtnl_addr_build_delete_request(obj.get(), 0, &raw);
        const MsgPtr msg(raw);
        if (err < 0 || !msg)
            return fail(fmt::format("cannot build the request: {}", nl_geterror(err)));
        if (a.peer && addr.is_v6() && !set_ipv6_peer(msg.get(), a.peer->address))
            return fail("cannot build the request: no IFA_ADDRESS to hold the peer");
        const KernelAck ack = transact(sock_.get(), msg.get());
        if (ack.error == 0) return Ok{};
        if (add && ack.error == EEXIST) return Ok{};
        if (!add && ack.error == EADDRNOTAVAIL) return Ok{};
        return fail(describe(ack));
    }

    // `created` (when given) says whether an add created it (false: it was there already).
    Status change_route(const config::RouteSpec& r, int default_ifindex, bool add,
                        bool* created = nullptr) {
        const auto fail = [&](const std::string& why) {
            return Error{fmt::format("cannot {} route {}: {}", add ? "add" : "remove",
                                     describe_route(r), why)};
        };
        auto msg = build_route_request(sock_.get(), r, default_ifindex, add, name_dirs_);
        if (!msg) return fail(msg.error());
        const KernelAck ack = transact(sock_.get(), msg.value().get());
        if (created != nullptr) *created = ack.error == 0;
        if (ack.error == 0) return Ok{};
        if (add && ack.error == EEXIST) return Ok{};
        if (!add && ack.error == ESRCH) return Ok{};
        return fail(describe(ack));
    }

    Status change_rule(const config::RuleSpec& r, bool add, bool* created = nullptr) {
        const auto fail = [&](const std::string& why) {
            return Error{fmt::format("cannot {} rule {}: {}", add ? "add" : "remove",
                                     describe_rule(r), why)};
        };
        auto msg = build_rule_request(r, add, name_dirs_);
        if (!msg) return fail(msg.error());
        const KernelAck ack = transact(sock_.get(), msg.value().get());
        if (created != nullptr) *created = ack.error == 0;
        if (ack.error == 0) return Ok{};
        if (add && ack.error == EEXIST) return Ok{};
        if (!add && ack.error == ENOENT) return Ok{};
        return fail(describe(ack));
    }

    SockPtr sock_;
    std::vector<std::string> name_dirs_;
};

}  // namespace

Result<std::unique_ptr<Netlink>> open_netlink() {
    auto sock = connect_route_socket();
    if (!sock) return Error{sock.error()};
    return std::unique_ptr<Netlink>(std::make_unique<LibnlNetlink>(std::move(sock.value())));
}

}  // namespace vigil::net
