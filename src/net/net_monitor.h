// Interface changes for an event loop: a NETLINK_ROUTE socket subscribed to RTNLGRP_LINK.
// The VRRP worker watches fd() for readability and calls drain(); each RTM_NEWLINK becomes
// a LinkEvent with the link's current state, each RTM_DELLINK one with removed = true.
#pragma once

#include <memory>
#include <vector>

#include "common/result.h"
#include "net/netlink.h"

struct nl_sock;

namespace vigil::net {

class LinkMonitor {
  public:
    static Result<LinkMonitor> open();

    LinkMonitor(LinkMonitor&&) noexcept;
    LinkMonitor& operator=(LinkMonitor&&) noexcept;
    LinkMonitor(const LinkMonitor&) = delete;
    LinkMonitor& operator=(const LinkMonitor&) = delete;
    ~LinkMonitor();

    // Non-blocking; readable when events are pending.
    int fd() const;
    // Reads every pending message; returns the link changes in the kernel's order.
    std::vector<LinkEvent> drain();
    // True once (then reset) when the kernel dropped events because the socket's buffer was
    // full: the caller must then re-read the links it cares about with Netlink::link().
    bool take_overrun();

  private:
    struct SockFree {
        void operator()(nl_sock* s) const;
    };
    explicit LinkMonitor(std::unique_ptr<nl_sock, SockFree> sock);

    std::unique_ptr<nl_sock, SockFree> sock_;
    bool overrun_ = false;
};

}  // namespace vigil::net
