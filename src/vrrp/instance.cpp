#include "vrrp/instance.h"

#include <fmt/format.h>

namespace vigil::vrrp {

std::string_view to_string(State s) {
    switch (s) {
        case State::init:
            return "INIT";
        case State::backup:
            return "BACKUP";
        case State::master:
            return "MASTER";
        case State::fault:
            return "FAULT";
    }
    return "?";
}

Instance::Instance(InstanceConfig cfg)
    : cfg_(std::move(cfg)), master_adver_interval_(cfg_.advert_interval) {}

Micros Instance::skew_time() const {
    const auto p = static_cast<std::int64_t>(cfg_.priority);
    // RFC 3768 6.1: (256 - Priority) / 256 seconds; RFC 5798 6.1: scaled by the master's
    // advertisement interval. Computed in microseconds, never rounded to centiseconds.
    if (cfg_.version == 2) return Micros((256 - p) * 1'000'000 / 256);
    return Micros((256 - p) * master_adver_interval_.count() / 256);
}

Micros Instance::master_down_interval() const {
    // RFC 5798 6.1: 3 * Master_Adver_Interval + Skew_Time; keepalived's down_timer_adverts
    // replaces the 3.
    return master_adver_interval_ * cfg_.down_timer_adverts + skew_time();
}

void Instance::change_state(State to, std::string reason, Actions& out) {
    // Every state change goes through here: counters, then the observers' action.
    if (to == state_) return;
    if (to == State::master) ++counters_.became_master;
    if (state_ == State::master) ++counters_.released_master;
    out.emplace_back(StateChange{state_, to, std::move(reason)});
    state_ = to;
}

void Instance::send_advert(std::uint8_t priority, Actions& out) {
    ++counters_.adverts_sent;
    if (priority == stop_priority) ++counters_.priority_zero_sent;
    out.emplace_back(SendAdvert{priority});
}

void Instance::become_master(Time now, std::string reason, Actions& out) {
    // RFC 5798 6.4.2: send an advertisement, broadcast gratuitous ARP (unsolicited NA),
    // start the Adver_Timer. The VIPs are added first so that the ARP replies are right.
    out.emplace_back(AddVips{});
    send_advert(cfg_.priority, out);
    out.emplace_back(SendGratuitous{});
    deadline_ = now + cfg_.advert_interval;
    preempt_pending_ = false;
    lower_master_seen_ = false;
    change_state(State::master, std::move(reason), out);
}

void Instance::become_backup(Time now, std::string reason, Actions& out) {
    if (state_ == State::master) out.emplace_back(RemoveVips{});
    deadline_ = now + master_down_interval();
    preempt_pending_ = false;
    change_state(State::backup, std::move(reason), out);
}

Actions Instance::start(Time now) {
    Actions out;
    if (state_ != State::init) return out;
    master_adver_interval_ = cfg_.advert_interval;
    if (fault_) {
        deadline_.reset();
        change_state(State::fault, "starting while faulted", out);
    } else if (cfg_.priority == owner_priority) {
        become_master(now, "address owner (priority 255)", out);
    } else {
        become_backup(now, "starting", out);
        if (cfg_.initial_master) deadline_ = now + master_adver_interval_ * cfg_.down_timer_adverts;
    }
    return out;
}

void Instance::reconfigure(InstanceConfig cfg) {
    const bool interval_changed = cfg.advert_interval != cfg_.advert_interval;
    cfg_ = std::move(cfg);
    if (interval_changed && state_ != State::backup) master_adver_interval_ = cfg_.advert_interval;
}

Actions Instance::stop(Time /*now*/) {
    Actions out;
    if (state_ == State::master) {
        // RFC 5798 6.4.3: a priority 0 advert lets a backup take over after Skew_Time.
        send_advert(stop_priority, out);
        out.emplace_back(RemoveVips{});
    }
    deadline_.reset();
    preempt_pending_ = false;
    lower_master_seen_ = false;
    change_state(State::init, "stopping", out);
    return out;
}

Actions Instance::set_fault(bool fault, Time now) {
    Actions out;
    if (fault == fault_) return out;
    fault_ = fault;
    if (state_ == State::init) return out;  // start() looks at fault_
    if (fault) {
        if (state_ == State::master) {
            send_advert(stop_priority, out);
            out.emplace_back(RemoveVips{});
        }
        deadline_.reset();
        change_state(State::fault, "fault", out);
        return out;
    }
    master_adver_interval_ = cfg_.advert_interval;
    if (cfg_.priority == owner_priority)
        become_master(now, "fault cleared, address owner", out);
    else
        become_backup(now, "fault cleared", out);
    return out;
}

bool Instance::advert_wins(const Advert& a, const IpAddress& source) const {
    // RFC 5798 6.4.3: a higher priority, or an equal priority from a greater primary address.
    if (a.priority != cfg_.priority) return a.priority > cfg_.priority;
    return source > cfg_.primary_address;
}

Actions Instance::on_advert(const Advert& a, const IpAddress& source, Time now) {
    Actions out;
    ++counters_.adverts_received;
    if (a.priority == stop_priority) ++counters_.priority_zero_received;
    switch (state_) {
        case State::init:
        case State::fault:
            return out;
        case State::backup:
            if (a.priority == stop_priority) {
                // RFC 5798 6.4.2: the master is stopping; take over after Skew_Time only.
                deadline_ = now + skew_time();
                return out;
            }
            if (!cfg_.preempt || a.priority >= cfg_.priority) {
                if (cfg_.version == 3) master_adver_interval_ = a.interval;
                deadline_ = now + master_down_interval();
                lower_master_seen_ = false;
                preempt_pending_ = false;
            } else {
                // A lower priority master: the down timer runs on and we preempt it.
                lower_master_seen_ = true;
            }
            return out;
        case State::master:
            if (a.priority == stop_priority) {
                send_advert(cfg_.priority, out);
                deadline_ = now + cfg_.advert_interval;
                return out;
            }
            if (advert_wins(a, source)) {
                // keepalived's higher_prio_send_advert: a last advert, so that the other
                // master re-sends its gratuitous ARPs after a split brain.
                if (cfg_.higher_prio_send_advert) send_advert(cfg_.priority, out);
                if (cfg_.version == 3) master_adver_interval_ = a.interval;
                become_backup(now,
                              fmt::format("higher priority advert ({} from {})", a.priority,
                                          source.to_string()),
                              out);
                return out;
            }
            // Another router thinks it is master with a lower priority: it was master while
            // it could not hear us. Hosts may hold its MAC for the VIPs: re-announce them.
            ++counters_.lower_priority_master_seen;
            if (!cfg_.lower_prio_no_advert) {
                send_advert(cfg_.priority, out);
                deadline_ = now + cfg_.advert_interval;
            }
            out.emplace_back(SendGratuitous{});
            return out;
    }
    return out;
}

Actions Instance::on_timer(Time now) {
    Actions out;
    if (!deadline_ || now < *deadline_) return out;
    switch (state_) {
        case State::init:
        case State::fault:
            deadline_.reset();
            return out;
        case State::master:
            send_advert(cfg_.priority, out);
            // Keep the cadence: the next advert is one interval after the one due, unless
            // we were woken so late that it is already past.
            deadline_ = *deadline_ + cfg_.advert_interval;
            if (*deadline_ <= now) deadline_ = now + cfg_.advert_interval;
            return out;
        case State::backup:
            if (lower_master_seen_ && cfg_.preempt_delay.count() > 0 && !preempt_pending_) {
                preempt_pending_ = true;
                deadline_ = now + cfg_.preempt_delay;
                return out;
            }
            become_master(now,
                          preempt_pending_ ? "preempting after preempt_delay"
                                           : "Master_Down_Interval expired",
                          out);
            return out;
    }
    return out;
}

}  // namespace vigil::vrrp
