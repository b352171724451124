// Linkbeat: an interface's link state read by polling the driver (linkbeat_use_polling,
// linkbeat_interfaces), for NICs whose netlink link events are wrong or missing. keepalived's
// methods and order: the MII status register (link bit of BMSR), else ethtool's GLINK, else
// only the interface flags; in every case the link is up only while IFF_UP and IFF_RUNNING.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::net {

enum class LinkbeatMethod : std::uint8_t { automatic, mii, ethtool, ioctl };

const char* to_string(LinkbeatMethod m);

class Linkbeat {
  public:
    static Result<Linkbeat> open();

    struct Reading {
        bool exists = false;  // false: no such interface (down)
        bool up = false;
        LinkbeatMethod method = LinkbeatMethod::automatic;  // the one that worked
    };
    // `method`: automatic (or what the configuration asked) finds the first that works, as
    // keepalived: MII, ETHTOOL, then the flags; a method found before is used directly.
    Reading probe(const std::string& ifname, LinkbeatMethod method) const;

  private:
    explicit Linkbeat(UniqueFd fd) : fd_(std::move(fd)) {}
    // Each returns -1 when the driver does not support it, else 0 (no link) or 1 (link).
    int mii(const std::string& ifname) const;
    int ethtool(const std::string& ifname) const;
    // IFF_UP and IFF_RUNNING; -1 when there is no such interface.
    int flags(const std::string& ifname) const;

    UniqueFd fd_;
};

}  // namespace vigil::net
