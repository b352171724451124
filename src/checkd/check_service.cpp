#include "checkd/check_service.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "check/policy.h"
#include "check/real_server_health.h"
#include "check/virtual_server_state.h"
#include "checkd/ipvs_sync.h"
#include "checkd/probe_factory.h"
#include "core/notify_channels.h"
#include "ipvs/genl.h"
#include "notify/alerts.h"
#include "notify/fifo_format.h"

namespace vigil::checkd {

namespace asio = boost::asio;

namespace {

using Clock = std::chrono::steady_clock;
using Micros = std::chrono::microseconds;

// How long scripts started at stop (omega) may run before the worker goes.
constexpr std::chrono::seconds script_grace{2};

// How often FILE_CHECK files are read (keepalived watches them with inotify).
constexpr std::chrono::seconds poll_interval{1};

std::string_view protocol_word(const config::VirtualServer& vs) {
    if (!vs.protocol) return "tcp";
    switch (*vs.protocol) {
        case config::LvsProtocol::tcp:
            return "tcp";
        case config::LvsProtocol::udp:
            return "udp";
        case config::LvsProtocol::sctp:
            return "sctp";
    }
    return "tcp";
}

std::string bracketed(const IpAddress& a) {
    return "[" + a.to_string() + "]";
}

// keepalived's names: "[192.0.2.15]:tcp:80", "FWM 1", "group NAME".
std::string vs_name(const config::VirtualServer& vs) {
    switch (vs.kind) {
        case config::VirtualServer::Kind::fwmark:
            return fmt::format("FWM {}", vs.fwmark);
        case config::VirtualServer::Kind::group:
            return fmt::format("group {}", vs.group);
        case config::VirtualServer::Kind::address:
            break;
    }
    return fmt::format("{}:{}:{}", bracketed(vs.address), protocol_word(vs), vs.port);
}

std::string rs_name(const config::RealServer& rs, const config::VirtualServer& vs) {
    return fmt::format("{}:{}:{}", bracketed(rs.address), protocol_word(vs), rs.port);
}

const config::VirtualServerGroup* group_of(const config::Model& m,
                                           const config::VirtualServer& vs) {
    if (vs.kind != config::VirtualServer::Kind::group) return nullptr;
    for (const auto& g : m.lvs.virtual_server_groups)
        if (g.name == vs.group) return &g;
    return nullptr;
}

// The identity of a checker across a reload: its virtual server, real server, position, kind
// and target. A checker with the same identity keeps its health even when its timing changed
// (a new connect_timeout must not make a down server look up until a round fails again).
std::string checker_identity(const std::string& vs, const std::string& rs, std::size_t index,
                             const config::Checker& c) {
    const auto& e = c.effective;
    return fmt::format("{}|{}|{}|{}|{}|{}", vs, rs, index, checker_keyword(c),
                       e.connect_ip.to_string(), e.connect_port);
}

struct CheckerRun {
    std::string identity;
    std::string description;              // "HTTP_GET [198.51.100.10]:80"
    std::shared_ptr<check::Probe> probe;  // null: cannot run here (see `disabled`)
    std::string disabled;
    std::unique_ptr<check::CheckerPolicy> policy;
    std::unique_ptr<asio::steady_timer> timer;
    // FILE_CHECK: the policy waits for events; the shell reads the file every poll_interval
    // and reports each value.
    bool polled = false;
    std::uint64_t probes = 0;
    std::uint64_t failures = 0;
    std::string last_failure;
};

struct RealServerRun {
    const config::RealServer* cfg = nullptr;
    std::string name;
    std::unique_ptr<check::RealServerHealth> health;
    std::vector<CheckerRun> checkers;
};

struct VirtualServerRun {
    const config::VirtualServer* cfg = nullptr;
    std::string name;
    std::unique_ptr<check::VirtualServerState> state;
    std::vector<RealServerRun> servers;
};

class CheckService final : public core::WorkerService {
  public:
    explicit CheckService(const core::WorkerContext& ctx)
        : ioc_(ctx.ioc),
          log_(ctx.log),
          opts_(ctx.opts),
          scripts_(ctx.ioc.get_executor(), ctx.log),
          random_(std::random_device{}()),
          address_timer_(ctx.ioc),
          stop_timer_(ctx.ioc) {}

    void start(std::shared_ptr<const config::Model> m) override {
        open_kernel_ipvs();
        build(std::move(m), {});
        watch_local_addresses();
        log_->info("checkers: {} virtual server(s), {} real server(s), {} checker(s) started",
                   servers_.size(), count_real_servers(), count_checkers());
    }

    void reload(std::shared_ptr<const config::Model> m) override {
        // Keep the health of every checker whose identity is unchanged.
        std::map<std::string, std::pair<bool, Micros>> kept;
        const auto now = Clock::now();
        for (auto& vs : servers_)
            for (auto& rs : vs.servers)
                for (auto& c : rs.checkers) {
                    const auto d = c.policy->next_deadline();
                    const auto left =
                        d && *d > now ? std::chrono::duration_cast<Micros>(*d - now) : Micros{0};
                    kept[c.identity] = {c.policy->up(), left};
                }
        std::map<std::string, std::pair<bool, bool>> previous;  // quorum up, sorry server active
        for (const auto& vs : servers_)
            previous[vs.name] = {vs.state->quorum_up(), vs.state->sorry_server_active()};
        stop_all();
        build(std::move(m), kept, previous);
        log_->info("checkers: reloaded ({} kept their state)", kept_count_);
    }

    void stop(std::function<void()> done) override {
        address_timer_.cancel();
        for (auto& vs : servers_) {
            const auto actions = vs.state->shutdown();
            on_vs_actions(vs, actions);
        }
        stop_all();
        stopping_ = true;
        if (ipvs_) ipvs_->stop();
        finish_scripts(std::move(done), std::chrono::steady_clock::now() + script_grace);
    }

    std::string stats_text() const override;
    // The health of every real server is the checkers' runtime state.
    std::string data_text() const override { return stats_text(); }
    std::string status_json() const override;

  private:
    std::size_t count_real_servers() const {
        std::size_t n = 0;
        for (const auto& vs : servers_) n += vs.servers.size();
        return n;
    }
    std::size_t count_checkers() const {
        std::size_t n = 0;
        for (const auto& vs : servers_)
            for (const auto& rs : vs.servers) n += rs.checkers.size();
        return n;
    }

    // This kernel may have no IPVS (no module, a container): checks still run and report;
    // the table is not touched. Said once, clearly.
    void open_kernel_ipvs() {
        auto k = ipvs::open_ipvs();
        if (!k) {
            log_->warn(
                "{}: health checks run and are reported, but no virtual server is "
                "installed",
                k.error());
            return;
        }
        ipvs_.emplace(log_, std::move(k.value()));
    }

    // `kept`: the health and time to the next probe of checkers that survive a reload;
    // `previous`: the quorum and sorry-server state of virtual servers before it, so that a
    // reload does not notify again what was already notified.
    void build(std::shared_ptr<const config::Model> m,
               const std::map<std::string, std::pair<bool, Micros>>& kept,
               const std::map<std::string, std::pair<bool, bool>>& previous = {}) {
        model_ = std::move(m);
        ++epoch_;
        kept_count_ = 0;
        channels_.configure(model_->globals.defs, model_->globals.defs.lvs_notify_fifo,
                            ioc_.get_executor(), log_);
        if (ipvs_) ipvs_->configure(model_->globals.defs, opts_.release_ipvs);
        servers_.clear();
        ProbeEnv env{ioc_.get_executor(), log_, &scripts_, channels_.policy(), model_.get()};
        servers_.reserve(model_->lvs.virtual_servers.size());
        for (const auto& vs : model_->lvs.virtual_servers) {
            VirtualServerRun v;
            v.cfg = &vs;
            v.name = vs_name(vs);
            std::vector<check::RealServerStatus> initial;
            for (const auto& rs : vs.real_servers) {
                RealServerRun r;
                r.cfg = &rs;
                r.name = rs_name(rs, vs);
                std::vector<bool> ups;
                for (std::size_t i = 0; i < rs.checkers.size(); ++i) {
                    const auto& c = rs.checkers[i];
                    CheckerRun run;
                    run.identity = checker_identity(v.name, r.name, i, c);
                    const auto target = connect_target(c);
                    run.description = fmt::format("{} {}:{}", checker_keyword(c),
                                                  bracketed(target.address), target.port);
                    std::string why;
                    run.probe = make_probe(c, rs, vs, env, why);
                    if (!run.probe) {
                        run.disabled = why;
                        log_->error("{} for {}: {}", run.description, r.name, why);
                    }
                    auto settings = check::PolicySettings::from(c);
                    if (auto k = kept.find(run.identity); k != kept.end()) {
                        settings.alpha = !k->second.first;  // start in the kept state
                        ++kept_count_;
                    }
                    run.polled = settings.event_driven;
                    run.policy = std::make_unique<check::CheckerPolicy>(settings);
                    run.timer = std::make_unique<asio::steady_timer>(ioc_);
                    ups.push_back(run.policy->up());
                    r.checkers.push_back(std::move(run));
                }
                r.health = std::make_unique<check::RealServerHealth>(rs.weight, std::move(ups));
                initial.push_back({r.health->up(), r.health->weight()});
                v.servers.push_back(std::move(r));
            }
            v.state = std::make_unique<check::VirtualServerState>(vs, group_of(*model_, vs),
                                                                  std::move(initial));
            servers_.push_back(std::move(v));
        }
        const auto now = Clock::now();
        for (std::size_t vi = 0; vi < servers_.size(); ++vi) {
            auto actions = servers_[vi].state->start();
            if (auto p = previous.find(servers_[vi].name); p != previous.end())
                std::erase_if(actions, [&](const check::VsAction& a) {
                    if (const auto* q = std::get_if<check::QuorumChanged>(&a))
                        return q->up == p->second.first;
                    if (const auto* so = std::get_if<check::SorryServerChanged>(&a))
                        return so->active == p->second.second;
                    return false;
                });
            on_vs_actions(servers_[vi], actions);
            for (std::size_t ri = 0; ri < servers_[vi].servers.size(); ++ri) {
                auto& rs = servers_[vi].servers[ri];
                for (std::size_t ci = 0; ci < rs.checkers.size(); ++ci) {
                    auto& c = rs.checkers[ci];
                    if (c.disabled.empty()) {
                        Micros delay = initial_delay(rs.cfg->checkers[ci]);
                        if (auto k = kept.find(c.identity); k != kept.end())
                            delay = std::min(k->second.second,
                                             rs.cfg->checkers[ci].effective.delay_loop);
                        run_actions(vi, ri, ci, c.policy->start(now, delay));
                        if (c.polled) start_probe(vi, ri, ci);
                    } else {
                        // A checker that cannot run is down for good: its server is too.
                        apply_to_server(vi, ri, ci, {check::HealthChanged{false, c.disabled}});
                    }
                }
            }
        }
        publish();
    }

    // warmup: a random first delay in [0, warmup], so that checks do not all start at once.
    Micros initial_delay(const config::Checker& c) {
        const auto warmup = c.effective.warmup.count();
        if (warmup <= 0) return Micros{0};
        std::uniform_int_distribution<std::int64_t> d(0, warmup);
        return Micros{d(random_)};
    }

    void stop_all() {
        for (auto& vs : servers_)
            for (auto& rs : vs.servers)
                for (auto& c : rs.checkers) {
                    c.policy->stop();
                    c.timer->cancel();
                }
        ++epoch_;  // outcomes of probes still in flight are dropped
    }

    // Scripts started by the stop itself (omega's notify_down and quorum_down) get a moment to
    // finish; whatever still runs after it is stopped with the rest.
    void finish_scripts(std::function<void()> done, Clock::time_point deadline) {
        if (scripts_.running() == 0 || Clock::now() >= deadline) {
            scripts_.terminate_all();
            asio::post(ioc_, std::move(done));
            return;
        }
        stop_timer_.expires_after(std::chrono::milliseconds(50));
        stop_timer_.async_wait(
            [this, done = std::move(done), deadline](boost::system::error_code) mutable {
                finish_scripts(std::move(done), deadline);
            });
    }

    // ---- ha_suspend ----

    // ha_suspend needs to know whether a virtual server's address is local (the VRRP VIP is
    // here): the addresses are read every second while some virtual server asks for it.
    void watch_local_addresses() {
        const bool wanted = std::any_of(servers_.begin(), servers_.end(),
                                        [](const auto& vs) { return vs.cfg->ha_suspend; });
        if (!wanted) return;
        const auto local = local_addresses();
        const auto now = Clock::now();
        for (std::size_t vi = 0; vi < servers_.size(); ++vi) {
            auto& vs = servers_[vi];
            if (!vs.cfg->ha_suspend) continue;
            const bool was = vs.state->suspended();
            for (const auto& key : vs.state->service_keys())
                if (key.fwmark == 0)
                    vs.state->set_local_address(key.address, local.count(key.address) != 0);
            if (was == vs.state->suspended()) continue;
            log_->info("{}: {} (ha_suspend)", vs.name,
                       vs.state->suspended() ? "address not local, checks suspended"
                                             : "address local, checks resumed");
            for (std::size_t ri = 0; ri < vs.servers.size(); ++ri)
                for (std::size_t ci = 0; ci < vs.servers[ri].checkers.size(); ++ci) {
                    auto& c = vs.servers[ri].checkers[ci];
                    if (!c.disabled.empty()) continue;
                    if (vs.state->suspended()) {
                        c.policy->stop();
                        c.timer->cancel();
                    } else {
                        run_actions(vi, ri, ci, c.policy->start(now, Micros{0}));
                    }
                }
            publish();
        }
        address_timer_.expires_after(std::chrono::seconds(1));
        address_timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) watch_local_addresses();
        });
    }

    static std::set<IpAddress> local_addresses() {
        std::set<IpAddress> out;
        ifaddrs* list = nullptr;
        if (::getifaddrs(&list) != 0) return out;
        for (auto* i = list; i != nullptr; i = i->ifa_next) {
            if (i->ifa_addr == nullptr) continue;
            if (i->ifa_addr->sa_family == AF_INET) {
                sockaddr_in sin{};
                std::memcpy(&sin, i->ifa_addr, sizeof sin);
                out.insert(IpAddress::v4(ntohl(sin.sin_addr.s_addr)));
            } else if (i->ifa_addr->sa_family == AF_INET6) {
                sockaddr_in6 sin6{};
                std::memcpy(&sin6, i->ifa_addr, sizeof sin6);
                std::array<std::uint8_t, 16> b{};
                std::memcpy(b.data(), sin6.sin6_addr.s6_addr, 16);
                out.insert(IpAddress::v6(b));
            }
        }
        ::freeifaddrs(list);
        return out;
    }

    // ---- policy actions ----

    void run_actions(std::size_t vi, std::size_t ri, std::size_t ci,
                     const check::PolicyActions& actions) {
        auto& c = servers_[vi].servers[ri].checkers[ci];
        for (const auto& a : actions) {
            if (std::holds_alternative<check::StartProbe>(a)) start_probe(vi, ri, ci);
            if (const auto* f = std::get_if<check::AttemptFailed>(&a)) {
                const auto& rs = servers_[vi].servers[ri];
                // A round's last failure is logged as the checker's state change.
                if (rs.cfg->checkers[ci].options.log_all_failures)
                    log_->info("{} for {}: attempt {} of {} failed: {}", c.description, rs.name,
                               f->attempt, f->attempts, f->reason);
            }
        }
        apply_to_server(vi, ri, ci, actions);
        arm(vi, ri, ci);
    }

    void apply_to_server(std::size_t vi, std::size_t ri, std::size_t ci,
                         const check::PolicyActions& actions) {
        auto& vs = servers_[vi];
        auto& rs = vs.servers[ri];
        auto& c = rs.checkers[ci];
        for (const auto& a : actions)
            if (const auto* h = std::get_if<check::HealthChanged>(&a))
                log_->info("{} for {} is {}: {}", c.description, rs.name, h->up ? "up" : "down",
                           h->reason);
        const auto events = rs.health->apply(ci, actions);
        if (events.empty()) return;
        for (const auto& e : events) {
            if (const auto* up = std::get_if<check::ServerUp>(&e))
                real_server_changed(vs, rs, true, up->reason);
            if (const auto* down = std::get_if<check::ServerDown>(&e))
                real_server_changed(vs, rs, false, down->reason);
            if (const auto* w = std::get_if<check::ServerWeightChanged>(&e))
                log_->info("{} of {}: weight {}", rs.name, vs.name, w->weight);
        }
        on_vs_actions(vs, vs.state->apply(ri, events));
        publish();
    }

    void real_server_changed(VirtualServerRun& vs, RealServerRun& rs, bool up,
                             const std::string& reason) {
        // keepalived's words, which log watchers match.
        log_->info("{} {} of virtual server {}: {}", up ? "Adding service" : "Removing service",
                   rs.name, vs.name, reason);
        const auto& spec = up ? rs.cfg->notify_up : rs.cfg->notify_down;
        if (spec)
            run_script(*spec, fmt::format("{} ({})", up ? "notify_up" : "notify_down", rs.name));
        const auto line = notify::real_server_line(rs.name, vs.name, up);
        channels_.write_line(line);
        if (channels_.alerter() && rs.cfg->smtp_alert.value_or(false))
            channels_.alerter()->send(
                notify::real_server_alert(model_->globals.defs.router_id, rs.name, up, reason),
                [log = log_](bool delivered, const std::string& detail) {
                    if (!delivered) log->warn("SMTP alert failed: {}", detail);
                });
    }

    void on_vs_actions(VirtualServerRun& vs, const check::VsActions& actions) {
        for (const auto& a : actions) {
            if (const auto* q = std::get_if<check::QuorumChanged>(&a)) {
                log_->info("{}: quorum {} (alive weight {}): {}", vs.name, q->up ? "up" : "down",
                           q->alive_weight, q->reason);
                const auto& spec = q->up ? vs.cfg->quorum_up : vs.cfg->quorum_down;
                if (spec)
                    run_script(*spec, fmt::format("{} ({})", q->up ? "quorum_up" : "quorum_down",
                                                  vs.name));
                const auto line = notify::virtual_server_line(vs.name, q->up);
                channels_.write_line(line);
            }
            if (const auto* s = std::get_if<check::SorryServerChanged>(&a))
                log_->info("{}: sorry server {}", vs.name, s->active ? "in use" : "released");
            if (const auto* n = std::get_if<check::NotifyRealServerDown>(&a)) {
                if (n->real_server < vs.servers.size())
                    real_server_changed(vs, vs.servers[n->real_server], false, n->reason);
            }
        }
    }

    void run_script(const config::ScriptSpec& spec, std::string name) {
        channels_.run_script(scripts_, spec, std::move(name), {}, log_);
    }

    // What vigil wants in the IPVS table now. Without IPVS it is only reported.
    void publish() {
        ipvs::DesiredState d;
        for (const auto& vs : servers_) vs.state->add_desired(d);
        desired_ = std::move(d);
        if (!ipvs_ || sync_pending_) return;
        // Changes that happen together (a reload, many servers failing at once) make one
        // pass over the kernel's table.
        sync_pending_ = true;
        asio::post(ioc_, [this] {
            sync_pending_ = false;
            if (ipvs_ && !stopping_) ipvs_->update(desired_);
        });
    }

    // ---- probes and timers ----

    void start_probe(std::size_t vi, std::size_t ri, std::size_t ci) {
        auto& c = servers_[vi].servers[ri].checkers[ci];
        if (!c.probe) return;
        ++c.probes;
        asio::co_spawn(ioc_, c.probe->run(),
                       [this, vi, ri, ci, epoch = epoch_, keep = c.probe](
                           const std::exception_ptr& e, check::ProbeOutcome outcome) {
                           if (epoch != epoch_) return;
                           if (e)
                               outcome = check::ProbeOutcome::failure(
                                   check::ProbeOutcome::Kind::io_error, "probe failed");
                           auto& run = servers_[vi].servers[ri].checkers[ci];
                           if (!outcome.ok()) {
                               ++run.failures;
                               run.last_failure = outcome.reason;
                           }
                           run_actions(vi, ri, ci,
                                       run.policy->on_probe_done(outcome, Clock::now()));
                       });
    }

    void arm(std::size_t vi, std::size_t ri, std::size_t ci) {
        auto& c = servers_[vi].servers[ri].checkers[ci];
        const auto deadline = c.policy->next_deadline();
        if (!deadline && c.polled && c.policy->running()) {
            c.timer->expires_after(poll_interval);
            c.timer->async_wait([this, vi, ri, ci, epoch = epoch_](boost::system::error_code ec) {
                if (!ec && epoch == epoch_) start_probe(vi, ri, ci);
            });
            return;
        }
        if (!deadline) {
            c.timer->cancel();
            return;
        }
        c.timer->expires_at(*deadline);
        c.timer->async_wait([this, vi, ri, ci, epoch = epoch_](boost::system::error_code ec) {
            if (ec || epoch != epoch_) return;
            auto& run = servers_[vi].servers[ri].checkers[ci];
            run_actions(vi, ri, ci, run.policy->on_timer(Clock::now()));
        });
    }

    asio::io_context& ioc_;
    core::Logger log_;
    const core::RuntimeOptions& opts_;
    core::ScriptRunner scripts_;
    core::NotifyChannels channels_;
    std::shared_ptr<const config::Model> model_;
    std::vector<VirtualServerRun> servers_;
    ipvs::DesiredState desired_;
    std::optional<IpvsSync> ipvs_;
    bool sync_pending_ = false;
    bool stopping_ = false;
    std::uint64_t epoch_ = 0;
    std::size_t kept_count_ = 0;
    std::mt19937_64 random_;
    asio::steady_timer address_timer_;
    asio::steady_timer stop_timer_;

    friend nlohmann::json to_json_status(const CheckService& s);
};

nlohmann::json to_json_status(const CheckService& s) {
    nlohmann::json vss = nlohmann::json::array();
    for (const auto& vs : s.servers_) {
        nlohmann::json rss = nlohmann::json::array();
        for (const auto& rs : vs.servers) {
            nlohmann::json cks = nlohmann::json::array();
            for (const auto& c : rs.checkers) {
                nlohmann::json j = {{"checker", c.description},
                                    {"up", c.policy->up()},
                                    {"probes", c.probes},
                                    {"failures", c.failures}};
                if (!c.last_failure.empty()) j["last_failure"] = c.last_failure;
                if (!c.disabled.empty()) j["disabled"] = c.disabled;
                cks.push_back(std::move(j));
            }
            rss.push_back({{"name", rs.name},
                           {"up", rs.health->up()},
                           {"weight", rs.health->weight()},
                           {"checkers", std::move(cks)}});
        }
        vss.push_back({{"name", vs.name},
                       {"quorum_up", vs.state->quorum_up()},
                       {"alive_weight", vs.state->alive_weight()},
                       {"sorry_server_active", vs.state->sorry_server_active()},
                       {"suspended", vs.state->suspended()},
                       {"real_servers", std::move(rss)}});
    }
    return {{"ipvs_available", s.ipvs_.has_value()},
            {"ipvs_operations", s.ipvs_ ? s.ipvs_->operations() : 0},
            {"ipvs_failures", s.ipvs_ ? s.ipvs_->failures() : 0},
            {"virtual_servers", std::move(vss)},
            {"desired_ipvs", ipvs::to_string(s.desired_)}};
}

std::string CheckService::status_json() const {
    return to_json_status(*this).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string CheckService::stats_text() const {
    std::string out = "------ checkers ------\n";
    out += fmt::format("IPVS: {}\n", ipvs_ ? fmt::format("{} operations, {} failed",
                                                         ipvs_->operations(), ipvs_->failures())
                                           : "not available");
    for (const auto& vs : servers_) {
        out += fmt::format("Virtual server {}: quorum {}, alive weight {}{}\n", vs.name,
                           vs.state->quorum_up() ? "up" : "down", vs.state->alive_weight(),
                           vs.state->sorry_server_active() ? ", sorry server in use" : "");
        for (const auto& rs : vs.servers) {
            out += fmt::format("  Real server {}: {}, weight {}\n", rs.name,
                               rs.health->up() ? "up" : "down", rs.health->weight());
            for (const auto& c : rs.checkers)
                out += fmt::format("    {}: {}, {} probes, {} failures{}\n", c.description,
                                   c.policy->up() ? "up" : "down", c.probes, c.failures,
                                   c.last_failure.empty() ? "" : " (last: " + c.last_failure + ")");
        }
    }
    out += "Desired IPVS table:\n" + ipvs::to_string(desired_);
    return out;
}

}  // namespace

std::unique_ptr<core::WorkerService> make_check_service(const core::WorkerContext& ctx) {
    return std::make_unique<CheckService>(ctx);
}

}  // namespace vigil::checkd
