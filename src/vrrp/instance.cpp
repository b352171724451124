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

std::string_view to_string(FaultSource f) {
    switch (f) {
        case FaultSource::link_down:
            return "interface down";
        case FaultSource::unbound:
            return "not bound to its interface or address";
        case FaultSource::tracking:
            return "a tracked object failed";
    }
    return "?";
}

std::string describe(const StateChange& c) {
    const std::string peer = c.peer ? c.peer->to_string() : std::string("?");
    switch (c.cause) {
        case Cause::start:
            return "starting";
        case Cause::address_owner:
            return "address owner (priority 255)";
        case Cause::master_down:
            return "no advert from a master within Master_Down_Interval";
        case Cause::preempted:
            return fmt::format("higher priority advert ({} from {})", c.peer_priority, peer);
        case Cause::addresses_lost:
            return "its addresses were deleted behind its back";
        case Cause::fault:
            return fmt::format("fault: {}", to_string(c.fault));
        case Cause::fault_cleared:
            return "fault cleared";
        case Cause::stop:
            return "stopping";
    }
    return "?";
}

Instance::Instance(InstanceConfig cfg, IpAddress primary_address)
    : cfg_(std::move(cfg)),
      primary_address_(primary_address),
      master_adver_interval_(cfg_.advert_interval) {}

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

std::optional<IpAddress> Instance::master_address() const {
    if (state_ == State::master) return primary_address_;
    if (state_ == State::backup) return master_;
    return std::nullopt;
}

void Instance::change_state(State to, StateChange c, Actions& out) {
    // Every state change goes through here, and is reported before its entry actions.
    if (to == state_) return;
    c.from = state_;
    c.to = to;
    if (c.to == State::master) ++counters_.became_master;
    if (state_ == State::master) ++counters_.released_master;
    if (c.to != State::backup) master_.reset();
    state_ = c.to;
    out.emplace_back(c);
}

void Instance::send_advert(std::uint8_t priority, Actions& out) {
    ++counters_.adverts_sent;
    if (priority == stop_priority) ++counters_.priority_zero_sent;
    out.emplace_back(SendAdvert{priority});
}

void Instance::leave_master(Actions& out) {
    // RFC 5798 6.4.3: a priority 0 advert lets a backup take over after Skew_Time.
    send_advert(stop_priority, out);
    out.emplace_back(RemoveVips{});
}

void Instance::become_master(Time now, Cause cause, Actions& out) {
    // RFC 5798 6.4.2: send an advertisement, broadcast gratuitous ARP (unsolicited NA),
    // start the Adver_Timer. The VIPs are added first so that the ARP replies are right.
    change_state(State::master, {.cause = cause}, out);
    out.emplace_back(AddVips{});
    send_advert(cfg_.priority, out);
    out.emplace_back(SendGratuitous{GarpReason::became_master});
    deadline_ = now + cfg_.advert_interval;
    preempt_until_.reset();
}

void Instance::become_backup(Time now, StateChange c, Actions& out) {
    const bool was_master = state_ == State::master;
    change_state(State::backup, c, out);
    if (was_master) out.emplace_back(RemoveVips{});
    deadline_ = wait_from(now) + master_down_interval();
}

Actions Instance::start(Time now, std::optional<Time> not_master_before) {
    Actions out;
    if (state_ != State::init) return out;
    if (not_master_before && now < *not_master_before) delayed_until_ = not_master_before;
    master_adver_interval_ = cfg_.advert_interval;
    if (faulted()) {
        deadline_.reset();
        FaultSource first = FaultSource::link_down;
        for (const auto f : {FaultSource::unbound, FaultSource::link_down, FaultSource::tracking})
            if (has_fault(f)) {
                first = f;
                break;
            }
        change_state(State::fault, {.cause = Cause::fault, .fault = first}, out);
        return out;
    }
    if (cfg_.priority == owner_priority) {
        if (delayed_until_) {
            deadline_ = delayed_until_;  // on_timer starts it then
            return out;
        }
        become_master(now, Cause::address_owner, out);
        return out;
    }
    become_backup(now, {.cause = Cause::start}, out);
    if (cfg_.preempt_delay > Micros{0}) preempt_until_ = now + cfg_.preempt_delay;
    // keepalived: a `state MASTER` instance waits one interval and the smallest skew (after a
    // start-up delay, measured: the whole Master_Down_Interval, as a backup).
    if (cfg_.initial_master && !delayed_until_)
        deadline_ = now + master_adver_interval_ +
                    (cfg_.version == 2 ? Micros(1'000'000 / 256)
                                       : Micros(master_adver_interval_.count() / 256));
    return out;
}

void Instance::reconfigure(InstanceConfig cfg) {
    const bool interval_changed = cfg.advert_interval != cfg_.advert_interval;
    cfg_ = std::move(cfg);
    // VRRPv2 has no Master_Adver_Interval (RFC 3768: the configured interval is used); a
    // VRRPv3 backup keeps the one its master advertises.
    if (cfg_.version == 2 || (interval_changed && state_ != State::backup))
        master_adver_interval_ = cfg_.advert_interval;
    if (cfg_.preempt_delay <= Micros{0}) preempt_until_.reset();
}

Actions Instance::stop(Time /*now*/, bool release) {
    Actions out;
    const bool was_master = state_ == State::master;
    deadline_.reset();
    preempt_until_.reset();
    delayed_until_.reset();
    change_state(State::init, {.cause = Cause::stop}, out);
    if (was_master && release) leave_master(out);
    return out;
}

Actions Instance::set_fault(FaultSource source, bool on, Time now) {
    Actions out;
    const std::uint8_t before = faults_;
    if (on)
        faults_ |= bit(source);
    else
        faults_ &= static_cast<std::uint8_t>(~bit(source));
    if (state_ == State::init) return out;  // start() looks at the faults
    if (before == 0 && faults_ != 0) {
        const bool was_master = state_ == State::master;
        deadline_.reset();
        preempt_until_.reset();
        change_state(State::fault, {.cause = Cause::fault, .fault = source}, out);
        if (was_master) leave_master(out);
    } else if (before != 0 && faults_ == 0) {
        master_adver_interval_ = cfg_.advert_interval;
        if (cfg_.priority == owner_priority) {
            become_master(now, Cause::fault_cleared, out);
        } else {
            become_backup(now, {.cause = Cause::fault_cleared}, out);
            if (cfg_.preempt_delay > Micros{0}) preempt_until_ = now + cfg_.preempt_delay;
        }
    }
    return out;
}

Actions Instance::set_priority(std::uint8_t priority, Time now) {
    Actions out;
    if (priority == cfg_.priority) return out;
    const Micros old_skew = skew_time();
    cfg_.priority = priority;
    if (state_ == State::master) {
        send_advert(priority, out);
        deadline_ = now + cfg_.advert_interval;
    } else if (state_ == State::backup && deadline_) {
        *deadline_ += skew_time() - old_skew;
    }
    return out;
}

Actions Instance::on_addresses_lost(Time now) {
    Actions out;
    if (state_ != State::master) return out;
    ++counters_.addresses_lost;
    change_state(State::backup, {.cause = Cause::addresses_lost}, out);
    leave_master(out);
    // As after a priority 0 advert: unless a backup takes over within Skew_Time, we are
    // master again, with everything added back.
    deadline_ = now + skew_time();
    return out;
}

bool Instance::advert_wins(const Advert& a, const IpAddress& source) const {
    // RFC 5798 6.4.3: a higher priority, or an equal priority from a greater primary address.
    if (a.priority != cfg_.priority) return a.priority > cfg_.priority;
    return source > primary_address_;
}

bool Instance::preempt_delay_running(Time now) const {
    return cfg_.preempt_delay > Micros{0} && (!preempt_until_ || now < *preempt_until_);
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
                deadline_ = wait_from(now) + skew_time();
                master_.reset();
                return out;
            }
            // A lower priority advert is the master's own unless we may preempt it: with
            // preempt_delay, not before the delay is over (keepalived).
            if (!cfg_.preempt || a.priority >= cfg_.priority || preempt_delay_running(now)) {
                if (cfg_.version == 3) master_adver_interval_ = a.interval;
                deadline_ = wait_from(now) + master_down_interval();
                master_ = source;
                if (cfg_.preempt_delay > Micros{0}) {
                    if (a.priority >= cfg_.priority)
                        preempt_until_.reset();
                    else if (!preempt_until_)
                        preempt_until_ = now + cfg_.preempt_delay;
                }
            } else {
                // Discarded: the down timer runs on and we preempt the lower master.
                ++counters_.lower_priority_discarded;
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
                become_backup(
                    now, {.cause = Cause::preempted, .peer = source, .peer_priority = a.priority},
                    out);
                master_ = source;
                return out;
            }
            // Another router thinks it is master with a lower priority: it was master while
            // it could not hear us. Hosts may hold its MAC for the VIPs: re-announce them.
            ++counters_.lower_priority_master_seen;
            if (!cfg_.lower_prio_no_advert) {
                send_advert(cfg_.priority, out);
                deadline_ = now + cfg_.advert_interval;
            }
            out.emplace_back(SendGratuitous{GarpReason::lower_priority_master});
            return out;
    }
    return out;
}

Actions Instance::on_timer(Time now) {
    Actions out;
    if (!deadline_ || now < *deadline_) return out;
    switch (state_) {
        case State::init:
            deadline_.reset();
            // An address owner at the end of the start-up delay: it starts now (as master,
            // or in FAULT if a fault came meanwhile).
            if (delayed_until_) {
                delayed_until_.reset();
                return start(now);
            }
            return out;
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
            become_master(now, Cause::master_down, out);
            return out;
    }
    return out;
}

}  // namespace vigil::vrrp
