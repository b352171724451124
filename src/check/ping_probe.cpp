#include "check/ping_probe.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <random>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "check/socket_options.h"
#include "common/inet_checksum.h"
#include "common/unique_fd.h"

// GCC 12 pairs Asio's recycled coroutine-frame allocation (aligned_alloc) with the frame's
// operator delete after inlining and warns; the pairing is right at run time (Asio frees it).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace vigil::check {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

// RFC 792 and RFC 4443 message types.
constexpr std::uint8_t icmp4_echo_reply = 0;
constexpr std::uint8_t icmp4_unreachable = 3;
constexpr std::uint8_t icmp4_echo = 8;
constexpr std::uint8_t icmp6_unreachable = 1;
constexpr std::uint8_t icmp6_echo = 128;
constexpr std::uint8_t icmp6_echo_reply = 129;
constexpr std::size_t icmp_header = 8;
constexpr std::size_t ip6_header = 40;
constexpr std::size_t token_size = 16;  // random bytes at the start of the echo data

struct IcmpSocket {
    UniqueFd fd;
    bool raw = false;  // raw sockets see every ICMP message, with the IPv4 header
};

Result<IcmpSocket> open_icmp(bool v4) {
    const int family = v4 ? AF_INET : AF_INET6;
    const int proto = v4 ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6};
    const int flags = SOCK_NONBLOCK | SOCK_CLOEXEC;
    UniqueFd fd(::socket(family, SOCK_DGRAM | flags, proto));
    if (fd.get() >= 0) {
        // Ping sockets report ICMP errors about our echo on the next receive.
        const int one = 1;
        if (v4)
            (void)::setsockopt(fd.get(), IPPROTO_IP, IP_RECVERR, &one, sizeof one);
        else
            (void)::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one);
        return IcmpSocket{std::move(fd), false};
    }
    // EACCES: our group is outside net.ipv4.ping_group_range (the default, even for root).
    const int dgram_errno = errno;
    fd.reset(::socket(family, SOCK_RAW | flags, proto));
    if (fd.get() < 0)
        return Error{fmt::format("cannot open an ICMP socket: {} (ping socket: {})",
                                 std::strerror(errno), std::strerror(dgram_errno))};
    return IcmpSocket{std::move(fd), true};
}

std::uint16_t read16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8U) | b[at + 1]);
}

struct Echo {
    std::uint16_t id = 0;
    std::uint16_t seq = 0;
    std::array<std::uint8_t, token_size> token{};
};

std::vector<std::uint8_t> build_echo(bool v4, const Echo& e) {
    std::vector<std::uint8_t> m(icmp_header + PingProbe::payload_size);
    m[0] = v4 ? icmp4_echo : icmp6_echo;
    m[4] = static_cast<std::uint8_t>(e.id >> 8U);
    m[5] = static_cast<std::uint8_t>(e.id & 0xffU);
    m[6] = static_cast<std::uint8_t>(e.seq >> 8U);
    m[7] = static_cast<std::uint8_t>(e.seq & 0xffU);
    std::copy(e.token.begin(), e.token.end(), m.begin() + icmp_header);
    for (std::size_t i = icmp_header + token_size; i < m.size(); ++i)
        m[i] = static_cast<std::uint8_t>(i);
    if (v4) {  // ICMPv6 checksums need the pseudo-header: the kernel fills them in
        InetChecksum sum;
        sum.add(std::as_bytes(std::span(m)));
        const std::uint16_t c = sum.finish();
        m[2] = static_cast<std::uint8_t>(c >> 8U);
        m[3] = static_cast<std::uint8_t>(c & 0xffU);
    }
    return m;
}

// Is `icmp` (an ICMP message without IP header) our echo, by id (when checked) and sequence?
bool is_our_echo(std::span<const std::uint8_t> icmp, std::uint8_t type, const Echo& e,
                 bool check_id) {
    return icmp.size() >= icmp_header && icmp[0] == type &&
           (!check_id || read16(icmp, 4) == e.id) && read16(icmp, 6) == e.seq;
}

enum class Verdict { ignore, reply, unreachable };

// What one received datagram means for our probe.
Verdict classify(std::span<const std::uint8_t> pkt, bool raw, bool v4, const Echo& e,
                 bool from_target, std::uint8_t& code) {
    std::span<const std::uint8_t> icmp = pkt;
    if (v4 && raw) {  // raw IPv4 sockets hand us the IP header too
        if (pkt.empty()) return Verdict::ignore;
        const std::size_t ihl = std::size_t{pkt[0] & 0x0fU} * 4;
        if (ihl < 20 || pkt.size() < ihl + icmp_header) return Verdict::ignore;
        icmp = pkt.subspan(ihl);
    }
    if (icmp.size() < icmp_header) return Verdict::ignore;
    const std::uint8_t reply_type = v4 ? icmp4_echo_reply : icmp6_echo_reply;
    if (icmp[0] == reply_type) {
        if (!from_target || !is_our_echo(icmp, reply_type, e, raw)) return Verdict::ignore;
        if (icmp.size() < icmp_header + token_size ||
            !std::equal(e.token.begin(), e.token.end(), icmp.begin() + icmp_header))
            return Verdict::ignore;
        return Verdict::reply;
    }
    // An error about our echo: it quotes our packet's IP header and first 8 ICMP bytes
    // (RFC 792; RFC 4443 2.4 quotes as much as fits). Ping sockets report these as errors.
    if (!raw) return Verdict::ignore;
    if (v4 && icmp[0] == icmp4_unreachable) {
        const auto inner = icmp.subspan(icmp_header);
        if (inner.empty()) return Verdict::ignore;
        const std::size_t ihl = std::size_t{inner[0] & 0x0fU} * 4;
        if (ihl < 20 || inner.size() < ihl + icmp_header) return Verdict::ignore;
        if (!is_our_echo(inner.subspan(ihl), icmp4_echo, e, true)) return Verdict::ignore;
        code = icmp[1];
        return Verdict::unreachable;
    }
    if (!v4 && icmp[0] == icmp6_unreachable) {
        const auto inner = icmp.subspan(icmp_header);
        if (inner.size() < ip6_header + icmp_header) return Verdict::ignore;
        if (!is_our_echo(inner.subspan(ip6_header), icmp6_echo, e, true)) return Verdict::ignore;
        code = icmp[1];
        return Verdict::unreachable;
    }
    return Verdict::ignore;
}

}  // namespace

PingProbe::PingProbe(ConnectTarget target) : target_(std::move(target)) {}

asio::awaitable<ProbeOutcome> PingProbe::run() {
    using K = ProbeOutcome::Kind;
    constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
    try {
        auto ex = co_await asio::this_coro::executor;
        asio::steady_timer deadline(ex);
        deadline.expires_after(target_.timeout);
        const bool v4 = target_.address.is_v4();

        auto sock = open_icmp(v4);
        if (!sock) co_return ProbeOutcome::failure(K::io_error, sock.error());
        if (auto st = apply_connect_options(sock->fd.get(), target_); !st)
            co_return ProbeOutcome::failure(K::io_error, st.error());

        sockaddr_storage to{};
        socklen_t to_len = 0;
        if (v4) {
            sockaddr_in a{};
            a.sin_family = AF_INET;
            std::memcpy(&a.sin_addr, target_.address.bytes().data(), 4);
            std::memcpy(&to, &a, sizeof a);
            to_len = sizeof a;
        } else {
            sockaddr_in6 a{};
            a.sin6_family = AF_INET6;
            std::memcpy(&a.sin6_addr, target_.address.bytes().data(), 16);
            if (target_.address.is_link_local()) {
                a.sin6_scope_id = target_.bind_interface.empty()
                                      ? 0
                                      : ::if_nametoindex(target_.bind_interface.c_str());
                if (a.sin6_scope_id == 0)
                    co_return ProbeOutcome::failure(
                        K::io_error, fmt::format("{} is link-local: bind_if must name its "
                                                 "interface",
                                                 target_.address.to_string()));
            }
            std::memcpy(&to, &a, sizeof a);
            to_len = sizeof a;
        }

        Echo echo;
        std::random_device rd;
        echo.id = static_cast<std::uint16_t>(rd());
        echo.seq = static_cast<std::uint16_t>(rd());
        for (auto& b : echo.token) b = static_cast<std::uint8_t>(rd());
        const auto msg = build_echo(v4, echo);
        if (::sendto(sock->fd.get(), msg.data(), msg.size(), 0,
                     reinterpret_cast<const sockaddr*>(&to), to_len) < 0)
            co_return ProbeOutcome::failure(
                K::connect_failed,
                fmt::format("cannot send the echo request: {}", std::strerror(errno)));

        const bool raw = sock->raw;
        asio::posix::stream_descriptor desc(ex, sock->fd.release());
        std::vector<std::uint8_t> buf(4096);
        for (;;) {
            auto w = co_await (desc.async_wait(asio::posix::descriptor_base::wait_read, nothrow) ||
                               deadline.async_wait(nothrow));
            if (w.index() == 1) co_return ProbeOutcome::failure(K::timed_out, "no echo reply");
            // Drain what is queued: a flood of other ICMP traffic costs time, never memory.
            for (;;) {
                sockaddr_storage from{};
                socklen_t from_len = sizeof from;
                const ssize_t n =
                    ::recvfrom(desc.native_handle(), buf.data(), buf.size(), MSG_DONTWAIT,
                               reinterpret_cast<sockaddr*>(&from), &from_len);
                if (n < 0) {
                    if (errno == EINTR) continue;
                    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
                    co_return ProbeOutcome::failure(K::connect_failed, std::strerror(errno));
                }
                bool from_target = false;
                if (v4 && from.ss_family == AF_INET) {
                    const auto* a = reinterpret_cast<const sockaddr_in*>(&from);
                    from_target = std::memcmp(&a->sin_addr, target_.address.bytes().data(), 4) == 0;
                } else if (!v4 && from.ss_family == AF_INET6) {
                    const auto* a = reinterpret_cast<const sockaddr_in6*>(&from);
                    from_target =
                        std::memcmp(&a->sin6_addr, target_.address.bytes().data(), 16) == 0;
                }
                std::uint8_t code = 0;
                switch (
                    classify(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)),
                             raw, v4, echo, from_target, code)) {
                    case Verdict::ignore:
                        break;
                    case Verdict::reply:
                        co_return ProbeOutcome::success();
                    case Verdict::unreachable:
                        co_return ProbeOutcome::failure(
                            K::connect_failed,
                            fmt::format("destination unreachable (ICMP code {})", code));
                }
            }
        }
    } catch (const std::exception& e) {
        co_return ProbeOutcome::failure(K::io_error, e.what());
    }
}

}  // namespace vigil::check
