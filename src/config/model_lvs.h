// LVS blocks: virtual_server_group, virtual_server, real_server, sorry_server, the
// checkers, and the SSL block.
//
// Options that keepalived inherits virtual_server -> real_server -> checker are kept as
// std::optional at each level (what was configured there); after resolve_lvs_area() every
// Checker::effective holds what that checker really uses.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/ip_address.h"
#include "config/model_ip.h"
#include "config/model_script.h"

namespace vigil::config {

using Micros = std::chrono::microseconds;

// ---------------------------------------------------------------- virtual_server_group

// "<IPADDR|RANGE> [<PORT>]": a single address is a range with first == last.
struct VsgAddressRange {
    SourceLoc loc;
    IpAddress first;
    IpAddress last;
    std::uint16_t port = 0;  // 0: no port given (persistent services only)
};

// "fwmark <INTEGER> [inet|inet6]".
struct VsgFwmark {
    SourceLoc loc;
    std::uint32_t fwmark = 0;
    std::optional<Family> family;  // only meaningful when every real server is tunnelled
};

struct VirtualServerGroup {
    SourceLoc loc;
    std::string name;
    std::vector<VsgAddressRange> ranges;
    std::vector<VsgFwmark> fwmarks;
};

// ---------------------------------------------------------------- shared pieces

enum class LvsScheduler : std::uint8_t {
    rr,
    wrr,
    lc,
    wlc,
    lblc,
    sh,
    mh,
    dh,
    fo,
    ovf,
    lblcr,
    sed,
    nq,
    twos
};
enum class LvsProtocol : std::uint8_t { tcp, udp, sctp };

// lvs_method NAT|DR|TUN [type {ipip|gue port N|gre} [nocsum|csum|remcsum]].
struct ForwardingMethod {
    enum class Kind : std::uint8_t { nat, dr, tun };
    enum class Tunnel : std::uint8_t { ipip, gue, gre };
    enum class Checksum : std::uint8_t { nocsum, csum, remcsum };
    Kind kind = Kind::nat;
    Tunnel tunnel = Tunnel::ipip;          // TUN only
    std::uint16_t tunnel_port = 0;         // gue only (required there)
    Checksum checksum = Checksum::nocsum;  // gue and gre only
    auto operator<=>(const ForwardingMethod&) const = default;
};

// ---------------------------------------------------------------- checkers

// One url { } block of HTTP_GET / SSL_GET.
struct HttpUrl {
    struct StatusRange {
        std::uint16_t first = 200;
        std::uint16_t last = 299;
        auto operator<=>(const StatusRange&) const = default;
    };
    SourceLoc loc;
    std::string path;
    std::string digest;  // 32 lower-case hex characters (MD5), empty when not checked
    std::vector<StatusRange> status_codes;             // default 200-299
    std::optional<std::string> virtualhost;            // as configured in the url block
    std::optional<std::string> effective_virtualhost;  // url > checker > real > virtual server
    std::string regex;
    bool regex_no_match = false;
    std::vector<std::string> regex_options;
    std::optional<std::uint32_t> regex_stack_start;  // regex_stack: both set, or neither
    std::optional<std::uint32_t> regex_stack_max;
    std::uint32_t regex_min_offset = 0;
    std::optional<std::uint32_t> regex_max_offset;
};

// Options a checker block may set itself; unset ones come from the real/virtual server.
struct CheckerOptions {
    std::optional<IpAddress> connect_ip;
    std::optional<std::uint16_t> connect_port;
    std::optional<IpAddress> bindto;
    std::string bind_if;
    std::optional<std::uint16_t> bind_port;
    std::optional<std::uint32_t> fwmark;
    std::optional<bool> alpha;
    std::optional<Micros> connect_timeout;
    std::optional<std::uint32_t> retry;
    std::optional<Micros> delay_before_retry;
    std::optional<Micros> warmup;
    std::optional<Micros> delay_loop;
    bool log_all_failures = false;
};

struct TcpCheck {};

// HTTP_GET and SSL_GET share one shape; `ssl` tells them apart.
struct HttpCheck {
    enum class Protocol : std::uint8_t { http_1_0, http_1_0c, http_1_1 };
    bool ssl = false;
    Protocol http_protocol = Protocol::http_1_0;
    bool fast_recovery = false;
    bool enable_sni = false;  // SSL_GET only
    std::optional<std::string> virtualhost;
    std::vector<HttpUrl> urls;
};

struct SmtpCheck {
    std::string helo_name;  // empty: smtpchecker.keepalived.org, as keepalived 2.2.7
    // Legacy `host { connect_ip ... }` blocks, read into here and then expanded into one
    // SMTP_CHECK per host (as keepalived does); always empty in a loaded model.
    std::vector<CheckerOptions> hosts;
};

struct DnsCheck {
    enum class Type : std::uint8_t { a, ns, cname, soa, mx, txt, aaaa };
    Type type = Type::soa;
    std::string name = ".";
};

struct MiscCheck {
    ScriptSpec misc_path;                // user/group from misc_path's extra words or from `user`
    std::optional<Micros> misc_timeout;  // whole seconds; unset: the delay_loop
    bool misc_dynamic = false;
};

struct UdpCheck {
    std::vector<std::uint8_t> payload;  // empty: a random payload
    bool require_reply = false;
    // The expected reply; mask bits set where the reply must match (X digits clear them).
    std::vector<std::uint8_t> reply_data;
    std::vector<std::uint8_t> reply_mask;
    std::uint16_t min_reply_length = 0;
    std::uint16_t max_reply_length = 255;
};

struct PingCheck {};

struct FileCheck {
    std::string track_file;  // name of a track_file block (cross-checked after merge)
    SourceLoc track_file_loc;
    bool dynamic = false;
    std::int32_t weight = 0;  // 0 (or not given): the track_file's own weight and reverse
    bool reverse = false;
};

struct BfdCheck {
    std::string name;  // name of a bfd_instance (cross-checked after merge)
    SourceLoc name_loc;
};

// What a checker uses once inheritance and the per-checker defaults are applied.
struct CheckerSettings {
    IpAddress connect_ip;            // default: the real server address
    std::uint16_t connect_port = 0;  // default: the real server port (0: none)
    bool alpha = false;
    Micros connect_timeout{5'000'000};
    std::uint32_t retry = 1;               // DNS_CHECK 3, MISC_CHECK 0
    Micros delay_before_retry{1'000'000};  // HTTP/SSL 3 s, DNS delay_loop
    Micros warmup{60'000'000};             // default delay_loop; 0 disables
    Micros delay_loop{60'000'000};
    std::optional<std::string> virtualhost;  // checker > real server > virtual server
};

using CheckerKind = std::variant<TcpCheck, HttpCheck, SmtpCheck, DnsCheck, MiscCheck, UdpCheck,
                                 PingCheck, FileCheck, BfdCheck>;

struct Checker {
    SourceLoc loc;
    CheckerKind kind;
    CheckerOptions options;
    CheckerSettings effective;
};

// The keyword of a checker: "TCP_CHECK", "HTTP_GET", "SSL_GET", ...
std::string_view checker_keyword(const Checker& c);

// ---------------------------------------------------------------- servers

// Options a virtual or real server may set for what is below it.
struct InheritedOptions {
    std::optional<bool> alpha;
    std::optional<Micros> connect_timeout;
    std::optional<std::uint32_t> retry;
    std::optional<Micros> delay_before_retry;
    std::optional<Micros> warmup;
    std::optional<Micros> delay_loop;
    std::optional<bool> inhibit_on_failure;
    std::optional<std::string> virtualhost;
};

struct RealServer {
    SourceLoc loc;
    IpAddress address;
    std::uint16_t port = 0;  // 0: none given
    std::uint32_t weight = 1;
    std::optional<ForwardingMethod> lvs_method;  // as configured
    ForwardingMethod effective_lvs_method;       // default: the virtual server's
    std::optional<ScriptSpec> notify_up;
    std::optional<ScriptSpec> notify_down;
    std::uint32_t uthreshold = 0;  // 0: none
    std::uint32_t lthreshold = 0;
    std::optional<bool> smtp_alert;  // unset: from global_defs (filled after the merge)
    std::string snmp_name;
    InheritedOptions options;
    bool effective_inhibit_on_failure = false;  // real server > virtual server
    std::vector<Checker> checkers;
};

struct SorryServer {
    SourceLoc loc;
    IpAddress address;
    std::uint16_t port = 0;
    std::optional<ForwardingMethod> lvs_method;
    ForwardingMethod effective_lvs_method;
    bool inhibit = false;  // sorry_server_inhibit
};

// Persistence granularity: an IPv4 netmask or an IPv6 prefix length.
struct PersistenceGranularity {
    Family family = Family::inet;
    IpAddress netmask;            // IPv4
    std::uint8_t prefix_len = 0;  // IPv6, 1-128
};

struct VirtualServer {
    enum class Kind : std::uint8_t { address, fwmark, group };
    SourceLoc loc;
    Kind kind = Kind::address;
    IpAddress address;         // Kind::address
    std::uint16_t port = 0;    // Kind::address; 0: none given (persistent services only)
    std::uint32_t fwmark = 0;  // Kind::fwmark
    std::string group;         // Kind::group
    SourceLoc group_loc;

    LvsScheduler lvs_sched = LvsScheduler::wlc;
    bool flag_1 = false;
    bool flag_2 = false;
    bool flag_3 = false;
    bool sh_port = false;
    bool sh_fallback = false;
    bool mh_port = false;
    bool mh_fallback = false;
    bool ops = false;
    std::optional<ForwardingMethod> lvs_method;  // as configured
    ForwardingMethod effective_lvs_method;       // default NAT
    std::string persistence_engine;
    std::optional<std::uint32_t> persistence_timeout;  // seconds; no value given: 360
    std::optional<PersistenceGranularity> persistence_granularity;
    // Resolved: UDP when not given for a service with addresses; none for a fwmark service.
    std::optional<LvsProtocol> protocol;
    bool ha_suspend = false;
    std::optional<bool> smtp_alert;  // unset: from global_defs (filled after the merge)
    std::string snmp_name;
    bool omega = false;
    std::uint32_t quorum = 1;
    std::uint32_t hysteresis = 0;
    std::optional<ScriptSpec> quorum_up;
    std::optional<ScriptSpec> quorum_down;
    std::optional<Family> ip_family;  // as configured
    Family family = Family::inet;     // resolved
    std::uint32_t weight = 1;
    std::optional<SorryServer> sorry_server;
    InheritedOptions options;
    std::vector<RealServer> real_servers;
};

struct SslConfig {
    SourceLoc loc;
    std::string password;
    std::string ca;
    std::string certificate;
    std::string key;
};

struct LvsAreaModel {
    std::vector<VirtualServerGroup> virtual_server_groups;
    std::vector<VirtualServer> virtual_servers;
    std::optional<SslConfig> ssl;  // unset: SSL_GET uses an auto-generated context
};

}  // namespace vigil::config
