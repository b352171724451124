// Test fixture for the IPVS generic netlink driver: each test moves the process into a fresh
// network namespace (IPVS keeps one table per namespace, so every test starts from an empty
// table and leaves nothing behind) and opens the driver there. Without IPVS in the kernel
// (outside the qemu VM of tests/vm/) every test skips.
#pragma once

#include <gtest/gtest.h>
#include <sched.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>

#include "ipvs/genl.h"

namespace vigil::ipvs {

// Readable values in gtest's failure messages.
inline void PrintTo(const DesiredState& s, std::ostream* os) {
    *os << "\n" << to_string(s);
}
inline void PrintTo(const Service& s, std::ostream* os) {
    *os << "\n" << to_string(ServiceKey{}, s);
}
inline void PrintTo(const SyncDaemon& d, std::ostream* os) {
    *os << (d.role == SyncRole::master ? "master" : "backup") << " " << d.interface << " syncid "
        << int{d.syncid} << " maxlen " << d.max_len << " group "
        << (d.group ? d.group->to_string() : "-") << " port " << d.port << " ttl " << int{d.ttl};
}

}  // namespace vigil::ipvs

namespace vigil::ipvs::testing {

// Runs a shell command, returning its standard output and error ("" when it failed to start).
inline std::string capture(const std::string& cmd) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen((cmd + " 2>&1").c_str(), "r"), pclose);
    if (!p) return out;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
    return out;
}

inline bool sh(const std::string& cmd) {
    return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;  // NOLINT(cert-env33-c)
}

// `ipvsadm ARGS` without the header lines that every listing starts with.
inline std::string ipvsadm(const std::string& args) {
    std::istringstream in(capture("ipvsadm " + args));
    std::string out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("IP Virtual Server version") ||
            line.starts_with("Prot LocalAddress") || line.starts_with("  -> RemoteAddress"))
            continue;
        out += line + '\n';
    }
    return out;
}

inline IpAddress ip(std::string_view text) {
    const auto a = IpAddress::parse(text);
    EXPECT_TRUE(a.has_value()) << text;
    return a.value_or(IpAddress{});
}

inline ServiceKey service(Protocol p, std::string_view address, std::uint16_t port) {
    return ServiceKey::for_address(p, ip(address), port);
}

inline DestinationKey dest(std::string_view address, std::uint16_t port) {
    return DestinationKey{ip(address), port};
}

inline Service scheduled(std::string scheduler) {
    Service s;
    s.scheduler = std::move(scheduler);
    return s;
}

class IpvsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (unshare(CLONE_NEWNET) != 0) GTEST_SKIP() << "needs root (unshare(CLONE_NEWNET))";
        ASSERT_TRUE(sh("ip link set lo up"));
        auto opened = open_ipvs();
        if (!opened && opened.error().starts_with("IPVS is not available in this kernel"))
            GTEST_SKIP() << opened.error() << " (tests/vm/run.sh runs these tests in a VM)";
        ASSERT_TRUE(opened.ok()) << opened.error();
        ipvs_ = std::move(opened.value());
    }

    void apply(const Op& op) {
        const auto st = ipvs_->apply(op);
        ASSERT_TRUE(st.ok()) << st.error();
    }

    // Adds a service with its destinations, as the reconciler would.
    void add(const ServiceKey& key, const Service& s) {
        apply(AddService{key, s});
        for (const auto& [k, d] : s.destinations) apply(AddDest{key, k, d});
    }

    DesiredState read() {
        auto state = ipvs_->read();
        EXPECT_TRUE(state.ok()) << state.error();
        return state.ok() ? state.value() : DesiredState{};
    }

    std::string error_of(const Op& op) {
        const auto st = ipvs_->apply(op);
        EXPECT_FALSE(st.ok());
        return st.ok() ? std::string() : st.error();
    }

    std::unique_ptr<Ipvs> ipvs_;
};

}  // namespace vigil::ipvs::testing
