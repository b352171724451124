// The AF_PACKET socket that sends whole Ethernet frames (gratuitous ARP, unsolicited NA):
// the thin shell around the pure builders of vrrp/gratuitous.h. Send only: protocol 0 means
// the kernel delivers nothing to it, so it never needs reading.
#pragma once

#include <cstddef>
#include <span>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::net {

class PacketSocket {
  public:
    // AF_PACKET, SOCK_RAW, protocol 0, non-blocking, close-on-exec. Needs CAP_NET_RAW.
    static Result<PacketSocket> open();

    // Sends `frame` (Ethernet header included) out of interface `ifindex`. Fails when the
    // interface is gone or down, or when its queue is full (EAGAIN: the caller may retry).
    Status send(int ifindex, std::span<const std::byte> frame);

    int fd() const { return fd_.get(); }

  private:
    explicit PacketSocket(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

}  // namespace vigil::net
