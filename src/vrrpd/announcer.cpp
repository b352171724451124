#include "vrrpd/announcer.h"

#include "vrrp/gratuitous.h"

namespace vigil::vrrpd {

void Announcer::configure(const config::Model& m) {
    garp_interval_ = m.globals.defs.vrrp_garp_interval;
    gna_interval_ = m.globals.defs.vrrp_gna_interval;
    group_intervals_.clear();
    for (const auto& g : m.vrrp.garp_groups) {
        const auto set = [&](const std::string& ifname) {
            group_intervals_[ifname] = {g.garp_interval, g.gna_interval};
        };
        if (!g.interface.empty()) set(g.interface);
        for (const auto& i : g.interfaces) set(i.name);
    }
    pacers_.clear();
}

vrrp::Pacer& Announcer::pacer(const GratuitousTarget& t) {
    const bool v6 = t.vip.is_v6();
    auto it = pacers_.find({t.ifindex, v6});
    if (it != pacers_.end()) return it->second;
    vrrp::Micros interval = v6 ? gna_interval_ : garp_interval_;
    if (auto g = group_intervals_.find(t.ifname); g != group_intervals_.end()) {
        const auto& own = v6 ? g->second.second : g->second.first;
        if (own) interval = *own;
    }
    return pacers_.emplace(std::pair{t.ifindex, v6}, vrrp::Pacer(interval)).first->second;
}

void Announcer::send(const std::string& owner, const std::vector<GratuitousTarget>& targets,
                     std::uint32_t rounds, vrrp::Time now) {
    for (std::uint32_t r = 0; r < rounds; ++r) {
        for (const auto& t : targets) {
            Frame f{owner, t.ifindex, std::vector<std::byte>(vrrp::max_gratuitous_frame_size)};
            std::size_t n = 0;
            if (t.vip.is_v4())
                n = vrrp::build_garp(f.bytes, t.mac, t.vip);
            else
                // From the VIP itself, as keepalived 2.2.7 sends it (RFC 4861 allows any of
                // the interface's addresses).
                n = vrrp::build_unsolicited_na(f.bytes, t.mac, t.vip, t.vip, t.router);
            f.bytes.resize(n);
            const auto when = pacer(t).slot(now);
            if (when <= now) {
                transmit(f);
            } else if (queue_.size() >= max_queued_frames) {
                if (dropped_++ == 0)
                    log_->warn("gratuitous ARP/NA queue full ({} frames): dropping",
                               max_queued_frames);
            } else {
                queue_.emplace(when, std::move(f));
            }
        }
    }
}

void Announcer::cancel(const std::string& owner) {
    std::erase_if(queue_, [&](const auto& entry) { return entry.second.owner == owner; });
}

void Announcer::on_timer(vrrp::Time now) {
    while (!queue_.empty() && queue_.begin()->first <= now) {
        transmit(queue_.begin()->second);
        queue_.erase(queue_.begin());
    }
}

std::optional<vrrp::Time> Announcer::next_deadline() const {
    if (queue_.empty()) return std::nullopt;
    return queue_.begin()->first;
}

void Announcer::transmit(const Frame& f) {
    if (auto s = frames_.send_frame(f.ifindex, f.bytes); !s) {
        ++failed_;
        log_->warn("gratuitous ARP/NA: {}", s.error());
    } else {
        ++sent_;
    }
}

}  // namespace vigil::vrrpd
