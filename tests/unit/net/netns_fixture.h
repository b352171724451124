// Test fixture for the netlink shell: each test moves its process into a fresh network
// namespace (gtest_discover_tests runs every test in a process of its own, so nothing reaches
// the host and nothing is left behind), with lo up and a veth pair vg0/vg1, both up.
#pragma once

#include <gtest/gtest.h>
#include <sched.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "net/netlink.h"

namespace vigil::net::testing {

// Runs a shell command, returning its standard output ("" when it failed to start).
inline std::string capture(const std::string& cmd) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    if (!p) return out;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
    return out;
}

inline ::testing::AssertionResult contains(const std::string& text, std::string_view needle) {
    if (text.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << needle << "'";
}

inline bool sh(const std::string& cmd) {
    return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;  // NOLINT(cert-env33-c)
}

// `ip -j ...` output as JSON (an empty array when ip printed nothing).
inline nlohmann::json ip_json(const std::string& args) {
    const std::string out = capture("ip -j " + args + " 2>/dev/null");
    if (out.find_first_not_of(" \n") == std::string::npos) return nlohmann::json::array();
    return nlohmann::json::parse(out);
}

// The configuration model of one static_ipaddress / static_routes / static_rules line, read
// by the real parser so that tests state routes as an operator would.
inline config::LoadResult load_block(std::string_view block, std::string_view line) {
    config::LoadOptions o;
    o.read.config_id = "main";
    o.read.random_seed = 42;
    return config::load_config_text(std::string(block) + " {\n " + std::string(line) + "\n}\n", o);
}

inline config::AddressSpec address(std::string_view line) {
    const auto r = load_block("static_ipaddress", line);
    if (!r.ok() || r.model->globals.static_addresses.empty()) {
        ADD_FAILURE() << "cannot parse '" << line << "': " << r.render_diagnostics();
        return {};
    }
    return r.model->globals.static_addresses.front();
}

inline config::RouteSpec route(std::string_view line) {
    const auto r = load_block("static_routes", line);
    if (!r.ok() || r.model->globals.static_routes.empty()) {
        ADD_FAILURE() << "cannot parse '" << line << "': " << r.render_diagnostics();
        return {};
    }
    return r.model->globals.static_routes.front();
}

inline config::RuleSpec rule(std::string_view line) {
    const auto r = load_block("static_rules", line);
    if (!r.ok() || r.model->globals.static_rules.empty()) {
        ADD_FAILURE() << "cannot parse '" << line << "': " << r.render_diagnostics();
        return {};
    }
    return r.model->globals.static_rules.front();
}

// Whether the namespace's IPv6 set-up is over: vg0 and vg1 have their link-local address, no
// address is tentative (the kernel's duplicate address detection runs, as by default), and
// every address has its route in table local. The kernel does all of this asynchronously after
// a link comes up (carrier is signalled from a work queue), late on a busy machine.
inline bool ipv6_settled() {
    const auto routes = ip_json("-6 route show table local");
    const auto has_local_route = [&](const std::string& address) {
        for (const auto& r : routes)
            if (r.value("dst", "") == address) return true;
        return false;
    };
    std::size_t link_locals = 0;
    for (const auto& link : ip_json("-6 addr show"))
        for (const auto& a : link.value("addr_info", nlohmann::json::array())) {
            if (a.value("tentative", false) || !has_local_route(a.value("local", ""))) return false;
            const std::string dev = link.value("ifname", "");
            if (a.value("scope", "") == "link" && (dev == "vg0" || dev == "vg1")) ++link_locals;
        }
    return link_locals == 2;
}

// Polls `condition` until it holds, for at most `timeout`.
template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

class NetnsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (unshare(CLONE_NEWNET) != 0) GTEST_SKIP() << "needs root (unshare(CLONE_NEWNET))";
        ASSERT_TRUE(sh("ip link set lo up"));
        ASSERT_TRUE(sh("ip link add vg0 type veth peer name vg1"));
        ASSERT_TRUE(sh("ip link set vg0 up"));
        ASSERT_TRUE(sh("ip link set vg1 up"));
        auto nl = open_netlink();
        ASSERT_TRUE(nl.ok()) << nl.error();
        nl_ = std::move(nl.value());
        auto l = nl_->link("vg0");
        ASSERT_TRUE(l.ok()) << l.error();
        vg0_ = l->ifindex;
    }

    // The addresses `ip` shows on vg0 in that family ("inet"/"inet6").
    static nlohmann::json addr_info(const std::string& family = "inet") {
        const auto j = ip_json("-f " + family + " addr show dev vg0");
        if (j.empty()) return nlohmann::json::array();
        return j.at(0).value("addr_info", nlohmann::json::array());
    }

    static nlohmann::json find_addr(const std::string& local, const std::string& family = "inet") {
        for (const auto& a : addr_info(family))
            if (a.value("local", "") == local) return a;
        return nullptr;
    }

    std::unique_ptr<Netlink> nl_;
    int vg0_ = 0;
};

}  // namespace vigil::net::testing
