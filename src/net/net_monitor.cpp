// RTNLGRP_LINK notifications, read straight from the socket: libnl's receive loop has no
// clean "stop when the socket is empty" on a non-blocking socket, and a link message is
// simple to read (ifinfomsg + IFLA_IFNAME/IFLA_ADDRESS/IFLA_MTU).
#include "net/link_monitor.h"

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

std::optional<LinkEvent> parse_link_message(nlmsghdr* hdr) {
    if (hdr->nlmsg_type != RTM_NEWLINK && hdr->nlmsg_type != RTM_DELLINK) return std::nullopt;
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

}  // namespace

void LinkMonitor::SockFree::operator()(nl_sock* s) const {
    nl_socket_free(s);
}

LinkMonitor::LinkMonitor(std::unique_ptr<nl_sock, SockFree> sock) : sock_(std::move(sock)) {}
LinkMonitor::LinkMonitor(LinkMonitor&&) noexcept = default;
LinkMonitor& LinkMonitor::operator=(LinkMonitor&&) noexcept = default;
LinkMonitor::~LinkMonitor() = default;

Result<LinkMonitor> LinkMonitor::open() {
    std::unique_ptr<nl_sock, SockFree> sock(nl_socket_alloc());
    if (!sock) return Error{"cannot allocate a netlink socket"};
    nl_socket_disable_seq_check(sock.get());
    if (const int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0)
        return Error{fmt::format("cannot open a rtnetlink socket: {}", nl_geterror(err))};
    if (const int err = nl_socket_add_membership(sock.get(), RTNLGRP_LINK); err < 0)
        return Error{fmt::format("cannot subscribe to link events: {}", nl_geterror(err))};
    if (const int err = nl_socket_set_nonblocking(sock.get()); err < 0)
        return Error{fmt::format("cannot make the link socket non-blocking: {}", nl_geterror(err))};
    // A burst (many VLANs or VMACs coming up at once) must not overrun the default buffer.
    (void)nl_socket_set_buffer_size(sock.get(), receive_buffer_bytes, 0);
    return LinkMonitor(std::move(sock));
}

int LinkMonitor::fd() const {
    return nl_socket_get_fd(sock_.get());
}

bool LinkMonitor::take_overrun() {
    return std::exchange(overrun_, false);
}

std::vector<LinkEvent> LinkMonitor::drain() {
    std::vector<LinkEvent> events;
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
            if (auto ev = parse_link_message(hdr)) events.push_back(std::move(*ev));
        }
    }
    return events;
}

}  // namespace vigil::net
