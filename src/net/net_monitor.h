// Kernel notifications for an event loop: a NETLINK_ROUTE socket subscribed to link, address,
// route and rule changes. The VRRP worker watches fd() for readability and calls drain():
// RTM_NEWLINK/RTM_DELLINK become LinkEvents with the link's current state, RTM_NEWADDR /
// RTM_DELADDR AddressEvents, RTM_DELROUTE RouteDeleted and RTM_DELRULE RuleDeleted.
#pragma once

#include <memory>
#include <vector>

#include "common/result.h"
#include "net/netlink.h"

struct nl_sock;

namespace vigil::net {

class NetMonitor {
  public:
    static Result<NetMonitor> open();

    NetMonitor(NetMonitor&&) noexcept;
    NetMonitor& operator=(NetMonitor&&) noexcept;
    NetMonitor(const NetMonitor&) = delete;
    NetMonitor& operator=(const NetMonitor&) = delete;
    ~NetMonitor();

    // Non-blocking, close-on-exec; readable when events are pending.
    int fd() const;
    // Reads every pending message; returns the changes in the kernel's order.
    std::vector<NetEvent> drain();
    // True once (then reset) when the kernel dropped events because the socket's buffer was
    // full: the caller must then re-read what it cares about.
    bool take_overrun();

  private:
    struct SockFree {
        void operator()(nl_sock* s) const;
    };
    explicit NetMonitor(std::unique_ptr<nl_sock, SockFree> sock);

    std::unique_ptr<nl_sock, SockFree> sock_;
    bool overrun_ = false;
};

}  // namespace vigil::net
