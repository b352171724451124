#include "net/proc_events.h"

#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::net {

namespace {

constexpr int receive_buffer_bytes = 4 << 20;  // a fork storm must not overrun it at once

std::string errno_text() {
    return std::strerror(errno);
}

Result<UniqueFd> subscribe() {
    UniqueFd fd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR));
    if (!fd.valid()) return Error{fmt::format("cannot open a connector socket: {}", errno_text())};
    sockaddr_nl addr{};
    addr.nl_family = AF_NETLINK;
    addr.nl_groups = CN_IDX_PROC;
    addr.nl_pid = 0;  // the kernel assigns it
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        return Error{fmt::format("cannot bind the connector socket: {}", errno_text())};
    (void)::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer_bytes,
                       sizeof receive_buffer_bytes);
    // The message that asks the kernel to start sending events to this socket: a netlink
    // header, a connector header, and the operation.
    const proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
    alignas(nlmsghdr) std::array<std::byte, NLMSG_LENGTH(sizeof(cn_msg) + sizeof op)> req{};
    nlmsghdr nl{};
    nl.nlmsg_len = static_cast<std::uint32_t>(req.size());
    nl.nlmsg_type = NLMSG_DONE;
    cn_msg cn{};
    cn.id.idx = CN_IDX_PROC;
    cn.id.val = CN_VAL_PROC;
    cn.len = sizeof op;
    std::memcpy(req.data(), &nl, sizeof nl);
    std::memcpy(req.data() + NLMSG_HDRLEN, &cn, sizeof cn);
    std::memcpy(req.data() + NLMSG_HDRLEN + sizeof cn, &op, sizeof op);
    if (::send(fd.get(), req.data(), req.size(), 0) != static_cast<ssize_t>(req.size()))
        return Error{fmt::format("cannot subscribe to process events: {}", errno_text())};
    return fd;
}

}  // namespace

Result<ProcEvents> ProcEvents::open(int initial_netns_fd) {
    if (initial_netns_fd < 0) {
        auto fd = subscribe();
        if (!fd) return Error{fd.error()};
        return ProcEvents(std::move(fd.value()));
    }
    UniqueFd here(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!here.valid())
        return Error{fmt::format("cannot open this network namespace: {}", errno_text())};
    if (::setns(initial_netns_fd, CLONE_NEWNET) != 0)
        return Error{fmt::format("cannot enter the initial network namespace: {}", errno_text())};
    auto fd = subscribe();
    if (::setns(here.get(), CLONE_NEWNET) != 0) {
        // Staying in the wrong namespace would be far worse than not tracking processes.
        std::abort();
    }
    if (!fd) return Error{fd.error()};
    return ProcEvents(std::move(fd.value()));
}

bool ProcEvents::take_overrun() {
    const bool o = overrun_;
    overrun_ = false;
    return o;
}

std::vector<ProcEvent> ProcEvents::drain() {
    std::vector<ProcEvent> out;
    alignas(nlmsghdr) std::array<std::byte, 16384> buf{};
    for (;;) {
        sockaddr_nl from{};
        socklen_t from_len = sizeof from;
        const ssize_t n = ::recvfrom(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT,
                                     reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == ENOBUFS) {
                overrun_ = true;
                continue;
            }
            break;  // EAGAIN: drained
        }
        if (from.nl_pid != 0) continue;  // only the kernel speaks here
        const auto size = static_cast<std::size_t>(n);
        for (std::size_t at = 0; at + sizeof(nlmsghdr) <= size;) {
            nlmsghdr h{};
            std::memcpy(&h, buf.data() + at, sizeof h);
            if (h.nlmsg_len < sizeof h || at + h.nlmsg_len > size) break;
            const std::size_t message = at;
            at += NLMSG_ALIGN(h.nlmsg_len);
            if (h.nlmsg_len < NLMSG_LENGTH(sizeof(cn_msg) + sizeof(proc_event))) continue;
            cn_msg cn{};
            std::memcpy(&cn, buf.data() + message + NLMSG_HDRLEN, sizeof cn);
            if (cn.id.idx != CN_IDX_PROC || cn.id.val != CN_VAL_PROC) continue;
            proc_event ev{};
            std::memcpy(&ev, buf.data() + message + NLMSG_HDRLEN + sizeof cn, sizeof ev);
            ProcEvent e;
            switch (ev.what) {
                case proc_event::PROC_EVENT_FORK:
                    if (ev.event_data.fork.child_pid != ev.event_data.fork.child_tgid) continue;
                    e = {ProcEvent::Kind::fork, ev.event_data.fork.child_tgid,
                         ev.event_data.fork.parent_tgid};
                    break;
                case proc_event::PROC_EVENT_EXEC:
                    e = {ProcEvent::Kind::exec, ev.event_data.exec.process_tgid, 0};
                    break;
                case proc_event::PROC_EVENT_COMM:
                    if (ev.event_data.comm.process_pid != ev.event_data.comm.process_tgid) continue;
                    e = {ProcEvent::Kind::comm, ev.event_data.comm.process_tgid, 0};
                    break;
                case proc_event::PROC_EVENT_EXIT:
                    if (ev.event_data.exit.process_pid != ev.event_data.exit.process_tgid) continue;
                    e = {ProcEvent::Kind::exit, ev.event_data.exit.process_tgid, 0};
                    break;
                default:
                    continue;
            }
            out.push_back(e);
        }
    }
    return out;
}

}  // namespace vigil::net
