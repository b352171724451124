#include "net/packet_socket.h"

#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace vigil::net {

namespace {

std::string errno_text(const char* what, int err) {
    return std::string(what) + ": " + std::strerror(err);
}

}  // namespace

Result<PacketSocket> PacketSocket::open() {
    UniqueFd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return Error{errno_text("AF_PACKET socket", errno)};
    return PacketSocket(std::move(fd));
}

Status PacketSocket::send(int ifindex, std::span<const std::byte> frame) {
    if (frame.size() < ETH_HLEN) return Error{"frame shorter than an Ethernet header"};
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = ifindex;
    // The frame carries its own header; the address repeats its type and destination so the
    // kernel tags the packet with the right protocol (taps and qdiscs look at it).
    std::memcpy(&to.sll_protocol, frame.data() + 12, sizeof to.sll_protocol);
    to.sll_halen = ETH_ALEN;
    std::memcpy(to.sll_addr, frame.data(), ETH_ALEN);
    const auto* addr = reinterpret_cast<const sockaddr*>(&to);
    const ssize_t n = ::sendto(fd_.get(), frame.data(), frame.size(), 0, addr, sizeof to);
    if (n < 0) return Error{errno_text("AF_PACKET sendto", errno)};
    if (static_cast<std::size_t>(n) != frame.size())
        return Error{"AF_PACKET sendto: short send of " + std::to_string(n) + " of " +
                     std::to_string(frame.size()) + " bytes"};
    return Ok{};
}

}  // namespace vigil::net
