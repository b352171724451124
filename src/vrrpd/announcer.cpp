#include "vrrpd/announcer.h"

#include <vector>

#include "vrrp/gratuitous.h"

namespace vigil::vrrpd {

void Announcer::send(const std::vector<GratuitousTarget>& targets, std::uint32_t rounds) {
    if (targets.empty() || rounds == 0) return;
    if (!socket_) {
        auto s = net::PacketSocket::open();
        if (!s) {
            ++failed_;
            log_->error("gratuitous ARP/NA: {}", s.error());
            return;
        }
        socket_.emplace(std::move(s.value()));
    }
    std::vector<std::byte> frame(128);
    for (std::uint32_t r = 0; r < rounds; ++r) {
        for (const auto& t : targets) {
            std::size_t n = 0;
            if (t.vip.is_v4()) {
                n = vrrp::build_garp(frame, t.mac, t.vip);
            } else if (t.link_local) {
                n = vrrp::build_unsolicited_na(frame, t.mac, *t.link_local, t.vip, false);
            } else {
                continue;  // no link-local address to send an NA from
            }
            if (auto s = socket_->send(t.ifindex, std::span(frame).first(n)); !s) {
                ++failed_;
                log_->warn("gratuitous ARP/NA for {}: {}", t.vip.to_string(), s.error());
            } else {
                ++sent_;
            }
        }
    }
}

}  // namespace vigil::vrrpd
