// The raw VRRP sockets of the worker: one per interface, family and protocol, shared by the
// instances there, opened when the first one binds, joined to each multicast group in use,
// and closed when the last one leaves (an interface re-created gets fresh sockets, the old
// ones are gone). And which address an instance sends from.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/log.h"
#include "net/netlink.h"
#include "vrrpd/ports.h"

namespace vigil::vrrpd {

class SocketKeeper {
  public:
    SocketKeeper(Transport& t, core::Logger log) : transport_(t), log_(std::move(log)) {}

    // A reference on the socket `key` (opened when first needed) and its membership of
    // `group` (multicast instances). The reference stays even when joining fails (logged).
    Status acquire(const SocketKey& key, const std::string& ifname,
                   const std::optional<IpAddress>& group);
    // Drops a reference; the socket is closed with the last one.
    void release(const SocketKey& key);
    std::size_t open_sockets() const { return entries_.size(); }

  private:
    struct Entry {
        std::size_t users = 0;
        std::set<IpAddress> groups;
    };
    Transport& transport_;
    core::Logger log_;
    std::map<SocketKey, Entry> entries_;
};

// The address an instance sends from when none is configured (RFC 5798 5.1.1.1, 5.1.2.1):
// IPv4, the interface's primary address; IPv6, its link-local address. Never a VIP (another
// instance's VIP goes away with that instance) and never a tentative address (not usable).
std::optional<IpAddress> choose_source(Family f, const std::vector<net::InterfaceAddress>& on_link,
                                       const std::set<IpAddress>& vips);

}  // namespace vigil::vrrpd
