#include "checkd/ipvs_sync.h"

#include "ipvs/ops.h"

namespace vigil::checkd {

IpvsSync::IpvsSync(core::Logger log, std::unique_ptr<ipvs::Ipvs> kernel)
    : log_(std::move(log)), kernel_(std::move(kernel)) {}

void IpvsSync::configure(const config::GlobalDefs& g, bool release) {
    ipvs::ReconcilePolicy p;
    p.flush_at_start = g.lvs_flush;
    if (!release)
        p.stop = ipvs::StopMode::keep;  // -I: the table survives vigild
    else if (g.lvs_flush_on_stop == config::LvsFlushOnStop::full)
        p.stop = ipvs::StopMode::flush;
    reconciler_.set_policy(p);
    // lvs_timeouts: only the values given change (ipvsadm --set with 0 for the others).
    if (g.lvs_timeouts) {
        const auto secs =
            [](const std::optional<config::Micros>& v) -> std::optional<std::chrono::seconds> {
            if (!v) return std::nullopt;
            return std::chrono::duration_cast<std::chrono::seconds>(*v);
        };
        const auto& t = *g.lvs_timeouts;
        apply({ipvs::SetTimeouts{secs(t.tcp), secs(t.tcpfin), secs(t.udp)}});
    }
}

void IpvsSync::apply(const ipvs::Ops& ops) {
    for (const auto& op : ops) {
        ++operations_;
        if (auto s = kernel_->apply(op); !s) {
            ++failures_;
            log_->error("IPVS: {}", s.error());
        } else {
            log_->info("IPVS: {}", ipvs::to_string(op));
        }
    }
}

void IpvsSync::update(const ipvs::DesiredState& desired) {
    auto actual = kernel_->read();
    if (!actual) {
        ++failures_;
        log_->error("IPVS: cannot read the table: {}", actual.error());
        return;
    }
    apply(reconciler_.update(desired, actual.value()));
}

void IpvsSync::stop() {
    auto actual = kernel_->read();
    if (!actual) {
        log_->error("IPVS: cannot read the table: {}", actual.error());
        return;
    }
    apply(reconciler_.stop(actual.value()));
}

}  // namespace vigil::checkd
