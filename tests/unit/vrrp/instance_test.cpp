// The instance state machine on simulated time: RFC 5798 6.4 transitions, timers in
// microseconds, keepalived's extensions, and a small simulated LAN.
#include "vrrp/instance.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <random>

namespace vigil::vrrp {
namespace {

using namespace std::chrono_literals;

const Time t0{};

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

InstanceConfig cfg(std::uint8_t priority, std::uint8_t version = 3) {
    InstanceConfig c;
    c.name = "VI_1";
    c.vrid = 51;
    c.priority = priority;
    c.version = version;
    return c;
}

// An instance whose own address (the tie breaker) is `addr`.
Instance make(const InstanceConfig& c, const char* addr = "192.0.2.1") {
    return Instance(c, ip(addr));
}

Advert advert(std::uint8_t priority, Micros interval = 1s) {
    Advert a;
    a.vrid = 51;
    a.priority = priority;
    a.interval = interval;
    a.addresses = {ip("192.0.2.100")};
    return a;
}

template <class T>
bool has(const Actions& a) {
    for (const auto& x : a)
        if (std::holds_alternative<T>(x)) return true;
    return false;
}

std::optional<std::uint8_t> advert_priority(const Actions& a) {
    for (const auto& x : a)
        if (const auto* s = std::get_if<SendAdvert>(&x)) return s->priority;
    return std::nullopt;
}

TEST(Timers, Rfc5798And3768) {
    // v3, priority 100, 1 s: Skew = 156/256 s = 609375 us; MDI = 3 s + skew.
    auto v3 = make(cfg(100));
    EXPECT_EQ(v3.skew_time(), 609375us);
    EXPECT_EQ(v3.master_down_interval(), 3609375us);
    // v3 scales the skew with the interval; v2 does not.
    auto c = cfg(200);
    c.advert_interval = 2s;
    EXPECT_EQ(make(c).skew_time(), Micros(56 * 2'000'000 / 256));
    c.version = 2;
    EXPECT_EQ(make(c).skew_time(), Micros(56 * 1'000'000 / 256));
    EXPECT_EQ(make(c).master_down_interval(), 6s + Micros(56 * 1'000'000 / 256));
    c.down_timer_adverts = 5;
    EXPECT_EQ(make(c).master_down_interval(), 10s + Micros(56 * 1'000'000 / 256));
}

TEST(Instance, AddressOwnerIsMasterAtOnce) {
    auto i = make(cfg(255));
    const auto a = i.start(t0);
    EXPECT_EQ(i.state(), State::master);
    ASSERT_EQ(a.size(), 4U);
    EXPECT_EQ(std::get<StateChange>(a[0]).to, State::master);  // reported before its actions
    EXPECT_EQ(std::get<StateChange>(a[0]).cause, Cause::address_owner);
    EXPECT_TRUE(std::holds_alternative<AddVips>(a[1]));
    EXPECT_EQ(std::get<SendAdvert>(a[2]).priority, 255);
    EXPECT_TRUE(std::holds_alternative<SendGratuitous>(a[3]));
    EXPECT_EQ(i.next_deadline(), t0 + 1s);
}

TEST(Instance, BackupTakesOverAfterMasterDownInterval) {
    auto i = make(cfg(100));
    i.start(t0);
    EXPECT_EQ(i.state(), State::backup);
    EXPECT_EQ(i.next_deadline(), t0 + 3609375us);
    EXPECT_TRUE(i.on_timer(t0 + 3609374us).empty());
    const auto a = i.on_timer(t0 + 3609375us);
    EXPECT_EQ(i.state(), State::master);
    EXPECT_TRUE(has<AddVips>(a) && has<SendGratuitous>(a));
    EXPECT_EQ(advert_priority(a), 100);
    EXPECT_EQ(i.next_deadline(), t0 + 3609375us + 1s);
    EXPECT_EQ(i.counters().became_master, 1U);
}

// vrrp_startup_delay 3, as keepalived 2.2.7 measured: the owner is master at the end of the
// delay; a backup, and a `state MASTER` one, after the delay plus Master_Down_Interval; an
// advert heard meanwhile does not bring that forward.
TEST(Instance, StartupDelayHoldsEveryoneBack) {
    const Time end = t0 + 3s;
    auto owner = make(cfg(255));
    EXPECT_TRUE(owner.start(t0, end).empty());
    EXPECT_EQ(owner.state(), State::init);
    EXPECT_EQ(owner.next_deadline(), end);
    EXPECT_TRUE(owner.on_timer(end - 1us).empty());
    const auto a = owner.on_timer(end);
    EXPECT_EQ(owner.state(), State::master);
    EXPECT_EQ(std::get<StateChange>(a.at(0)).cause, Cause::address_owner);

    auto backup = make(cfg(100));
    backup.start(t0, end);
    EXPECT_EQ(backup.state(), State::backup);
    EXPECT_EQ(backup.next_deadline(), end + 3609375us);
    backup.on_advert(advert(0), ip("192.0.2.2"), t0 + 1s);  // a master stopping meanwhile
    EXPECT_EQ(backup.next_deadline(), end + 609375us);
    backup.on_advert(advert(200), ip("192.0.2.2"), t0 + 2s);  // a master's advert
    EXPECT_EQ(backup.next_deadline(), end + 3609375us);
    backup.on_timer(end + 3609375us);
    EXPECT_EQ(backup.state(), State::master);
    // After the delay, adverts count from when they come.
    backup.on_advert(advert(200), ip("192.0.2.2"), end + 5s);
    EXPECT_EQ(backup.state(), State::backup);
    EXPECT_EQ(backup.next_deadline(), end + 5s + 3609375us);

    auto c = cfg(100);
    c.initial_master = true;
    auto wants_master = make(c);
    wants_master.start(t0, end);
    EXPECT_EQ(wants_master.next_deadline(), end + 3609375us);

    // A fault that comes during an owner's delay: FAULT at its end, not master.
    auto faulty = make(cfg(255));
    faulty.start(t0, end);
    faulty.set_fault(FaultSource::link_down, true, t0 + 1s);
    faulty.on_timer(end);
    EXPECT_EQ(faulty.state(), State::fault);
}

TEST(Instance, MasterAdvertsKeepTheirCadence) {
    auto i = make(cfg(255));
    i.start(t0);
    // Woken 300 us late: the next advert is still due on the 1 s grid.
    EXPECT_EQ(advert_priority(i.on_timer(t0 + 1s + 300us)), 255);
    EXPECT_EQ(i.next_deadline(), t0 + 2s);
    // Woken far too late (the process was stopped): restart the cadence from now.
    i.on_timer(t0 + 10s);
    EXPECT_EQ(i.next_deadline(), t0 + 11s);
}

TEST(Instance, BackupStaysWhileAHigherMasterAdvertises) {
    auto i = make(cfg(100));
    i.start(t0);
    for (int s = 1; s <= 10; ++s) {
        EXPECT_TRUE(
            i.on_advert(advert(200), ip("192.0.2.2"), t0 + std::chrono::seconds(s)).empty());
        EXPECT_EQ(i.next_deadline(), t0 + std::chrono::seconds(s) + 3609375us);
    }
    EXPECT_EQ(i.state(), State::backup);
}

TEST(Instance, LearnsTheMastersAdvertInterval) {
    auto i = make(cfg(100));
    i.start(t0);
    i.on_advert(advert(200, 2s), ip("192.0.2.2"), t0);
    EXPECT_EQ(i.master_adver_interval(), 2s);
    EXPECT_EQ(i.next_deadline(), t0 + 6s + Micros(156 * 2'000'000 / 256));
    // VRRPv2 has no interval learning.
    auto v2 = make(cfg(100, 2));
    v2.start(t0);
    v2.on_advert(advert(200, 2s), ip("192.0.2.2"), t0);
    EXPECT_EQ(v2.master_adver_interval(), 1s);
}

TEST(Instance, PriorityZeroMeansTakeOverAfterSkewTime) {
    auto i = make(cfg(100));
    i.start(t0);
    i.on_advert(advert(200), ip("192.0.2.2"), t0 + 1s);
    i.on_advert(advert(0), ip("192.0.2.2"), t0 + 2s);
    EXPECT_EQ(i.next_deadline(), t0 + 2s + 609375us);
    i.on_timer(t0 + 2s + 609375us);
    EXPECT_EQ(i.state(), State::master);
    EXPECT_EQ(i.counters().priority_zero_received, 1U);
}

TEST(Instance, PreemptsALowerMaster) {
    auto i = make(cfg(200));
    i.start(t0);
    // A lower priority master keeps advertising: RFC 5798 discards its adverts.
    for (int s = 1; s <= 3; ++s)
        i.on_advert(advert(100), ip("192.0.2.2"), t0 + std::chrono::seconds(s));
    const auto mdi = i.master_down_interval();
    i.on_timer(t0 + mdi);
    EXPECT_EQ(i.state(), State::master);
}

// keepalived's preempt_delay: until `preempt_delay` after the start, a lower priority master's
// adverts count as a master's (the down timer restarts with each); then they are discarded
// and the down timer runs out. Measured with keepalived 2.2.7: started at 0 beside a lower
// master, preempt_delay 10, it took over at 13.1 s.
TEST(Instance, PreemptDelayDelaysPreemptionOnly) {
    auto c = cfg(200);
    c.preempt_delay = 5s;
    auto i = make(c);
    i.start(t0);
    Time last{};
    for (auto t = t0 + 1s; t <= t0 + 12s; t += 1s) {
        i.on_advert(advert(100), ip("192.0.2.2"), t);
        if (t < t0 + 5s) last = t;
        i.on_timer(t);
        if (i.state() == State::master) break;
    }
    // Taken as the master's until 5 s; discarded after: master MDI after the last taken one.
    EXPECT_EQ(i.state(), State::master);
    EXPECT_EQ(i.counters().became_master, 1U);
    EXPECT_GE(i.counters().lower_priority_discarded, 1U);
    EXPECT_EQ(last, t0 + 4s);

    // With no master at all, there is nothing to preempt: no delay.
    auto j = make(c);
    j.start(t0);
    j.on_timer(t0 + j.master_down_interval());
    EXPECT_EQ(j.state(), State::master);
}

// Review defect: a lower master that dies while the preempt delay runs is taken over one
// Master_Down_Interval after its last advert (keepalived: 3.61 s), not after the whole delay.
TEST(Instance, LowerMasterDyingDuringPreemptDelayIsTakenOverAtMasterDown) {
    auto c = cfg(100);
    c.preempt_delay = 10s;
    auto i = make(c);
    i.start(t0);
    for (auto t = t0; t <= t0 + 4s; t += 1s) i.on_advert(advert(50), ip("192.0.2.2"), t);
    // The lower master's last advert was at 4 s; it dies.
    const auto mdi = i.master_down_interval();
    EXPECT_EQ(i.next_deadline(), t0 + 4s + mdi);
    i.on_timer(t0 + 4s + mdi);
    EXPECT_EQ(i.state(), State::master);
    EXPECT_LT(t0 + 4s + mdi, t0 + 10s);
}

TEST(Instance, NopreemptLeavesALowerMasterAlone) {
    auto c = cfg(200);
    c.preempt = false;
    auto i = make(c);
    i.start(t0);
    for (int s = 1; s <= 20; ++s) {
        const auto now = t0 + std::chrono::seconds(s);
        i.on_advert(advert(100), ip("192.0.2.2"), now);
        i.on_timer(now);
    }
    EXPECT_EQ(i.state(), State::backup);
    // ... but takes over when it goes silent.
    i.on_timer(t0 + 20s + i.master_down_interval());
    EXPECT_EQ(i.state(), State::master);
}

TEST(Instance, MasterYieldsToHigherPriorityAndToGreaterAddressOnTies) {
    auto i = make(cfg(100), "192.0.2.5");
    i.start(t0);
    i.on_timer(t0 + i.master_down_interval());
    ASSERT_EQ(i.state(), State::master);
    // Equal priority from a smaller address: we stay, and re-announce ourselves.
    auto a = i.on_advert(advert(100), ip("192.0.2.4"), t0 + 5s);
    EXPECT_EQ(i.state(), State::master);
    EXPECT_TRUE(has<SendGratuitous>(a));
    // Equal priority from a greater address wins.
    a = i.on_advert(advert(100), ip("192.0.2.6"), t0 + 6s);
    EXPECT_EQ(i.state(), State::backup);
    EXPECT_TRUE(has<RemoveVips>(a));
    EXPECT_EQ(i.counters().released_master, 1U);
}

TEST(Instance, MasterReannouncesWhenALowerMasterAppears) {
    auto i = make(cfg(255));
    i.start(t0);
    const auto a = i.on_advert(advert(100), ip("192.0.2.2"), t0 + 500ms);
    EXPECT_EQ(advert_priority(a), 255);
    EXPECT_TRUE(has<SendGratuitous>(a));
    EXPECT_EQ(i.counters().lower_priority_master_seen, 1U);
    auto c = cfg(255);
    c.lower_prio_no_advert = true;
    auto quiet = make(c);
    quiet.start(t0);
    const auto b = quiet.on_advert(advert(100), ip("192.0.2.2"), t0 + 500ms);
    EXPECT_FALSE(advert_priority(b));
    EXPECT_TRUE(has<SendGratuitous>(b));  // the VIPs are re-announced all the same
}

TEST(Instance, HigherPrioSendAdvertSendsALastAdvert) {
    auto c = cfg(100);
    c.higher_prio_send_advert = true;
    auto i = make(c);
    i.start(t0);
    i.on_timer(t0 + i.master_down_interval());
    const auto a = i.on_advert(advert(200), ip("192.0.2.2"), t0 + 5s);
    EXPECT_EQ(advert_priority(a), 100);
    EXPECT_EQ(i.state(), State::backup);
}

TEST(Instance, StopSendsPriorityZero) {
    auto i = make(cfg(255));
    i.start(t0);
    const auto a = i.stop(t0 + 2s);
    EXPECT_EQ(advert_priority(a), 0);
    EXPECT_TRUE(has<RemoveVips>(a));
    EXPECT_EQ(i.state(), State::init);
    EXPECT_FALSE(i.next_deadline());
    EXPECT_EQ(i.counters().priority_zero_sent, 1U);
    // A backup stops quietly.
    auto b = make(cfg(100));
    b.start(t0);
    EXPECT_FALSE(advert_priority(b.stop(t0)));
}

TEST(Instance, FaultAndRecovery) {
    auto i = make(cfg(255));
    i.start(t0);
    auto a = i.set_fault(FaultSource::link_down, true, t0 + 1s);
    EXPECT_EQ(i.state(), State::fault);
    EXPECT_EQ(advert_priority(a), 0);
    EXPECT_TRUE(has<RemoveVips>(a));
    EXPECT_TRUE(i.on_advert(advert(100), ip("192.0.2.2"), t0 + 2s).empty());
    EXPECT_FALSE(i.next_deadline());
    a = i.set_fault(FaultSource::link_down, false, t0 + 3s);
    EXPECT_EQ(i.state(), State::master);  // the owner returns as master
    auto b = make(cfg(100));
    b.set_fault(FaultSource::unbound, true, t0);
    b.start(t0);
    EXPECT_EQ(b.state(), State::fault);
    b.set_fault(FaultSource::unbound, false, t0 + 1s);
    EXPECT_EQ(b.state(), State::backup);
}

// Review defect: after a reload that changes advert_int, a VRRPv2 backup's
// Master_Down_Interval follows the new interval (VRRPv2 has no Master_Adver_Interval to learn),
// instead of keeping the old one and flapping against a master on the new one.
TEST(Instance, Vrrpv2ReloadChangesTheMasterDownInterval) {
    auto c = cfg(100, 2);
    auto i = make(c);
    i.start(t0);
    c.advert_interval = 3s;
    i.reconfigure(c);
    EXPECT_EQ(i.master_adver_interval(), 3s);
    i.on_advert(advert(200, 3s), ip("192.0.2.2"), t0 + 1s);
    EXPECT_EQ(i.next_deadline(), t0 + 1s + 9s + Micros(156 * 1'000'000 / 256));
}

// keepalived 2.2.7: a `state MASTER` instance's first wait is one interval and the smallest
// skew (1/256 of the interval), not the full Master_Down_Interval.
TEST(Instance, StateMasterWaitsOneIntervalAndTheSmallestSkew) {
    auto c = cfg(100);
    c.initial_master = true;
    auto i = make(c);
    i.start(t0);
    EXPECT_EQ(i.next_deadline(), t0 + 1s + Micros(1'000'000 / 256));
    c.version = 2;
    c.advert_interval = 2s;
    auto v2 = make(c);
    v2.start(t0);
    EXPECT_EQ(v2.next_deadline(), t0 + 2s + Micros(1'000'000 / 256));
}

// Every change is reported as a typed StateChange before the entry actions it brings.
TEST(Instance, StateChangesComeFirstAndAreTyped) {
    auto i = make(cfg(100));
    auto a = i.start(t0);
    ASSERT_FALSE(a.empty());
    auto c = std::get<StateChange>(a.front());
    EXPECT_EQ(c.from, State::init);
    EXPECT_EQ(c.to, State::backup);
    EXPECT_EQ(c.cause, Cause::start);
    a = i.on_timer(t0 + i.master_down_interval());
    c = std::get<StateChange>(a.front());
    EXPECT_EQ(c.to, State::master);
    EXPECT_EQ(c.cause, Cause::master_down);
    EXPECT_EQ(std::get<SendGratuitous>(a.back()).reason, GarpReason::became_master);
    a = i.on_advert(advert(150), ip("192.0.2.9"), t0 + 10s);
    c = std::get<StateChange>(a.front());
    EXPECT_EQ(c.cause, Cause::preempted);
    EXPECT_EQ(c.peer, ip("192.0.2.9"));
    EXPECT_EQ(c.peer_priority, 150);
    EXPECT_EQ(describe(c), "higher priority advert (150 from 192.0.2.9)");
}

// keepalived 2.2.7, measured: a VIP (route, rule) deleted behind a master's back makes it give
// up (priority 0, VIPs removed) and, unless a backup takes over within Skew_Time, become
// master again with everything added back. It never stays MASTER without its VIPs.
TEST(Instance, AddressesLostGiveUpAndComeBack) {
    auto i = make(cfg(255));
    i.start(t0);
    auto a = i.on_addresses_lost(t0 + 2s);
    ASSERT_GE(a.size(), 3U);
    EXPECT_EQ(std::get<StateChange>(a[0]).cause, Cause::addresses_lost);
    EXPECT_EQ(std::get<SendAdvert>(a[1]).priority, 0);
    EXPECT_TRUE(std::holds_alternative<RemoveVips>(a[2]));
    EXPECT_EQ(i.state(), State::backup);
    EXPECT_EQ(i.next_deadline(), t0 + 2s + i.skew_time());
    a = i.on_timer(t0 + 2s + i.skew_time());
    EXPECT_EQ(i.state(), State::master);
    EXPECT_TRUE(has<AddVips>(a));
    EXPECT_EQ(i.counters().addresses_lost, 1U);
    // Only a master can lose them.
    EXPECT_TRUE(make(cfg(100)).on_addresses_lost(t0).empty());
}

// The master address names the router whose advert was taken as the master's: not one
// whose advert was discarded, and nobody after a priority 0.
TEST(Instance, MasterAddressIsTheAcceptedMaster) {
    auto i = make(cfg(150));
    i.start(t0);
    EXPECT_FALSE(i.master_address());
    i.on_advert(advert(200), ip("192.0.2.2"), t0 + 1s);
    EXPECT_EQ(i.master_address(), ip("192.0.2.2"));
    i.on_advert(advert(100), ip("192.0.2.3"), t0 + 2s);  // lower: discarded, we preempt it
    EXPECT_EQ(i.master_address(), ip("192.0.2.2"));
    i.on_advert(advert(0), ip("192.0.2.2"), t0 + 3s);
    EXPECT_FALSE(i.master_address());
}

// -V (--dont-release-vrrp): stopping sends nothing and keeps the VIPs (keepalived -V).
TEST(Instance, StopWithoutReleaseSendsNothing) {
    auto i = make(cfg(255));
    i.start(t0);
    const auto a = i.stop(t0 + 1s, false);
    EXPECT_FALSE(advert_priority(a));
    EXPECT_FALSE(has<RemoveVips>(a));
    EXPECT_EQ(std::get<StateChange>(a.front()).to, State::init);
}

// FAULT lasts while any of its sources is set.
TEST(Instance, FaultSourcesAddUp) {
    auto i = make(cfg(100));
    i.start(t0);
    i.set_fault(FaultSource::link_down, true, t0 + 1s);
    i.set_fault(FaultSource::unbound, true, t0 + 2s);
    i.set_fault(FaultSource::link_down, false, t0 + 3s);
    EXPECT_EQ(i.state(), State::fault);
    const auto a = i.set_fault(FaultSource::unbound, false, t0 + 4s);
    EXPECT_EQ(i.state(), State::backup);
    EXPECT_EQ(std::get<StateChange>(a.front()).cause, Cause::fault_cleared);
}

// ---------------------------------------------------------------- a simulated LAN

// N instances on one segment: every advert reaches every other instance after `delay`,
// unless it is lost or the two are on different sides of a partition.
class Lan {
  public:
    Lan(std::vector<std::uint8_t> priorities, Micros delay, double loss, unsigned seed)
        : delay_(delay), loss_(loss), rng_(seed) {
        for (std::size_t k = 0; k < priorities.size(); ++k) {
            const auto addr = fmt::format("192.0.2.{}", k + 1);
            addresses_.push_back(ip(addr.c_str()));
            nodes_.push_back(std::make_unique<Instance>(cfg(priorities[k]), addresses_.back()));
            side_.push_back(0);
        }
    }
    void start(std::size_t k) { handle(k, nodes_[k]->start(now_)); }
    void stop(std::size_t k) { handle(k, nodes_[k]->stop(now_)); }
    void partition(std::vector<int> sides) { side_ = std::move(sides); }
    Instance& node(std::size_t k) { return *nodes_[k]; }

    // Runs until `until`, delivering adverts and firing timers in time order.
    void run(Micros span) {
        const Time until = now_ + span;
        for (;;) {
            Time next = until;
            for (const auto& n : nodes_)
                if (auto d = n->next_deadline(); d && *d < next) next = *d;
            if (!queue_.empty() && queue_.begin()->first < next) next = queue_.begin()->first;
            if (next >= until) break;
            now_ = next;
            if (!queue_.empty() && queue_.begin()->first == now_) {
                const auto [to, from, a] = queue_.begin()->second;
                queue_.erase(queue_.begin());
                handle(to, nodes_[to]->on_advert(a, addresses_[from], now_));
                continue;
            }
            for (std::size_t k = 0; k < nodes_.size(); ++k)
                if (auto d = nodes_[k]->next_deadline(); d && *d <= now_)
                    handle(k, nodes_[k]->on_timer(now_));
        }
        now_ = until;
    }

    std::vector<std::size_t> masters() const {
        std::vector<std::size_t> m;
        for (std::size_t k = 0; k < nodes_.size(); ++k)
            if (nodes_[k]->state() == State::master) m.push_back(k);
        return m;
    }
    Time now() const { return now_; }
    std::optional<Time> last_became_master;

  private:
    void handle(std::size_t from, const Actions& actions) {
        for (const auto& act : actions) {
            if (const auto* sc = std::get_if<StateChange>(&act); sc && sc->to == State::master)
                last_became_master = now_;
            const auto* send = std::get_if<SendAdvert>(&act);
            if (send == nullptr) continue;
            for (std::size_t to = 0; to < nodes_.size(); ++to) {
                if (to == from || side_[to] != side_[from]) continue;
                if (std::uniform_real_distribution<>(0, 1)(rng_) < loss_) continue;
                queue_.emplace(now_ + delay_, std::tuple{to, from, advert(send->priority)});
            }
        }
    }

    std::vector<std::unique_ptr<Instance>> nodes_;
    std::vector<IpAddress> addresses_;
    std::vector<int> side_;
    std::multimap<Time, std::tuple<std::size_t, std::size_t, Advert>> queue_;
    Time now_{};
    Micros delay_;
    double loss_;
    std::mt19937 rng_;
};

TEST(Lan, ElectsTheHighestPriority) {
    Lan lan({100, 200, 150}, 200us, 0.0, 1);
    for (std::size_t k = 0; k < 3; ++k) lan.start(k);
    lan.run(10s);
    EXPECT_EQ(lan.masters(), (std::vector<std::size_t>{1}));
}

TEST(Lan, TakeoverWithinMasterDownIntervalWhenTheMasterDies) {
    Lan lan({100, 200, 150}, 200us, 0.0, 2);
    for (std::size_t k = 0; k < 3; ++k) lan.start(k);
    lan.run(10s);
    // The master vanishes from the LAN without a word (kill -9, cable cut): the next in line
    // takes over after its Master_Down_Interval from the last advert it heard.
    lan.partition({0, 1, 0});
    const Time died = lan.now();
    lan.run(10s);
    EXPECT_EQ(lan.node(2).state(), State::master);
    EXPECT_EQ(lan.node(0).state(), State::backup);
    ASSERT_TRUE(lan.last_became_master);
    EXPECT_LE(*lan.last_became_master - died, lan.node(2).master_down_interval());
}

TEST(Lan, StopWithPriorityZeroIsFast) {
    Lan lan({100, 200}, 200us, 0.0, 3);
    lan.start(0);
    lan.start(1);
    lan.run(10s);
    const Time stopped = lan.now();
    lan.stop(1);
    lan.run(5s);
    EXPECT_EQ(lan.masters(), (std::vector<std::size_t>{0}));
    EXPECT_LE(*lan.last_became_master - stopped, lan.node(0).skew_time() + 1ms);
}

TEST(Lan, PartitionsHealToExactlyOneMaster) {
    for (unsigned seed = 0; seed < 20; ++seed) {
        Lan lan({100, 150, 200}, 300us, 0.05, seed);
        for (std::size_t k = 0; k < 3; ++k) lan.start(k);
        lan.run(10s);
        lan.partition({0, 1, 1});  // both sides elect a master
        lan.run(10s);
        EXPECT_EQ(lan.masters().size(), 2U) << seed;
        lan.partition({0, 0, 0});
        lan.run(5s);
        EXPECT_EQ(lan.masters(), (std::vector<std::size_t>{2})) << seed;
    }
}

}  // namespace
}  // namespace vigil::vrrp
