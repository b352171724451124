#include "net/vrrp_socket.h"

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::net {

namespace {

std::string errno_text() {
    return std::strerror(errno);
}

template <class T>
Status set_option(int fd, int level, int name, const T& value, const char* what) {
    if (::setsockopt(fd, level, name, &value, sizeof value) != 0)
        return Error{fmt::format("setsockopt {}: {}", what, errno_text())};
    return Ok{};
}

in_addr to_in_addr(const IpAddress& a) {
    in_addr out{};
    std::memcpy(&out.s_addr, a.bytes().data(), 4);
    return out;
}

in6_addr to_in6_addr(const IpAddress& a) {
    in6_addr out{};
    std::memcpy(out.s6_addr, a.bytes().data(), 16);
    return out;
}

IpAddress from_in6(const in6_addr& a) {
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), a.s6_addr, 16);
    return IpAddress::v6(b);
}

Status configure_v4(int fd, int ifindex) {
    if (auto s = set_option(fd, IPPROTO_IP, IP_HDRINCL, 1, "IP_HDRINCL"); !s) return s;
    if (auto s = set_option(fd, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO"); !s) return s;
    if (auto s = set_option(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP"); !s)
        return s;
    if (ifindex > 0) {
        ip_mreqn m{};
        m.imr_ifindex = ifindex;
        if (auto s = set_option(fd, IPPROTO_IP, IP_MULTICAST_IF, m, "IP_MULTICAST_IF"); !s)
            return s;
    }
    return Ok{};
}

Status configure_v6(int fd, int ifindex) {
    if (auto s = set_option(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO"); !s)
        return s;
    if (auto s = set_option(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT"); !s)
        return s;
    if (auto s = set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP"); !s)
        return s;
    if (auto s = set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255, "IPV6_MULTICAST_HOPS"); !s)
        return s;
    if (ifindex > 0)
        if (auto s = set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF");
            !s)
            return s;
    return Ok{};
}

}  // namespace

Result<VrrpSocket> VrrpSocket::open(Family f, std::uint8_t protocol, const std::string& ifname,
                                    int ifindex) {
    const int domain = f == Family::inet ? AF_INET : AF_INET6;
    UniqueFd fd(::socket(domain, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
    if (!fd.valid())
        return Error{fmt::format("cannot open a raw {} socket for protocol {}: {}", to_string(f),
                                 protocol, errno_text())};
    if (!ifname.empty() && ::setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(),
                                        static_cast<socklen_t>(ifname.size() + 1)) != 0)
        return Error{fmt::format("cannot bind a VRRP socket to {}: {}", ifname, errno_text())};
    auto s = f == Family::inet ? configure_v4(fd.get(), ifindex) : configure_v6(fd.get(), ifindex);
    if (!s) return Error{fmt::format("VRRP socket on {}: {}", ifname, s.error())};
    return VrrpSocket(std::move(fd), f, ifindex, ifname);
}

Status VrrpSocket::join(const IpAddress& group) {
    if (!group.is_multicast()) return Ok{};
    int rc = 0;
    if (family_ == Family::inet) {
        ip_mreqn m{};
        m.imr_multiaddr = to_in_addr(group);
        m.imr_ifindex = ifindex_;
        rc = ::setsockopt(fd_.get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m);
    } else {
        ipv6_mreq m{};
        m.ipv6mr_multiaddr = to_in6_addr(group);
        m.ipv6mr_interface = static_cast<unsigned>(ifindex_);
        rc = ::setsockopt(fd_.get(), IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m);
    }
    if (rc != 0 && errno != EADDRINUSE)
        return Error{
            fmt::format("cannot join {} on {}: {}", group.to_string(), ifname_, errno_text())};
    return Ok{};
}

Result<std::optional<Datagram>> VrrpSocket::receive(std::span<std::byte> buffer) {
    sockaddr_storage from{};
    iovec iov{buffer.data(), buffer.size()};
    alignas(cmsghdr) std::array<char, 256> control{};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    const ssize_t n = ::recvmsg(fd_.get(), &msg, MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return std::optional<Datagram>{};
        return Error{fmt::format("receive on {}: {}", ifname_, errno_text())};
    }
    Datagram d;
    // A datagram larger than the buffer is truncated: the codec rejects it by its lengths.
    d.data = buffer.first(static_cast<std::size_t>(n));
    d.ifindex = ifindex_;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            in_pktinfo pi{};
            std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
            d.ifindex = pi.ipi_ifindex;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            in6_pktinfo pi{};
            std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
            d.ifindex = static_cast<int>(pi.ipi6_ifindex);
            d.destination = from_in6(pi.ipi6_addr);
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
            int hops = 0;
            std::memcpy(&hops, CMSG_DATA(c), sizeof hops);
            d.hop_limit = static_cast<std::uint8_t>(hops);
        }
    }
    if (family_ == Family::inet6 && from.ss_family == AF_INET6) {
        sockaddr_in6 sin6{};
        std::memcpy(&sin6, &from, sizeof sin6);
        d.source = from_in6(sin6.sin6_addr);
    }
    return std::optional<Datagram>(d);
}

Status VrrpSocket::send(std::span<const std::byte> bytes, const IpAddress& source,
                        const IpAddress& destination, std::uint8_t hop_limit) {
    ssize_t n = 0;
    if (family_ == Family::inet) {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr = to_in_addr(destination);
        n = ::sendto(fd_.get(), bytes.data(), bytes.size(), MSG_DONTWAIT,
                     reinterpret_cast<const sockaddr*>(&to), sizeof to);
    } else {
        sockaddr_in6 to{};
        to.sin6_family = AF_INET6;
        to.sin6_addr = to_in6_addr(destination);
        if (destination.is_link_local() || destination.is_multicast())
            to.sin6_scope_id = static_cast<std::uint32_t>(ifindex_);
        iovec iov{const_cast<std::byte*>(bytes.data()), bytes.size()};
        alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int))>
            control{};
        msghdr msg{};
        msg.msg_name = &to;
        msg.msg_namelen = sizeof to;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = IPPROTO_IPV6;
        c->cmsg_type = IPV6_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
        in6_pktinfo pi{};
        pi.ipi6_addr = to_in6_addr(source);
        pi.ipi6_ifindex = static_cast<unsigned>(ifindex_);
        std::memcpy(CMSG_DATA(c), &pi, sizeof pi);
        c = CMSG_NXTHDR(&msg, c);
        c->cmsg_level = IPPROTO_IPV6;
        c->cmsg_type = IPV6_HOPLIMIT;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        const int hops = hop_limit;
        std::memcpy(CMSG_DATA(c), &hops, sizeof hops);
        n = ::sendmsg(fd_.get(), &msg, MSG_DONTWAIT);
    }
    if (n < 0)
        return Error{fmt::format("cannot send to {} on {}: {}", destination.to_string(),
                                 ifname_.empty() ? "any interface" : ifname_, errno_text())};
    return Ok{};
}

}  // namespace vigil::net
