// Link, address, route and rule notifications, read straight from the socket: libnl's
// receive loop has no clean "stop when the socket is empty" on a non-blocking socket, and
// these messages are simple to read.
#include "net/net_monitor.h"

#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

namespace vigil::net {

namespace {

constexpr int receive_buffer_bytes = 1 << 20;

std::optional<Family> family_of(int af) {
    if (af == AF_INET) return Family::inet;
    if (af == AF_INET6) return Family::inet6;
    return std::nullopt;
}

std::optional<NetEvent> parse_link_message(nlmsghdr* hdr) {
    if (!nlmsg_valid_hdr(hdr, sizeof(ifinfomsg))) return std::nullopt;
    const auto* ifi = static_cast<const ifinfomsg*>(nlmsg_data(hdr));
    std::array<nlattr*, IFLA_MAX + 1> tb{};
    if (nlmsg_parse(hdr, sizeof(ifinfomsg), tb.data(), IFLA_MAX, nullptr) < 0) return std::nullopt;
    LinkEvent ev;
    ev.removed = hdr->nlmsg_type == RTM_DELLINK;
    ev.link.ifindex = ifi->ifi_index;
    ev.link.admin_up = (ifi->ifi_flags & IFF_UP) != 0;
    ev.link.oper_up = (ifi->ifi_flags & IFF_RUNNING) != 0;
    if (tb[IFLA_IFNAME] != nullptr) ev.link.name = nla_get_string(tb[IFLA_IFNAME]);
    if (tb[IFLA_MTU] != nullptr && nla_len(tb[IFLA_MTU]) >= 4)
        ev.link.mtu = nla_get_u32(tb[IFLA_MTU]);
    if (tb[IFLA_ADDRESS] != nullptr && nla_len(tb[IFLA_ADDRESS]) == 6) {
        std::memcpy(ev.link.mac.data(), nla_data(tb[IFLA_ADDRESS]), ev.link.mac.size());
        ev.link.has_mac = true;
    }
    return ev;
}

std::optional<NetEvent> parse_address_message(nlmsghdr* hdr) {
    if (!nlmsg_valid_hdr(hdr, sizeof(ifaddrmsg))) return std::nullopt;
    const auto* ifa = static_cast<const ifaddrmsg*>(nlmsg_data(hdr));
    const auto family = family_of(ifa->ifa_family);
    if (!family) return std::nullopt;
    std::array<nlattr*, IFA_MAX + 1> tb{};
    if (nlmsg_parse(hdr, sizeof(ifaddrmsg), tb.data(), IFA_MAX, nullptr) < 0) return std::nullopt;
    // IFA_LOCAL is the address itself (IFA_ADDRESS is the peer on point-to-point links);
    // IPv6 only sends IFA_ADDRESS.
    const nlattr* a = tb[IFA_LOCAL] != nullptr ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    const std::size_t size = *family == Family::inet ? 4 : 16;
    if (a == nullptr || static_cast<std::size_t>(nla_len(a)) != size) return std::nullopt;
    std::array<std::uint8_t, 16> raw{};
    std::memcpy(raw.data(), nla_data(a), size);
    const auto address =
        *family == Family::inet
            ? IpAddress::v4((std::uint32_t{raw[0]} << 24) | (std::uint32_t{raw[1]} << 16) |
                            (std::uint32_t{raw[2]} << 8) | raw[3])
            : IpAddress::v6(raw);
    std::uint32_t flags = ifa->ifa_flags;
    if (tb[IFA_FLAGS] != nullptr && nla_len(tb[IFA_FLAGS]) >= 4) flags = nla_get_u32(tb[IFA_FLAGS]);
    AddressEvent ev;
    ev.ifindex = static_cast<int>(ifa->ifa_index);
    ev.address = {{address, ifa->ifa_prefixlen},
                  (flags & IFA_F_SECONDARY) != 0,
                  (flags & IFA_F_TENTATIVE) != 0};
    ev.removed = hdr->nlmsg_type == RTM_DELADDR;
    return ev;
}

std::optional<NetEvent> parse_message(nlmsghdr* hdr) {
    switch (hdr->nlmsg_type) {
        case RTM_NEWLINK:
        case RTM_DELLINK:
            return parse_link_message(hdr);
        case RTM_NEWADDR:
        case RTM_DELADDR:
            return parse_address_message(hdr);
        case RTM_DELROUTE: {
            if (!nlmsg_valid_hdr(hdr, sizeof(rtmsg))) return std::nullopt;
            const auto* rt = static_cast<const rtmsg*>(nlmsg_data(hdr));
            const auto family = family_of(rt->rtm_family);
            if (!family) return std::nullopt;
            return RouteDeleted{*family, rt->rtm_protocol};
        }
        case RTM_DELRULE: {
            if (!nlmsg_valid_hdr(hdr, sizeof(fib_rule_hdr))) return std::nullopt;
            const auto* r = static_cast<const fib_rule_hdr*>(nlmsg_data(hdr));
            const auto family = family_of(r->family);
            if (!family) return std::nullopt;
            return RuleDeleted{*family};
        }
        default:
            return std::nullopt;
    }
}

}  // namespace

void NetMonitor::SockFree::operator()(nl_sock* s) const {
    nl_socket_free(s);
}

NetMonitor::NetMonitor(std::unique_ptr<nl_sock, SockFree> sock) : sock_(std::move(sock)) {}
NetMonitor::NetMonitor(NetMonitor&&) noexcept = default;
NetMonitor& NetMonitor::operator=(NetMonitor&&) noexcept = default;
NetMonitor::~NetMonitor() = default;

Result<NetMonitor> NetMonitor::open() {
    std::unique_ptr<nl_sock, SockFree> sock(nl_socket_alloc());
    if (!sock) return Error{"cannot allocate a netlink socket"};
    nl_socket_disable_seq_check(sock.get());
    if (const int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0)
        return Error{fmt::format("cannot open a rtnetlink socket: {}", nl_geterror(err))};
    for (const int group :
         {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE,
          RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE})
        if (const int err = nl_socket_add_membership(sock.get(), group); err < 0)
            return Error{
                fmt::format("cannot subscribe to rtnetlink group {}: {}", group, nl_geterror(err))};
    if (const int err = nl_socket_set_nonblocking(sock.get()); err < 0)
        return Error{
            fmt::format("cannot make the monitor socket non-blocking: {}", nl_geterror(err))};
    // A burst (many VLANs or VMACs coming up at once) must not overrun the default buffer.
    (void)nl_socket_set_buffer_size(sock.get(), receive_buffer_bytes, 0);
    return NetMonitor(std::move(sock));
}

int NetMonitor::fd() const {
    return nl_socket_get_fd(sock_.get());
}

bool NetMonitor::take_overrun() {
    return std::exchange(overrun_, false);
}

std::vector<NetEvent> NetMonitor::drain() {
    std::vector<NetEvent> events;
    // Large enough for any one datagram the kernel sends on this group (it caps them at a
    // page, or 8 KiB with big pages).
    std::array<std::uint8_t, 32768> buf{};
    for (;;) {
        sockaddr_nl from{};
        socklen_t from_len = sizeof(from);
        const ssize_t n = recvfrom(fd(), buf.data(), buf.size(), MSG_DONTWAIT,
                                   reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == ENOBUFS) {
                overrun_ = true;
                continue;
            }
            break;  // EAGAIN: drained (or a socket error that the next drain sees again)
        }
        if (n == 0) break;
        if (from.nl_pid != 0) continue;  // only the kernel speaks on this group
        auto* hdr = reinterpret_cast<nlmsghdr*>(buf.data());
        for (int remaining = static_cast<int>(n); nlmsg_ok(hdr, remaining);
             hdr = nlmsg_next(hdr, &remaining)) {
            if (auto ev = parse_message(hdr)) events.push_back(std::move(*ev));
        }
    }
    return events;
}

}  // namespace vigil::net
