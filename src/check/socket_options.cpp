#include "check/socket_options.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::check {

Status apply_connect_options(int fd, const ConnectTarget& t) {
    if (!t.bind_interface.empty() &&
        ::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, t.bind_interface.c_str(),
                     static_cast<socklen_t>(t.bind_interface.size() + 1)) != 0)
        return Error{
            fmt::format("cannot bind to interface {}: {}", t.bind_interface, std::strerror(errno))};
    if (t.fwmark) {
        const unsigned mark = *t.fwmark;
        if (::setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof mark) != 0)
            return Error{fmt::format("cannot set fwmark {}: {}", mark, std::strerror(errno))};
    }
    if (!t.bind_address && !t.bind_port) return Ok{};
    const int one = 1;
    (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const std::uint16_t port = t.bind_port.value_or(0);
    int rc = 0;
    if (t.address.is_v4()) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        if (t.bind_address) std::memcpy(&a.sin_addr, t.bind_address->bytes().data(), 4);
        rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a);
    } else {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(port);
        if (t.bind_address) std::memcpy(&a.sin6_addr, t.bind_address->bytes().data(), 16);
        rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a);
    }
    if (rc != 0)
        return Error{fmt::format("cannot bind to {} port {}: {}",
                                 t.bind_address ? t.bind_address->to_string() : "any", port,
                                 std::strerror(errno))};
    return Ok{};
}

}  // namespace vigil::check
