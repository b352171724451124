// Fakes of the VRRP engine's ports: an in-memory kernel (links, addresses, routes, rules),
// sockets that record what is sent, a frame sender, host settings and a recording observer.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/sinks/ostream_sink.h>

#include "net/netlink.h"
#include "vrrpd/ports.h"

namespace vigil::vrrpd::testing {

// The kernel as the engine sees it.
class FakeNetlink final : public net::Netlink {
  public:
    struct Iface {
        net::Link link;
        std::vector<net::InterfaceAddress> addresses;
    };

    net::Link& add_link(const std::string& name, int ifindex, bool up = true) {
        net::Link l;
        l.ifindex = ifindex;
        l.name = name;
        l.admin_up = l.oper_up = up;
        l.has_mac = true;
        l.mac = {0x02, 0, 0, 0, 0, static_cast<std::uint8_t>(ifindex)};
        links_[ifindex] = {l, {}};
        return links_[ifindex].link;
    }
    void remove_link(int ifindex) { links_.erase(ifindex); }
    void add(int ifindex, const char* prefix, bool tentative = false, bool secondary = false) {
        links_.at(ifindex).addresses.push_back({*IpPrefix::parse(prefix), secondary, tentative});
    }
    void del(int ifindex, const IpAddress& a) {
        auto& v = links_.at(ifindex).addresses;
        std::erase_if(v, [&](const net::InterfaceAddress& x) { return x.prefix.address == a; });
    }
    bool has(int ifindex, const char* address) const {
        auto it = links_.find(ifindex);
        if (it == links_.end()) return false;
        return std::any_of(it->second.addresses.begin(), it->second.addresses.end(),
                           [&](const auto& x) { return x.prefix.address.to_string() == address; });
    }
    std::size_t route_count() const { return routes_.size(); }
    void drop_routes() { routes_.clear(); }
    void drop_rules() { rules_.clear(); }

    Result<net::Link> link(std::string_view name) override {
        for (const auto& [i, f] : links_)
            if (f.link.name == name) return f.link;
        return Error{fmt::format("no interface '{}'", name)};
    }
    Result<net::Link> link(int ifindex) override {
        auto it = links_.find(ifindex);
        if (it == links_.end()) return Error{"no such interface"};
        return it->second.link;
    }
    Result<std::vector<net::InterfaceAddress>> addresses(int ifindex, Family f) override {
        auto it = links_.find(ifindex);
        if (it == links_.end()) return Error{"no such interface"};
        std::vector<net::InterfaceAddress> out;
        for (const auto& a : it->second.addresses)
            if (a.prefix.address.family() == f) out.push_back(a);
        return out;
    }
    Status add_address(int ifindex, const config::AddressSpec& a) override {
        ops.push_back(fmt::format("add {} {}", ifindex, a.address.to_string()));
        auto it = links_.find(ifindex);
        if (it == links_.end()) return Error{"no such device"};
        if (!has(ifindex, a.address.address.to_string().c_str()))
            it->second.addresses.push_back({a.address, true, false});
        return Ok{};
    }
    Status remove_address(int ifindex, const config::AddressSpec& a) override {
        ops.push_back(fmt::format("del {} {}", ifindex, a.address.to_string()));
        if (links_.contains(ifindex)) del(ifindex, a.address.address);
        return Ok{};
    }
    Status add_route(const config::RouteSpec& r, int) override {
        ops.push_back("add route " + r.destination.to_string());
        if (!contains(routes_, r)) routes_.push_back(r);
        return Ok{};
    }
    Status remove_route(const config::RouteSpec& r, int) override {
        ops.push_back("del route " + r.destination.to_string());
        std::erase_if(routes_, [&](const auto& x) { return config::same_line(x, r); });
        return Ok{};
    }
    Status add_rule(const config::RuleSpec& r) override {
        ops.push_back("add rule");
        if (!contains(rules_, r)) rules_.push_back(r);
        return Ok{};
    }
    Status remove_rule(const config::RuleSpec& r) override {
        ops.push_back("del rule");
        std::erase_if(rules_, [&](const auto& x) { return config::same_line(x, r); });
        return Ok{};
    }
    Result<bool> restore_route(const config::RouteSpec& r, int ifindex) override {
        const bool missing = !contains(routes_, r);
        if (missing) (void)add_route(r, ifindex);
        return missing;
    }
    Result<bool> restore_rule(const config::RuleSpec& r) override {
        const bool missing = !contains(rules_, r);
        if (missing) (void)add_rule(r);
        return missing;
    }

    std::vector<std::string> ops;  // every change asked for, in order

  private:
    template <class Spec>
    static bool contains(const std::vector<Spec>& v, const Spec& x) {
        return std::any_of(v.begin(), v.end(),
                           [&](const Spec& y) { return config::same_line(x, y); });
    }
    std::map<int, Iface> links_;
    std::vector<config::RouteSpec> routes_;
    std::vector<config::RuleSpec> rules_;
};

class FakeTransport final : public Transport {
  public:
    struct Sent {
        SocketKey key;
        std::vector<std::byte> bytes;
        IpAddress source;
        IpAddress destination;
    };
    Status open(const SocketKey& key, const std::string&) override {
        ++opened;
        open_.insert(key);
        return Ok{};
    }
    void close(const SocketKey& key) override {
        ++closed;
        open_.erase(key);
    }
    Status join(const SocketKey&, const IpAddress& group) override {
        joined.push_back(group);
        return Ok{};
    }
    Status send(const SocketKey& key, std::span<const std::byte> bytes, const IpAddress& source,
                const IpAddress& destination, std::uint8_t) override {
        if (fail_sends) return Error{"cannot send: Invalid argument"};
        sent.push_back({key, {bytes.begin(), bytes.end()}, source, destination});
        return Ok{};
    }
    bool is_open(const SocketKey& key) const { return open_.contains(key); }
    // The VRRP priority of a sent advert (IPv4: after the IP header; IPv6: the message).
    static std::uint8_t priority(const Sent& s) {
        const std::size_t at = s.key.family == Family::inet ? 20 : 0;
        return static_cast<std::uint8_t>(s.bytes.at(at + 2));
    }
    std::vector<std::uint8_t> priorities() const {
        std::vector<std::uint8_t> out;
        for (const auto& s : sent) out.push_back(priority(s));
        return out;
    }

    std::vector<Sent> sent;
    std::vector<IpAddress> joined;
    int opened = 0;
    int closed = 0;
    bool fail_sends = false;

  private:
    std::set<SocketKey> open_;
};

class FakeFrames final : public FrameSender {
  public:
    Status send_frame(int ifindex, std::span<const std::byte> frame) override {
        frames.push_back({ifindex, {frame.begin(), frame.end()}});
        return Ok{};
    }
    std::vector<std::pair<int, std::vector<std::byte>>> frames;
};

class FakeHost final : public HostSettings {
  public:
    bool ipv6_forwarding(const std::string&) override { return false; }
    Status set_promote_secondaries(const std::string& ifname) override {
        promoted.push_back(ifname);
        return Ok{};
    }
    std::vector<std::string> promoted;
};

class RecordingObserver final : public StateObserver {
  public:
    struct Entry {
        std::string name;
        vrrp::StateChange change;
    };
    void state_changed(const config::VrrpInstance& vi, const vrrp::StateChange& c,
                       std::uint8_t) override {
        changes.push_back({vi.name, c});
    }
    void priority_changed(const config::VrrpInstance& vi, vrrp::State,
                          std::uint8_t priority) override {
        priorities.emplace_back(vi.name, priority);
    }
    void lower_priority_master(const config::VrrpInstance& vi, std::uint8_t priority) override {
        lower_masters.emplace_back(vi.name, priority);
    }
    std::vector<std::pair<std::string, std::uint8_t>> lower_masters;
    std::vector<std::pair<std::string, std::uint8_t>> priorities;
    std::vector<vrrp::State> states(const std::string& name) const {
        std::vector<vrrp::State> out;
        for (const auto& e : changes)
            if (e.name == name) out.push_back(e.change.to);
        return out;
    }
    std::vector<Entry> changes;
};

// The tracking shells: the test plays the scripts, files and processes.
class FakeTracking final : public TrackingShell {
  public:
    void run_script(const std::string& name, const config::ScriptSpec&,
                    std::chrono::milliseconds timeout) override {
        runs.emplace_back(name, timeout);
    }
    void watch_files(const std::vector<FileDef>& f, bool start) override {
        files = f;
        started = start;
    }
    void watch_processes(const std::vector<ProcessDef>& p) override { processes = p; }
    void watch_linkbeat(const std::vector<LinkbeatDef>& l) override { linkbeat = l; }
    std::size_t runs_of(const std::string& name) const {
        return static_cast<std::size_t>(std::count_if(
            runs.begin(), runs.end(), [&](const auto& r) { return r.first == name; }));
    }

    std::vector<std::pair<std::string, std::chrono::milliseconds>> runs;
    std::vector<FileDef> files;
    std::vector<ProcessDef> processes;
    std::vector<LinkbeatDef> linkbeat;
    bool started = false;
};

}  // namespace vigil::vrrpd::testing
