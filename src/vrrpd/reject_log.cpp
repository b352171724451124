#include "vrrpd/reject_log.h"

namespace vigil::vrrpd {

bool RejectLog::note(const vrrp::Router::Rejected& r, vrrp::Time now) {
    const std::string who = r.instance != nullptr ? r.instance->name() : std::string();
    Entry& e = entries_[{who, r.reason}];
    if (e.last && now - *e.last < every_) {
        ++e.held_back;
        return false;
    }
    const std::string sender = r.sender.to_string();
    const std::string more = e.held_back == 0
                                 ? std::string()
                                 : fmt::format(" ({} more since the last one logged)", e.held_back);
    if (who.empty())
        log_->info("dropped a datagram from {}: {} ({}){}", sender, vrrp::counter_key(r.reason),
                   r.detail, more);
    else
        log_->info("({}) dropped an advert from {}: {} ({}){}", who, sender,
                   vrrp::counter_key(r.reason), r.detail, more);
    e.last = now;
    e.held_back = 0;
    return true;
}

}  // namespace vigil::vrrpd
