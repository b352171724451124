#include "vrrpd/socket_keeper.h"

namespace vigil::vrrpd {

Status SocketKeeper::acquire(const SocketKey& key, const std::string& ifname,
                             const std::optional<IpAddress>& group) {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        if (auto s = transport_.open(key, ifname); !s) return s;
        it = entries_.emplace(key, Entry{}).first;
    }
    ++it->second.users;
    if (group && it->second.groups.insert(*group).second)
        if (auto s = transport_.join(key, *group); !s) log_->error("{}", s.error());
    return Ok{};
}

void SocketKeeper::release(const SocketKey& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    if (--it->second.users != 0) return;
    transport_.close(key);
    entries_.erase(it);
}

std::optional<IpAddress> choose_source(Family f, const std::vector<net::InterfaceAddress>& on_link,
                                       const std::set<IpAddress>& vips) {
    const auto usable = [&](const net::InterfaceAddress& a) {
        return a.prefix.address.family() == f && !a.tentative && !vips.contains(a.prefix.address);
    };
    if (f == Family::inet6) {
        for (const auto& a : on_link)
            if (usable(a) && a.prefix.address.is_link_local()) return a.prefix.address;
        return std::nullopt;
    }
    for (const auto& a : on_link)
        if (usable(a) && !a.secondary) return a.prefix.address;
    // Every primary address is a VIP: any other address of the interface.
    for (const auto& a : on_link)
        if (usable(a)) return a.prefix.address;
    return std::nullopt;
}

}  // namespace vigil::vrrpd
