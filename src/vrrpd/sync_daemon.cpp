#include "vrrpd/sync_daemon.h"

#include "ipvs/genl.h"

namespace vigil::vrrpd {

namespace {

ipvs::SyncDaemonConfig from_kernel(const ipvs::SyncDaemon& d) {
    return ipvs::start_daemon(d).config;
}

}  // namespace

void SyncDaemonControl::configure(const std::optional<config::LvsSyncDaemon>& cfg,
                                  std::optional<std::uint8_t> instance_vrid) {
    if (!cfg) {
        if (config_) stop();
        config_.reset();
        instance_.clear();
        return;
    }
    ipvs::SyncDaemonConfig c;
    c.interface = cfg->interface;
    c.syncid = cfg->syncid.value_or(instance_vrid.value_or(0));
    c.maxlen = cfg->maxlen;
    c.port = cfg->port;
    c.ttl = cfg->ttl;
    c.group = cfg->group;
    config_ = c;
    instance_ = cfg->instance;
    if (!kernel_) {
        auto k = ipvs::open_ipvs();
        if (!k) {
            if (!unavailable_logged_) log_->warn("lvs_sync_daemon: {}", k.error());
            unavailable_logged_ = true;
            return;
        }
        kernel_ = std::move(k.value());
    }
}

void SyncDaemonControl::update(std::optional<vrrp::State> state) {
    if (!config_) return;
    auto instance = ipvs::SyncInstance::unnamed;
    if (!instance_.empty())
        instance = state == vrrp::State::master ? ipvs::SyncInstance::master
                                                : ipvs::SyncInstance::not_master;
    apply(ipvs::wanted_sync_daemons(config_, instance));
}

void SyncDaemonControl::stop() {
    apply(ipvs::wanted_sync_daemons(std::nullopt, ipvs::SyncInstance::unnamed));
}

void SyncDaemonControl::apply(const ipvs::SyncDaemons& wanted) {
    if (!kernel_) return;
    auto running = kernel_->sync_daemons();
    if (!running) {
        log_->error("lvs_sync_daemon: {}", running.error());
        return;
    }
    ipvs::SyncDaemons current;
    for (const auto& d : running.value())
        (d.role == ipvs::SyncRole::master ? current.master : current.backup) = from_kernel(d);
    for (const auto& op : ipvs::sync_daemon_ops(current, wanted)) {
        if (auto s = kernel_->apply(op); !s)
            log_->error("lvs_sync_daemon: {}", s.error());
        else
            log_->info("lvs_sync_daemon: {}", ipvs::to_string(op));
    }
}

}  // namespace vigil::vrrpd
