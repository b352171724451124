#include "net/linkbeat.h"

#include <linux/ethtool.h>
#include <linux/mii.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::net {

namespace {

ifreq request_for(const std::string& ifname) {
    ifreq r{};
    std::strncpy(r.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    return r;
}

// The MII registers travel in the ifreq's union (struct mii_ioctl_data).
mii_ioctl_data* mii_data(ifreq& r) {
    return reinterpret_cast<mii_ioctl_data*>(&r.ifr_ifru);
}

}  // namespace

const char* to_string(LinkbeatMethod m) {
    switch (m) {
        case LinkbeatMethod::mii:
            return "MII";
        case LinkbeatMethod::ethtool:
            return "ETHTOOL";
        case LinkbeatMethod::ioctl:
            return "IOCTL";
        case LinkbeatMethod::automatic:
            break;
    }
    return "automatic";
}

Result<Linkbeat> Linkbeat::open() {
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return Error{fmt::format("cannot open a socket for linkbeat: {}", std::strerror(errno))};
    return Linkbeat(std::move(fd));
}

int Linkbeat::mii(const std::string& ifname) const {
    ifreq r = request_for(ifname);
    if (::ioctl(fd_.get(), SIOCGMIIPHY, &r) != 0) return -1;
    mii_data(r)->reg_num = MII_BMSR;
    if (::ioctl(fd_.get(), SIOCGMIIREG, &r) != 0) return -1;
    // The link bit latches a failure until read: the second read is the state now.
    if (::ioctl(fd_.get(), SIOCGMIIREG, &r) != 0) return -1;
    return (mii_data(r)->val_out & BMSR_LSTATUS) != 0 ? 1 : 0;
}

int Linkbeat::ethtool(const std::string& ifname) const {
    ifreq r = request_for(ifname);
    ethtool_value value{};
    value.cmd = ETHTOOL_GLINK;
    r.ifr_data = reinterpret_cast<char*>(&value);
    if (::ioctl(fd_.get(), SIOCETHTOOL, &r) != 0) return -1;
    return value.data != 0 ? 1 : 0;
}

int Linkbeat::flags(const std::string& ifname) const {
    ifreq r = request_for(ifname);
    if (::ioctl(fd_.get(), SIOCGIFFLAGS, &r) != 0) return -1;
    const auto f = static_cast<unsigned>(r.ifr_flags);
    return (f & IFF_UP) != 0 && (f & IFF_RUNNING) != 0 ? 1 : 0;
}

Linkbeat::Reading Linkbeat::probe(const std::string& ifname, LinkbeatMethod method) const {
    Reading out;
    const int f = flags(ifname);
    if (f < 0) return out;  // no such interface
    out.exists = true;
    int link = -1;
    switch (method) {
        case LinkbeatMethod::automatic:
        case LinkbeatMethod::mii:
            if ((link = mii(ifname)) >= 0) {
                out.method = LinkbeatMethod::mii;
                break;
            }
            [[fallthrough]];
        case LinkbeatMethod::ethtool:
            if ((link = ethtool(ifname)) >= 0) {
                out.method = LinkbeatMethod::ethtool;
            } else if (method == LinkbeatMethod::ethtool && (link = mii(ifname)) >= 0) {
                out.method = LinkbeatMethod::mii;
            }
            if (link >= 0) break;
            [[fallthrough]];
        case LinkbeatMethod::ioctl:
            link = 1;
            out.method = LinkbeatMethod::ioctl;
            break;
    }
    out.up = link == 1 && f == 1;
    return out;
}

}  // namespace vigil::net
