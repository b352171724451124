// Keyword tables of the LVS health checkers (TCP_CHECK, HTTP_GET, SSL_GET, SMTP_CHECK,
// DNS_CHECK, MISC_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK, BFD_CHECK) and the resolution of
// each checker's effective settings.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "config/areas.h"

namespace vigil::config {

// Shared with area_lvs.cpp (no header of its own: both files belong to the LVS area).
void add_lvs_checker_keywords(KeywordTable<RealServer>& t);
void catalogue_lvs_checkers(KeywordCatalogue& c);
void resolve_lvs_checker(Checker& c, const VirtualServer& vs, const RealServer& rs,
                         Diagnostics& diags);

namespace {

using namespace std::chrono_literals;

// keepalived's timers are unsigned microsecond counts; connect_timeout is limited to UINT_MAX
// microseconds, the others are practically unbounded (we stop at 10^9 s).
constexpr Micros kMaxTimer = Micros(1'000'000'000LL * 1'000'000);
constexpr Micros kMaxConnectTimeout = Micros(4'294'967'295LL);

// ---------------------------------------------------------------- hex strings

// UDP_CHECK's free-format hex: in each word, digits pair up from the left into bytes and a
// lone last digit is a byte of its own ("Ab12f 3" -> AB 12 0F 03). With `wild`, X or x
// stands for 4 bits that are not compared (mask nibble 0).
bool parse_hex_words(const Args& a, std::size_t first, bool wild, std::vector<std::uint8_t>& data,
                     std::vector<std::uint8_t>& mask) {
    for (std::size_t i = first; i < a.size(); ++i) {
        const std::string& w = a.text(i);
        for (std::size_t k = 0; k < w.size(); k += 2) {
            const std::size_t n = std::min<std::size_t>(2, w.size() - k);
            unsigned value = 0;
            unsigned m = 0;
            for (std::size_t d = 0; d < n; ++d) {
                const char c = w[k + d];
                unsigned nib = 0;
                unsigned nib_mask = 0xF;
                if (c >= '0' && c <= '9') {
                    nib = static_cast<unsigned>(c - '0');
                } else if (c >= 'a' && c <= 'f') {
                    nib = static_cast<unsigned>(c - 'a' + 10);
                } else if (c >= 'A' && c <= 'F') {
                    nib = static_cast<unsigned>(c - 'A' + 10);
                } else if (wild && (c == 'x' || c == 'X')) {
                    nib_mask = 0;
                } else {
                    a.error(i, fmt::format("expected hex digits{}, got '{}'",
                                           wild ? " (or X for any)" : "", w));
                    return false;
                }
                value = (value << 4) | nib;
                m = (m << 4) | nib_mask;
            }
            data.push_back(static_cast<std::uint8_t>(value));
            mask.push_back(static_cast<std::uint8_t>(m));
        }
    }
    return true;
}

// ---------------------------------------------------------------- common options

template <class F>
Handler<Checker> opt_seconds(F CheckerOptions::*m, Micros min, Micros max) {
    return [m, min, max](const Args& a, Checker& c) {
        if (!a.count(1, 1, a.node().keyword.text + " <SECONDS>")) return;
        if (auto v = a.seconds(0, min, max)) c.options.*m = *v;
    };
}

template <class F>
Handler<Checker> opt_bool(F CheckerOptions::*m) {
    return [m](const Args& a, Checker& c) {
        if (!a.count(0, 1, a.node().keyword.text + " [<BOOL>]")) return;
        if (auto v = a.boolean(0)) c.options.*m = *v;
    };
}

template <class F>
Handler<Checker> opt_port(F CheckerOptions::*m) {
    return [m](const Args& a, Checker& c) {
        if (!a.count(1, 1, a.node().keyword.text + " <PORT>")) return;
        if (auto v = a.port(0)) c.options.*m = *v;
    };
}

template <class F>
Handler<Checker> opt_address(F CheckerOptions::*m) {
    return [m](const Args& a, Checker& c) {
        if (!a.count(1, 1, a.node().keyword.text + " <IPADDR>")) return;
        if (auto v = a.address(0)) c.options.*m = *v;
    };
}

void add_connection_options(KeywordTable<Checker>& t) {
    t.add("connect_ip", opt_address(&CheckerOptions::connect_ip))
        .add("connect_port", opt_port(&CheckerOptions::connect_port))
        .add("bindto", opt_address(&CheckerOptions::bindto))
        .add("bind_port", opt_port(&CheckerOptions::bind_port))
        .add("bind_if",
             [](const Args& a, Checker& c) {
                 if (!a.count(1, 1, "bind_if <IFNAME>")) return;
                 // IFNAMSIZ is 16 with the terminating NUL.
                 if (a.text(0).empty() || a.text(0).size() > 15) {
                     a.error(0, fmt::format("expected an interface name of 1-15 characters, "
                                            "got '{}'",
                                            a.text(0)));
                     return;
                 }
                 c.options.bind_if = a.text(0);
             })
        .add("fwmark", [](const Args& a, Checker& c) {
            if (!a.count(1, 1, "fwmark <INTEGER>")) return;
            if (auto v = a.integer(0, 0, 0xFFFFFFFFLL))
                c.options.fwmark = static_cast<std::uint32_t>(*v);
        });
}

void add_policy_options(KeywordTable<Checker>& t) {
    t.add("alpha", opt_bool(&CheckerOptions::alpha))
        .add("connect_timeout",
             opt_seconds(&CheckerOptions::connect_timeout, Micros(1), kMaxConnectTimeout))
        .add("retry",
             [](const Args& a, Checker& c) {
                 if (!a.count(1, 1, "retry <INTEGER>")) return;
                 // A checker may say retry 0; at server level keepalived wants at least 1.
                 if (auto v = a.integer(0, 0, 0xFFFFFFFFLL))
                     c.options.retry = static_cast<std::uint32_t>(*v);
             })
        .add("delay_before_retry",
             opt_seconds(&CheckerOptions::delay_before_retry, Micros(0), kMaxTimer))
        .add("warmup", opt_seconds(&CheckerOptions::warmup, Micros(0), kMaxTimer))
        .add("delay_loop", opt_seconds(&CheckerOptions::delay_loop, Micros(1), kMaxTimer))
        .add("log_all_failures", [](const Args& a, Checker& c) {
            if (!a.count(0, 1, "log_all_failures [<BOOL>]")) return;
            if (auto v = a.boolean(0)) c.options.log_all_failures = *v;
        });
}

KeywordTable<Checker> standard_table() {
    KeywordTable<Checker> t;
    add_connection_options(t);
    add_policy_options(t);
    return t;
}

template <class K>
K& kind(Checker& c) {
    return std::get<K>(c.kind);
}

// ---------------------------------------------------------------- HTTP_GET / SSL_GET

bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

const KeywordTable<HttpUrl>& url_table() {
    static const KeywordTable<HttpUrl> t = [] {
        KeywordTable<HttpUrl> k;
        k.add("path",
              [](const Args& a, HttpUrl& u) {
                  if (!a.count(1, 1, "path <STRING>")) return;
                  u.path = a.text(0);
              })
            .add("digest",
                 [](const Args& a, HttpUrl& u) {
                     if (!a.count(1, 1, "digest <32 HEX DIGITS>")) return;
                     const std::string& d = a.text(0);
                     if (d.size() != 32 || !std::all_of(d.begin(), d.end(), is_hex)) {
                         a.error(0, fmt::format("expected an MD5 digest of 32 hex digits, got "
                                                "'{}'",
                                                d));
                         return;
                     }
                     u.digest = d;
                     for (auto& ch : u.digest)
                         ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                 })
            .add("status_code",
                 [](const Args& a, HttpUrl& u) {
                     if (!a.count(1, 1000, "status_code <INTEGER|RANGE> ...")) return;
                     for (std::size_t i = 0; i < a.size(); ++i) {
                         const std::string& w = a.text(i);
                         const auto dash = w.find('-');
                         const auto num = [&](std::string_view s) -> std::optional<unsigned> {
                             if (s.empty() || s.size() > 3 ||
                                 !std::all_of(s.begin(), s.end(),
                                              [](char ch) { return ch >= '0' && ch <= '9'; }))
                                 return std::nullopt;
                             unsigned v = 0;
                             for (const char ch : s) v = v * 10 + static_cast<unsigned>(ch - '0');
                             if (v < 100 || v > 599) return std::nullopt;
                             return v;
                         };
                         const auto lo = num(std::string_view(w).substr(0, dash));
                         const auto hi = dash == std::string::npos
                                             ? lo
                                             : num(std::string_view(w).substr(dash + 1));
                         if (!lo || !hi || *hi < *lo) {
                             a.error(i, fmt::format("expected a status code 100-599 or a range "
                                                    "LOW-HIGH of them, got '{}'",
                                                    w));
                             continue;
                         }
                         u.status_codes.push_back(
                             {static_cast<std::uint16_t>(*lo), static_cast<std::uint16_t>(*hi)});
                     }
                 })
            .add("virtualhost",
                 [](const Args& a, HttpUrl& u) {
                     if (!a.count(1, 1, "virtualhost <STRING>")) return;
                     u.virtualhost = a.text(0);
                 })
            .add("regex",
                 [](const Args& a, HttpUrl& u) {
                     if (!a.count(1, 1, "regex <STRING>")) return;
                     if (a.text(0).empty()) {
                         a.error(0, "expected a regular expression, got an empty string");
                         return;
                     }
                     u.regex = a.text(0);
                 })
            .add("regex_no_match",
                 [](const Args& a, HttpUrl& u) {
                     if (a.count(0, 0, "regex_no_match")) u.regex_no_match = true;
                 })
            .add("regex_options",
                 [](const Args& a, HttpUrl& u) {
                     // The PCRE2 compile options keepalived.conf(5) lists.
                     static const std::array<std::string_view, 23> known = {
                         "allow_empty_class", "alt_bsux",
                         "auto_callout",      "caseless",
                         "dollar_endonly",    "dotall",
                         "dupnames",          "extended",
                         "firstline",         "match_unset_backref",
                         "multiline",         "never_ucp",
                         "never_utf",         "no_auto_capture",
                         "no_auto_possess",   "no_dotstar_anchor",
                         "no_start_optimize", "ucp",
                         "ungreedy",          "utf",
                         "never_backslash_c", "alt_circumflex",
                         "alt_verbnames"};
                     if (!a.count(1, 100, "regex_options <OPTION> ...")) return;
                     for (std::size_t i = 0; i < a.size(); ++i) {
                         if (std::find(known.begin(), known.end(), a.text(i)) == known.end() &&
                             a.text(i) != "use_offset_limit") {
                             a.error(i, fmt::format("unknown regex option '{}'; expected PCRE2 "
                                                    "option names such as caseless, multiline, "
                                                    "dotall, extended, ungreedy, utf",
                                                    a.text(i)));
                             continue;
                         }
                         u.regex_options.push_back(a.text(i));
                     }
                 })
            .add("regex_stack",
                 [](const Args& a, HttpUrl& u) {
                     if (!a.count(2, 2, "regex_stack <START> <MAX>")) return;
                     const auto s = a.integer(0, 1, 0xFFFFFFFFLL);
                     const auto m = a.integer(1, 1, 0xFFFFFFFFLL);
                     if (!s || !m) return;
                     if (*s > *m) {
                         a.error(1,
                                 fmt::format("maximum stack {} is less than the start {}", *m, *s));
                         return;
                     }
                     u.regex_stack_start = static_cast<std::uint32_t>(*s);
                     u.regex_stack_max = static_cast<std::uint32_t>(*m);
                 })
            .add("regex_min_offset", kw::integer(&HttpUrl::regex_min_offset, 0, 0xFFFFFFFFLL))
            .add("regex_max_offset", kw::integer(&HttpUrl::regex_max_offset, 0, 0xFFFFFFFFLL));
        return k;
    }();
    return t;
}

const KeywordTable<Checker>& http_table() {
    static const KeywordTable<Checker> t = [] {
        KeywordTable<Checker> k = standard_table();
        k.add("http_protocol",
              [](const Args& a, Checker& c) {
                  if (!a.count(1, 1, "http_protocol 1.0|1.0C|1.1")) return;
                  if (auto p = a.choice<HttpCheck::Protocol>(
                          0, {{"1.0", HttpCheck::Protocol::http_1_0},
                              {"1.0C", HttpCheck::Protocol::http_1_0c},
                              {"1.0c", HttpCheck::Protocol::http_1_0c},
                              {"1.1", HttpCheck::Protocol::http_1_1}}))
                      kind<HttpCheck>(c).http_protocol = *p;
              })
            // keepalived 2.2.7 still reads the old name here, with a warning (in the other
            // checkers it is an unknown keyword, measured).
            .add("nb_get_retry",
                 [](const Args& a, Checker& c) {
                     a.warning(0, "deprecated; use 'retry'");
                     if (!a.count(1, 1, "nb_get_retry <INTEGER>")) return;
                     if (auto v = a.integer(0, 0, 0xFFFFFFFFLL))
                         c.options.retry = static_cast<std::uint32_t>(*v);
                 })
            .add("fast_recovery",
                 [](const Args& a, Checker& c) {
                     if (!a.count(0, 1, "fast_recovery [<BOOL>]")) return;
                     const auto v = a.boolean(0);
                     if (!v) return;
                     kind<HttpCheck>(c).fast_recovery = *v;
                     // vigil checks every url in each round, as keepalived with fast_recovery.
                     if (!*v)
                         a.warning(0,
                                   "fast_recovery off is not supported by vigil: every url "
                                   "is checked in each round, without delay_loop between them");
                 })
            .add("enable_sni",
                 [](const Args& a, Checker& c) {
                     if (!a.count(0, 1, "enable_sni [<BOOL>]")) return;
                     if (auto v = a.boolean(0)) kind<HttpCheck>(c).enable_sni = *v;
                 })
            .add("virtualhost",
                 [](const Args& a, Checker& c) {
                     if (!a.count(1, 1, "virtualhost <STRING>")) return;
                     kind<HttpCheck>(c).virtualhost = a.text(0);
                 })
            .add("url", BlockUse::required, [](const Args& a, Checker& c) {
                a.count(0, 0, "url {");
                HttpUrl u;
                u.loc = a.node().keyword.loc;
                url_table().apply(a.node().children, u, a.diags(), "url");
                if (u.path.empty()) {
                    a.diags().error(u.loc, "url: missing 'path'; expected path <STRING>");
                    return;
                }
                if (u.status_codes.empty()) u.status_codes.push_back({200, 299});
                kind<HttpCheck>(c).urls.push_back(std::move(u));
            });
        return k;
    }();
    return t;
}

// ---------------------------------------------------------------- the others

const KeywordTable<Checker>& tcp_table() {
    static const KeywordTable<Checker> t = standard_table();
    return t;
}

// SMTP_CHECK's legacy host { } block: the connection options of one more checker.
const KeywordTable<Checker>& smtp_host_table() {
    static const KeywordTable<Checker> t = [] {
        KeywordTable<Checker> h;
        add_connection_options(h);
        return h;
    }();
    return t;
}

const KeywordTable<Checker>& smtp_table() {
    static const KeywordTable<Checker> t = [] {
        KeywordTable<Checker> k = standard_table();
        k.add("helo_name", [](const Args& a, Checker& c) {
             if (!a.count(1, 1, "helo_name <STRING>")) return;
             kind<SmtpCheck>(c).helo_name = a.text(0);
         }).add("host", BlockUse::required, [](const Args& a, Checker& c) {
            a.count(0, 0, "host {");
            Checker h;
            h.loc = a.node().keyword.loc;
            smtp_host_table().apply(a.node().children, h, a.diags(), "host");
            kind<SmtpCheck>(c).hosts.push_back(h.options);
        });
        return k;
    }();
    return t;
}

const KeywordTable<Checker>& dns_table() {
    static const KeywordTable<Checker> t = [] {
        KeywordTable<Checker> k = standard_table();
        k.add("type", [](const Args& a, Checker& c) {
             if (!a.count(1, 1, "type A|NS|CNAME|SOA|MX|TXT|AAAA")) return;
             // keepalived compares the type case-insensitively.
             std::string up = a.text(0);
             for (auto& ch : up)
                 ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
             using T = DnsCheck::Type;
             static const std::array<std::pair<std::string_view, T>, 7> types = {
                 {{"A", T::a},
                  {"NS", T::ns},
                  {"CNAME", T::cname},
                  {"SOA", T::soa},
                  {"MX", T::mx},
                  {"TXT", T::txt},
                  {"AAAA", T::aaaa}}};
             for (const auto& [name, v] : types) {
                 if (up == name) {
                     kind<DnsCheck>(c).type = v;
                     return;
                 }
             }
             a.error(
                 0, fmt::format("expected one of A|NS|CNAME|SOA|MX|TXT|AAAA, got '{}'", a.text(0)));
         }).add("name", [](const Args& a, Checker& c) {
            if (!a.count(1, 1, "name <STRING>")) return;
            if (a.text(0).empty() || a.text(0).size() > 253) {
                a.error(0, "expected a domain name of 1-253 characters");
                return;
            }
            kind<DnsCheck>(c).name = a.text(0);
        });
        return k;
    }();
    return t;
}

const KeywordTable<Checker>& misc_table() {
    static const KeywordTable<Checker> t = [] {
        KeywordTable<Checker> k;
        add_policy_options(k);  // MISC_CHECK has no connection options
        k.add("misc_path",
              [](const Args& a, Checker& c) {
                  if (auto s = parse_script_spec(a)) {
                      auto& m = kind<MiscCheck>(c);
                      // A `user` line may already have been read.
                      if (s->user.empty()) {
                          s->user = m.misc_path.user;
                          s->group = m.misc_path.group;
                      }
                      m.misc_path = std::move(*s);
                  }
              })
            .add("misc_timeout",
                 [](const Args& a, Checker& c) {
                     if (!a.count(1, 1, "misc_timeout <SECONDS>")) return;
                     // Whole seconds that fit keepalived's microsecond timer.
                     if (auto v = a.integer(0, 0, 4294))
                         kind<MiscCheck>(c).misc_timeout = Micros(*v * 1'000'000);
                 })
            .add("misc_dynamic",
                 [](const Args& a, Checker& c) {
                     if (!a.count(0, 1, "misc_dynamic [<BOOL>]")) return;
                     if (auto v = a.boolean(0)) kind<MiscCheck>(c).misc_dynamic = *v;
                 })
            .add("user",
                 [](const Args& a, Checker& c) {
                     if (!a.count(1, 2, "user USERNAME [GROUPNAME]")) return;
                     auto& m = kind<MiscCheck>(c);
                     m.misc_path.user = a.text(0);
                     m.misc_path.group = a.has(1) ? a.text(1) : std::string();
                 })
            .unsupported({"connect_timeout"}, "a MISC_CHECK script's time limit is misc_timeout");
        return k;
    }();
    return t;
}

const KeywordTable<Checker>& udp_table() {
    static const KeywordTable<Checker> t = [] {
        KeywordTable<Checker> k = standard_table();
        k.add("payload",
              [](const Args& a, Checker& c) {
                  if (!a.count(1, 1000, "payload <HEX_STR>")) return;
                  std::vector<std::uint8_t> data;
                  std::vector<std::uint8_t> mask;
                  if (parse_hex_words(a, 0, false, data, mask))
                      kind<UdpCheck>(c).payload = std::move(data);
              })
            .add("require_reply",
                 [](const Args& a, Checker& c) {
                     std::vector<std::uint8_t> data;
                     std::vector<std::uint8_t> mask;
                     if (!parse_hex_words(a, 0, true, data, mask)) return;
                     auto& u = kind<UdpCheck>(c);
                     u.require_reply = true;
                     u.reply_data = std::move(data);
                     u.reply_mask = std::move(mask);
                 })
            .add("min_reply_length",
                 [](const Args& a, Checker& c) {
                     if (!a.count(1, 1, "min_reply_length <INTEGER>")) return;
                     if (auto v = a.integer(0, 0, 65535))
                         kind<UdpCheck>(c).min_reply_length = static_cast<std::uint16_t>(*v);
                 })
            .add("max_reply_length", [](const Args& a, Checker& c) {
                if (!a.count(1, 1, "max_reply_length <INTEGER>")) return;
                if (auto v = a.integer(0, 0, 65535))
                    kind<UdpCheck>(c).max_reply_length = static_cast<std::uint16_t>(*v);
            });
        return k;
    }();
    return t;
}

const KeywordTable<Checker>& ping_table() {
    return tcp_table();
}

const KeywordTable<Checker>& file_table() {
    static const KeywordTable<Checker> t = [] {
        KeywordTable<Checker> k;  // none of the standard options
        k.add("track_file",
              [](const Args& a, Checker& c) {
                  if (!a.count(1, 1, "track_file <STRING>")) return;
                  kind<FileCheck>(c).track_file = a.text(0);
                  kind<FileCheck>(c).track_file_loc = a.loc(0);
              })
            .add("dynamic",
                 [](const Args& a, Checker& c) {
                     if (!a.count(0, 1, "dynamic [<BOOL>]")) return;
                     if (auto v = a.boolean(0)) kind<FileCheck>(c).dynamic = *v;
                 })
            .add("weight", [](const Args& a, Checker& c) {
                if (!a.count(1, 2, "weight <-2147483647..2147483647> [reverse]")) return;
                const auto w = a.integer(0, -2147483647LL, 2147483647LL);
                if (!w) return;
                if (a.has(1) && a.text(1) != "reverse") {
                    a.error(1, fmt::format("expected 'reverse', got '{}'", a.text(1)));
                    return;
                }
                kind<FileCheck>(c).weight = static_cast<std::int32_t>(*w);
                kind<FileCheck>(c).reverse = a.has(1);
            });
        return k;
    }();
    return t;
}

const KeywordTable<Checker>& bfd_table() {
    static const KeywordTable<Checker> t = [] {
        KeywordTable<Checker> k;
        k.add("name", [](const Args& a, Checker& c) {
            if (!a.count(1, 1, "name <STRING>")) return;
            kind<BfdCheck>(c).name = a.text(0);
            kind<BfdCheck>(c).name_loc = a.loc(0);
        });
        return k;
    }();
    return t;
}

// Reports what a checker block lacks; false drops the checker.
bool complete(const Checker& c, std::string_view keyword, Diagnostics& diags) {
    const auto missing = [&](std::string_view what) {
        diags.error(c.loc, fmt::format("{}: missing {}", keyword, what));
        return false;
    };
    if (const auto* h = std::get_if<HttpCheck>(&c.kind); h && h->urls.empty())
        return missing("'url' block; expected at least one url { path ... }");
    if (const auto* m = std::get_if<MiscCheck>(&c.kind); m && m->misc_path.argv.empty())
        return missing("'misc_path'; expected misc_path <SCRIPT>");
    if (const auto* f = std::get_if<FileCheck>(&c.kind); f && f->track_file.empty())
        return missing("'track_file'; expected track_file <STRING>");
    if (const auto* b = std::get_if<BfdCheck>(&c.kind); b && b->name.empty())
        return missing("'name'; expected name <BFD INSTANCE>");
    if (const auto* u = std::get_if<UdpCheck>(&c.kind);
        u && u->min_reply_length > u->max_reply_length)
        diags.warning(c.loc, fmt::format("{}: min_reply_length {} > max_reply_length {}: the "
                                         "check will always fail",
                                         keyword, u->min_reply_length, u->max_reply_length));
    return true;
}

Handler<RealServer> checker_handler(CheckerKind prototype, const KeywordTable<Checker>& table) {
    return [prototype = std::move(prototype), &table](const Args& a, RealServer& rs) {
        a.count(0, 0, a.node().keyword.text + " {");
        Checker c;
        c.loc = a.node().keyword.loc;
        c.kind = prototype;
        table.apply(a.node().children, c, a.diags(), a.node().keyword.text);
        if (!complete(c, a.node().keyword.text, a.diags())) return;
        auto* smtp = std::get_if<SmtpCheck>(&c.kind);
        if (smtp == nullptr || smtp->hosts.empty()) {
            rs.checkers.push_back(std::move(c));
            return;
        }
        // Each legacy host block is a checker of its own with the block's other settings.
        const auto hosts = std::move(smtp->hosts);
        smtp->hosts.clear();
        for (const auto& h : hosts) {
            Checker one = c;
            one.options.connect_ip = h.connect_ip;
            one.options.connect_port = h.connect_port;
            one.options.bindto = h.bindto;
            one.options.bind_if = h.bind_if;
            one.options.bind_port = h.bind_port;
            one.options.fwmark = h.fwmark;
            rs.checkers.push_back(std::move(one));
        }
    };
}

bool connects(const Checker& c) {
    return !std::holds_alternative<MiscCheck>(c.kind) &&
           !std::holds_alternative<FileCheck>(c.kind) && !std::holds_alternative<BfdCheck>(c.kind);
}

}  // namespace

std::string_view checker_keyword(const Checker& c) {
    return std::visit(
        [](const auto& k) -> std::string_view {
            using K = std::decay_t<decltype(k)>;
            if constexpr (std::is_same_v<K, TcpCheck>)
                return "TCP_CHECK";
            else if constexpr (std::is_same_v<K, HttpCheck>)
                return k.ssl ? "SSL_GET" : "HTTP_GET";
            else if constexpr (std::is_same_v<K, SmtpCheck>)
                return "SMTP_CHECK";
            else if constexpr (std::is_same_v<K, DnsCheck>)
                return "DNS_CHECK";
            else if constexpr (std::is_same_v<K, MiscCheck>)
                return "MISC_CHECK";
            else if constexpr (std::is_same_v<K, UdpCheck>)
                return "UDP_CHECK";
            else if constexpr (std::is_same_v<K, PingCheck>)
                return "PING_CHECK";
            else if constexpr (std::is_same_v<K, FileCheck>)
                return "FILE_CHECK";
            else
                return "BFD_CHECK";
        },
        c.kind);
}

void add_lvs_checker_keywords(KeywordTable<RealServer>& t) {
    HttpCheck ssl;
    ssl.ssl = true;
    t.add("TCP_CHECK", BlockUse::required, checker_handler(TcpCheck{}, tcp_table()))
        .add("HTTP_GET", BlockUse::required, checker_handler(HttpCheck{}, http_table()))
        .add("SSL_GET", BlockUse::required, checker_handler(ssl, http_table()))
        .add("SMTP_CHECK", BlockUse::required, checker_handler(SmtpCheck{}, smtp_table()))
        .add("DNS_CHECK", BlockUse::required, checker_handler(DnsCheck{}, dns_table()))
        .add("MISC_CHECK", BlockUse::required, checker_handler(MiscCheck{}, misc_table()))
        .add("UDP_CHECK", BlockUse::required, checker_handler(UdpCheck{}, udp_table()))
        .add("PING_CHECK", BlockUse::required, checker_handler(PingCheck{}, ping_table()))
        .add("FILE_CHECK", BlockUse::required, checker_handler(FileCheck{}, file_table()))
        .add("BFD_CHECK", BlockUse::required, checker_handler(BfdCheck{}, bfd_table()))
        .unsupported({"BFD_CHECK"},
                     "BFD is not implemented: the real server is checked as if it had no "
                     "BFD_CHECK");
}

void catalogue_lvs_checkers(KeywordCatalogue& c) {
    catalogue(c, "HTTP_GET", http_table());
    catalogue(c, "SSL_GET", http_table());
    catalogue(c, "url", url_table());
    catalogue(c, "TCP_CHECK", tcp_table());
    catalogue(c, "SMTP_CHECK", smtp_table());
    catalogue(c, "host", smtp_host_table());
    catalogue(c, "DNS_CHECK", dns_table());
    catalogue(c, "MISC_CHECK", misc_table());
    catalogue(c, "UDP_CHECK", udp_table());
    catalogue(c, "PING_CHECK", ping_table());
    catalogue(c, "FILE_CHECK", file_table());
    catalogue(c, "BFD_CHECK", bfd_table());
}

void resolve_lvs_checker(Checker& c, const VirtualServer& vs, const RealServer& rs,
                         Diagnostics& diags) {
    const CheckerOptions& o = c.options;
    const InheritedOptions& r = rs.options;
    const InheritedOptions& v = vs.options;
    CheckerSettings& e = c.effective;

    // Checker setting, else the real server's, else the virtual server's, else `def`.
    const auto pick = [](const auto& own, const auto& real, const auto& virt, auto def) {
        if (own) return *own;
        if (real) return *real;
        if (virt) return *virt;
        return def;
    };
    const bool is_http = std::holds_alternative<HttpCheck>(c.kind);
    const bool is_dns = std::holds_alternative<DnsCheck>(c.kind);
    const bool is_misc = std::holds_alternative<MiscCheck>(c.kind);

    e.connect_ip = o.connect_ip.value_or(rs.address);
    e.connect_port = o.connect_port.value_or(rs.port);
    e.alpha = pick(o.alpha, r.alpha, v.alpha, false);
    e.delay_loop = pick(o.delay_loop, r.delay_loop, v.delay_loop, Micros(60s));
    e.connect_timeout = pick(o.connect_timeout, r.connect_timeout, v.connect_timeout, Micros(5s));
    e.retry = pick(o.retry, r.retry, v.retry, std::uint32_t{is_dns ? 3U : is_misc ? 0U : 1U});
    e.delay_before_retry = pick(o.delay_before_retry, r.delay_before_retry, v.delay_before_retry,
                                is_dns    ? e.delay_loop
                                : is_http ? Micros(3s)
                                          : Micros(1s));
    e.warmup = pick(o.warmup, r.warmup, v.warmup, e.delay_loop);
    e.virtualhost.reset();
    if (auto* h = std::get_if<HttpCheck>(&c.kind)) {
        if (h->virtualhost)
            e.virtualhost = h->virtualhost;
        else if (r.virtualhost)
            e.virtualhost = r.virtualhost;
        else if (v.virtualhost)
            e.virtualhost = v.virtualhost;
        for (auto& u : h->urls)
            u.effective_virtualhost = u.virtualhost ? u.virtualhost : e.virtualhost;
    }

    if (!connects(c)) return;
    const std::string_view kw = checker_keyword(c);
    // An IPv6 link-local destination is ambiguous without an interface.
    if (e.connect_ip.is_v6() && e.connect_ip.is_link_local() && o.bind_if.empty())
        diags.error(c.loc, fmt::format("{}: link-local address {} requires bind_if", kw,
                                       e.connect_ip.to_string()));
    if (o.bindto && o.bindto->family() != e.connect_ip.family())
        diags.error(c.loc, fmt::format("{}: bindto {} and connect address {} differ in family", kw,
                                       o.bindto->to_string(), e.connect_ip.to_string()));
}

}  // namespace vigil::config
