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

InstanceConfig cfg(std::uint8_t priority, const char* addr = "192.0.2.1",
                   std::uint8_t version = 3) {
    InstanceConfig c;
    c.name = "VI_1";
    c.vrid = 51;
    c.priority = priority;
    c.version = version;
    c.primary_address = ip(addr);
    return c;
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
    Instance v3(cfg(100));
    EXPECT_EQ(v3.skew_time(), 609375us);
    EXPECT_EQ(v3.master_down_interval(), 3609375us);
    // v3 scales the skew with the interval; v2 does not.
    auto c = cfg(200);
    c.advert_interval = 2s;
    EXPECT_EQ(Instance(c).skew_time(), Micros(56 * 2'000'000 / 256));
    c.version = 2;
    EXPECT_EQ(Instance(c).skew_time(), Micros(56 * 1'000'000 / 256));
    EXPECT_EQ(Instance(c).master_down_interval(), 6s + Micros(56 * 1'000'000 / 256));
    c.down_timer_adverts = 5;
    EXPECT_EQ(Instance(c).master_down_interval(), 10s + Micros(56 * 1'000'000 / 256));
}

TEST(Instance, AddressOwnerIsMasterAtOnce) {
    Instance i(cfg(255));
    const auto a = i.start(t0);
    EXPECT_EQ(i.state(), State::master);
    ASSERT_EQ(a.size(), 4U);
    EXPECT_TRUE(std::holds_alternative<AddVips>(a[0]));
    EXPECT_EQ(std::get<SendAdvert>(a[1]).priority, 255);
    EXPECT_TRUE(std::holds_alternative<SendGratuitous>(a[2]));
    EXPECT_EQ(std::get<StateChange>(a[3]).to, State::master);
    EXPECT_EQ(i.next_deadline(), t0 + 1s);
}

TEST(Instance, BackupTakesOverAfterMasterDownInterval) {
    Instance i(cfg(100));
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

TEST(Instance, MasterAdvertsKeepTheirCadence) {
    Instance i(cfg(255));
    i.start(t0);
    // Woken 300 us late: the next advert is still due on the 1 s grid.
    EXPECT_EQ(advert_priority(i.on_timer(t0 + 1s + 300us)), 255);
    EXPECT_EQ(i.next_deadline(), t0 + 2s);
    // Woken far too late (the process was stopped): restart the cadence from now.
    i.on_timer(t0 + 10s);
    EXPECT_EQ(i.next_deadline(), t0 + 11s);
}

TEST(Instance, BackupStaysWhileAHigherMasterAdvertises) {
    Instance i(cfg(100));
    i.start(t0);
    for (int s = 1; s <= 10; ++s) {
        EXPECT_TRUE(
            i.on_advert(advert(200), ip("192.0.2.2"), t0 + std::chrono::seconds(s)).empty());
        EXPECT_EQ(i.next_deadline(), t0 + std::chrono::seconds(s) + 3609375us);
    }
    EXPECT_EQ(i.state(), State::backup);
}

TEST(Instance, LearnsTheMastersAdvertInterval) {
    Instance i(cfg(100));
    i.start(t0);
    i.on_advert(advert(200, 2s), ip("192.0.2.2"), t0);
    EXPECT_EQ(i.master_adver_interval(), 2s);
    EXPECT_EQ(i.next_deadline(), t0 + 6s + Micros(156 * 2'000'000 / 256));
    // VRRPv2 has no interval learning.
    Instance v2(cfg(100, "192.0.2.1", 2));
    v2.start(t0);
    v2.on_advert(advert(200, 2s), ip("192.0.2.2"), t0);
    EXPECT_EQ(v2.master_adver_interval(), 1s);
}

TEST(Instance, PriorityZeroMeansTakeOverAfterSkewTime) {
    Instance i(cfg(100));
    i.start(t0);
    i.on_advert(advert(200), ip("192.0.2.2"), t0 + 1s);
    i.on_advert(advert(0), ip("192.0.2.2"), t0 + 2s);
    EXPECT_EQ(i.next_deadline(), t0 + 2s + 609375us);
    i.on_timer(t0 + 2s + 609375us);
    EXPECT_EQ(i.state(), State::master);
    EXPECT_EQ(i.counters().priority_zero_received, 1U);
}

TEST(Instance, PreemptsALowerMaster) {
    Instance i(cfg(200));
    i.start(t0);
    // A lower priority master keeps advertising: RFC 5798 discards its adverts.
    for (int s = 1; s <= 3; ++s)
        i.on_advert(advert(100), ip("192.0.2.2"), t0 + std::chrono::seconds(s));
    const auto mdi = i.master_down_interval();
    i.on_timer(t0 + mdi);
    EXPECT_EQ(i.state(), State::master);
}

TEST(Instance, PreemptDelayDelaysPreemptionOnly) {
    auto c = cfg(200);
    c.preempt_delay = 5s;
    Instance i(c);
    i.start(t0);
    i.on_advert(advert(100), ip("192.0.2.2"), t0 + 1s);
    const auto mdi = i.master_down_interval();
    EXPECT_TRUE(i.on_timer(t0 + mdi).empty());
    EXPECT_EQ(i.state(), State::backup);
    EXPECT_EQ(i.next_deadline(), t0 + mdi + 5s);
    i.on_timer(t0 + mdi + 5s);
    EXPECT_EQ(i.state(), State::master);

    // With no master at all, there is nothing to preempt: no delay.
    Instance j(c);
    j.start(t0);
    j.on_timer(t0 + j.master_down_interval());
    EXPECT_EQ(j.state(), State::master);
}

TEST(Instance, NopreemptLeavesALowerMasterAlone) {
    auto c = cfg(200);
    c.preempt = false;
    Instance i(c);
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
    Instance i(cfg(100, "192.0.2.5"));
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
    Instance i(cfg(255));
    i.start(t0);
    const auto a = i.on_advert(advert(100), ip("192.0.2.2"), t0 + 500ms);
    EXPECT_EQ(advert_priority(a), 255);
    EXPECT_TRUE(has<SendGratuitous>(a));
    EXPECT_EQ(i.counters().lower_priority_master_seen, 1U);
    auto c = cfg(255);
    c.lower_prio_no_advert = true;
    Instance quiet(c);
    quiet.start(t0);
    const auto b = quiet.on_advert(advert(100), ip("192.0.2.2"), t0 + 500ms);
    EXPECT_FALSE(advert_priority(b));
    EXPECT_TRUE(has<SendGratuitous>(b));  // the VIPs are re-announced all the same
}

TEST(Instance, HigherPrioSendAdvertSendsALastAdvert) {
    auto c = cfg(100);
    c.higher_prio_send_advert = true;
    Instance i(c);
    i.start(t0);
    i.on_timer(t0 + i.master_down_interval());
    const auto a = i.on_advert(advert(200), ip("192.0.2.2"), t0 + 5s);
    EXPECT_EQ(advert_priority(a), 100);
    EXPECT_EQ(i.state(), State::backup);
}

TEST(Instance, StopSendsPriorityZero) {
    Instance i(cfg(255));
    i.start(t0);
    const auto a = i.stop(t0 + 2s);
    EXPECT_EQ(advert_priority(a), 0);
    EXPECT_TRUE(has<RemoveVips>(a));
    EXPECT_EQ(i.state(), State::init);
    EXPECT_FALSE(i.next_deadline());
    EXPECT_EQ(i.counters().priority_zero_sent, 1U);
    // A backup stops quietly.
    Instance b(cfg(100));
    b.start(t0);
    EXPECT_FALSE(advert_priority(b.stop(t0)));
}

TEST(Instance, FaultAndRecovery) {
    Instance i(cfg(255));
    i.start(t0);
    auto a = i.set_fault(true, t0 + 1s);
    EXPECT_EQ(i.state(), State::fault);
    EXPECT_EQ(advert_priority(a), 0);
    EXPECT_TRUE(has<RemoveVips>(a));
    EXPECT_TRUE(i.on_advert(advert(100), ip("192.0.2.2"), t0 + 2s).empty());
    EXPECT_FALSE(i.next_deadline());
    a = i.set_fault(false, t0 + 3s);
    EXPECT_EQ(i.state(), State::master);  // the owner returns as master
    Instance b(cfg(100));
    b.set_fault(true, t0);
    b.start(t0);
    EXPECT_EQ(b.state(), State::fault);
    b.set_fault(false, t0 + 1s);
    EXPECT_EQ(b.state(), State::backup);
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
            nodes_.push_back(std::make_unique<Instance>(cfg(priorities[k], addr.c_str())));
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
                handle(to, nodes_[to]->on_advert(a, nodes_[from]->config().primary_address, now_));
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
