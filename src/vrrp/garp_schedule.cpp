#include "vrrp/garp_schedule.h"

#include <algorithm>

namespace vigil::vrrp {

namespace {

// A burst `delay` from `now`, unless the delay or the repeat count turns it off.
std::optional<Time> later(Time now, Micros delay, std::uint32_t repeat) {
    if (delay <= Micros{0} || repeat == 0) return std::nullopt;
    return now + delay;
}

// Takes a due burst: its rounds, and clears it.
std::uint32_t take_if_due(std::optional<Time>& at, Time now, std::uint32_t rounds) {
    if (!at || *at > now) return 0;
    at.reset();
    return rounds;
}

}  // namespace

std::uint32_t GarpSchedule::on_master(Time now) {
    // Becoming master again restarts every timer, as keepalived does on each transition.
    master_ = true;
    master_second_burst_ = later(now, policy_.master_delay, policy_.master_repeat);
    lower_prio_second_burst_.reset();
    next_refresh_ = later(now, policy_.refresh, policy_.refresh_repeat);
    return policy_.master_repeat;
}

std::uint32_t GarpSchedule::on_lower_priority_advert(Time now) {
    if (!master_) return 0;
    // keepalived arms one more timer per lower priority advert; a split brain heals with one
    // or two such adverts, so one pending second burst (the latest) is enough and bounded.
    lower_prio_second_burst_ = later(now, policy_.lower_prio_delay, policy_.lower_prio_repeat);
    return policy_.lower_prio_repeat;
}

std::uint32_t GarpSchedule::on_timer(Time now) {
    if (!master_) return 0;
    // Bursts that fall due together add up: each is a separate reason to announce.
    std::uint32_t rounds = take_if_due(master_second_burst_, now, policy_.master_repeat);
    rounds += take_if_due(lower_prio_second_burst_, now, policy_.lower_prio_repeat);
    if (take_if_due(next_refresh_, now, policy_.refresh_repeat) != 0) {
        rounds += policy_.refresh_repeat;
        // The refresh period is a minimum interval (keepalived.conf(5)): counted from when
        // the refresh was sent, so a late wake-up does not bunch the next ones up.
        next_refresh_ = now + policy_.refresh;
    }
    return rounds;
}

void GarpSchedule::on_leave_master() {
    master_ = false;
    master_second_burst_.reset();
    lower_prio_second_burst_.reset();
    next_refresh_.reset();
}

void GarpSchedule::set_policy(GarpPolicy p, Time now) {
    const bool refresh_changed =
        p.refresh != policy_.refresh || p.refresh_repeat != policy_.refresh_repeat;
    policy_ = p;
    if (master_ && refresh_changed)
        next_refresh_ = later(now, policy_.refresh, policy_.refresh_repeat);
}

std::optional<Time> GarpSchedule::next_deadline() const {
    std::optional<Time> first;
    for (const auto& t : {master_second_burst_, lower_prio_second_burst_, next_refresh_})
        if (t && (!first || *t < *first)) first = t;
    return first;
}

Time Pacer::slot(Time now) {
    const Time at = next_free_ ? std::max(now, *next_free_) : now;
    if (interval_ > Micros{0}) next_free_ = at + interval_;
    return at;
}

}  // namespace vigil::vrrp
