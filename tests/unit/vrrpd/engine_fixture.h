// The engine on fakes of every port and simulated time: a fixture for its tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "config/config.h"
#include "fakes.h"
#include "vrrpd/engine.h"

namespace vigil::vrrpd::testing {

using namespace std::chrono_literals;
using vrrp::State;

inline IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

inline std::shared_ptr<const config::Model> model(const std::string& text) {
    config::LoadOptions o;
    o.read.config_id = "main";
    const auto r = config::load_config_text(text, o);
    EXPECT_TRUE(r.ok()) << r.render_diagnostics();
    return r.model;
}

// One instance on eth0 (ifindex 2, 192.0.2.1/24).
inline std::string instance(const std::string& name, int vrid, int priority,
                            const std::string& extra = "",
                            const std::string& vips = "192.0.2.100/24",
                            const std::string& ifname = "eth0") {
    return fmt::format(
        "vrrp_instance {} {{\n interface {}\n virtual_router_id {}\n priority {}\n advert_int 1\n"
        " {}\n virtual_ipaddress {{\n {}\n }}\n}}\n",
        name, ifname, vrid, priority, extra, vips);
}

class EngineTest : public ::testing::Test {
  protected:
    EngineTest() {
        std::ostringstream* sink_stream = &log_text_;
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*sink_stream);
        log_ = std::make_shared<spdlog::logger>("test", sink);
        nl_.add_link("eth0", 2);
        nl_.add(2, "192.0.2.1/24");
        nl_.add(2, "fe80::1/64");
    }

    Engine& engine() {
        if (!engine_)
            engine_ = std::make_unique<Engine>(
                EngineDeps{nl_, transport_, frames_, host_, observer_, tracking_, log_, release_});
        return *engine_;
    }

    // Runs the engine's timers up to `t`.
    void run_until(vrrp::Time t) {
        for (;;) {
            const auto d = engine().next_deadline();
            if (!d || *d > t) break;
            now_ = *d;
            engine().on_timer(now_);
        }
        now_ = t;
    }
    void run_for(vrrp::Micros span) { run_until(now_ + span); }

    // An advert from another router (192.0.2.2 unless said) for VRID `vrid` on eth0.
    void hear(int vrid, int priority, const char* from = "192.0.2.2",
              const char* vip = "192.0.2.100") {
        auto s = vrrp::InstanceSettings{};
        s.name = "peer";
        s.identity = {"eth0", static_cast<std::uint8_t>(vrid), Family::inet, false};
        s.fsm.vrid = static_cast<std::uint8_t>(vrid);
        s.fsm.version = 2;
        s.advertised = {ip(vip)};
        s.send.multicast_group = ip("224.0.0.18");
        vrrp::RouterInstance peer(s, vrrp::Binding{2, ip(from)});
        const auto out = peer.build_adverts(static_cast<std::uint8_t>(priority));
        net::Datagram d;
        d.data = out[0].bytes;
        d.ifindex = 2;
        engine().on_datagram({2, Family::inet, vrrp::ip_protocol}, d, now_);
    }

    State state(const std::string& name) { return engine().state_of(name).value(); }

    FakeNetlink nl_;
    FakeTransport transport_;
    FakeFrames frames_;
    FakeHost host_;
    RecordingObserver observer_;
    FakeTracking tracking_;
    std::ostringstream log_text_;
    core::Logger log_;
    bool release_ = true;
    vrrp::Time now_{};
    std::unique_ptr<Engine> engine_;
};

}  // namespace vigil::vrrpd::testing
