// The request/acknowledgement exchange on a NETLINK_ROUTE socket, and the conversions between
// vigil's values and libnl's. The kernel's errno is kept as is (libnl's own error codes merge
// several errnos), and its extended-ack text is added to errors because it says what was
// wrong ("Nexthop has invalid gateway") where the errno only says that something was.
#include <linux/netlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <optional>

#include <fmt/format.h>

#include "net/netlink_internal.h"

namespace vigil::net::detail {

int address_family(Family f) {
    return f == Family::inet ? AF_INET : AF_INET6;
}

AddrPtr to_nl_addr(const IpAddress& a, unsigned prefix_len) {
    const std::size_t len = a.is_v4() ? 4 : 16;
    AddrPtr p(nl_addr_build(address_family(a.family()), a.bytes().data(), len));
    if (!p) throw std::bad_alloc();  // out of memory: nothing sensible left to do
    nl_addr_set_prefixlen(p.get(), static_cast<int>(prefix_len));
    return p;
}

AddrPtr to_nl_addr(const IpPrefix& p) {
    return to_nl_addr(p.address, p.length);
}

std::optional<IpAddress> from_nl_addr(const nl_addr* a) {
    if (a == nullptr) return std::nullopt;
    const auto* data = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(a));
    const unsigned len = nl_addr_get_len(a);
    if (nl_addr_get_family(a) == AF_INET && len == 4) {
        return IpAddress::v4((std::uint32_t{data[0]} << 24) | (std::uint32_t{data[1]} << 16) |
                             (std::uint32_t{data[2]} << 8) | std::uint32_t{data[3]});
    }
    if (nl_addr_get_family(a) == AF_INET6 && len == 16) {
        std::array<std::uint8_t, 16> b{};
        std::memcpy(b.data(), data, b.size());
        return IpAddress::v6(b);
    }
    return std::nullopt;
}

Result<SockPtr> connect_route_socket() {
    SockPtr sock(nl_socket_alloc());
    if (!sock) return Error{"cannot allocate a netlink socket"};
    if (const int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0)
        return Error{fmt::format("cannot open a rtnetlink socket: {}", nl_geterror(err))};
    // Best effort: without them errors are plain errnos, which is still correct.
    const int one = 1;
    const int fd = nl_socket_get_fd(sock.get());
    (void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
    (void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
    return sock;
}

namespace {

struct AckState {
    KernelAck ack;
    bool done = false;
};

// The NLMSGERR_ATTR_MSG text that follows a (capped) error message, if any.
std::string extended_ack_text(const nlmsgerr* e) {
    const std::size_t header = nlmsg_total_size(0);
    const auto* base = reinterpret_cast<const unsigned char*>(e);
    const auto* hdr = reinterpret_cast<const nlmsghdr*>(base - header);
    if ((hdr->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return {};
    std::size_t offset = sizeof(nlmsgerr);
    if ((hdr->nlmsg_flags & NLM_F_CAPPED) == 0) offset += e->msg.nlmsg_len - header;
    if (hdr->nlmsg_len < header + offset) return {};
    const int len = static_cast<int>(hdr->nlmsg_len - header - offset);
    std::array<nlattr*, NLMSGERR_ATTR_MAX + 1> tb{};
    // nla_parse takes a non-const head; it only reads through it.
    auto* attrs = const_cast<nlattr*>(reinterpret_cast<const nlattr*>(base + offset));
    if (nla_parse(tb.data(), NLMSGERR_ATTR_MAX, attrs, len, nullptr) < 0) return {};
    if (tb[NLMSGERR_ATTR_MSG] == nullptr) return {};
    return nla_get_string(tb[NLMSGERR_ATTR_MSG]);
}

int on_error(sockaddr_nl* /*from*/, nlmsgerr* e, void* arg) {
    auto* st = static_cast<AckState*>(arg);
    st->ack.error = -e->error;
    st->ack.message = extended_ack_text(e);
    st->done = true;
    return NL_STOP;
}

int on_ack(nl_msg* /*msg*/, void* arg) {
    static_cast<AckState*>(arg)->done = true;
    return NL_STOP;
}

}  // namespace

KernelAck transact(nl_sock* sock, nl_msg* msg) {
    using CbPtr = std::unique_ptr<nl_cb, Deleter<nl_cb, nl_cb_put>>;
    const CbPtr sock_cb(nl_socket_get_cb(sock));
    const CbPtr cb(nl_cb_clone(sock_cb.get()));
    if (!cb) return KernelAck{ENOMEM, {}};
    AckState st;
    nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &st);
    nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &st);
    if (const int err = nl_send_auto(sock, msg); err < 0)
        return KernelAck{EIO, fmt::format("send failed: {}", nl_geterror(err))};
    while (!st.done) {
        const int err = nl_recvmsgs(sock, cb.get());
        if (err < 0 && !st.done)
            return KernelAck{EIO, fmt::format("receive failed: {}", nl_geterror(err))};
    }
    return st.ack;
}

std::string describe(const KernelAck& ack) {
    std::string s = std::strerror(ack.error);  // NOLINT(concurrency-mt-unsafe): single-threaded
    if (!ack.message.empty()) s += fmt::format(" (kernel: {})", ack.message);
    return s;
}

Result<int> ifindex_of(nl_sock* sock, std::string_view name) {
    const std::string n(name);
    rtnl_link* raw = nullptr;
    const int err = rtnl_link_get_kernel(sock, 0, n.c_str(), &raw);
    const LinkPtr l(raw);
    if (err < 0 || !l)
        return Error{fmt::format(
            "unknown interface '{}': {}", n,
            err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV ? "no such device" : nl_geterror(err))};
    return rtnl_link_get_ifindex(l.get());
}

Link to_link(rtnl_link* l) {
    Link out;
    out.ifindex = rtnl_link_get_ifindex(l);
    if (const char* n = rtnl_link_get_name(l)) out.name = n;
    const unsigned flags = rtnl_link_get_flags(l);
    out.admin_up = (flags & IFF_UP) != 0;
    out.oper_up = (flags & IFF_RUNNING) != 0;
    out.mtu = rtnl_link_get_mtu(l);
    if (const nl_addr* a = rtnl_link_get_addr(l); a != nullptr && nl_addr_get_len(a) == 6) {
        std::memcpy(out.mac.data(), nl_addr_get_binary_addr(a), out.mac.size());
        out.has_mac = true;
    }
    return out;
}

}  // namespace vigil::net::detail
