#include "config/model_ip.h"

#include <fmt/format.h>

#include "config/values.h"

namespace vigil::config {

namespace {

std::optional<std::uint8_t> parse_scope(const Args& a, std::size_t i) {
    if (!a.has(i)) {
        a.error(i, "missing argument; expected global|site|link|host|nowhere or 0-255");
        return std::nullopt;
    }
    const std::string& t = a.text(i);
    if (t == "global" || t == "universe") return std::uint8_t{0};
    if (t == "site") return std::uint8_t{200};
    if (t == "link") return std::uint8_t{253};
    if (t == "host") return std::uint8_t{254};
    if (t == "nowhere") return std::uint8_t{255};
    if (!t.empty() && t[0] >= '0' && t[0] <= '9') {
        if (auto v = a.integer(i, 0, 255)) return static_cast<std::uint8_t>(*v);
        return std::nullopt;
    }
    a.error(i, fmt::format("expected global|site|link|host|nowhere or 0-255, got '{}'", t));
    return std::nullopt;
}

}  // namespace

std::optional<AddressSpec> parse_address_spec(const Args& a) {
    AddressSpec spec;
    spec.loc = a.loc(0);
    const auto prefix = a.prefix(0);
    if (!prefix) return std::nullopt;
    spec.address = *prefix;
    bool ok = true;
    for (std::size_t i = 1; i < a.size(); ++i) {
        const std::string& w = a.text(i);
        const auto need_value = [&]() {
            if (a.has(i + 1)) return true;
            a.error(i + 1, fmt::format("missing value after '{}'", w));
            ok = false;
            return false;
        };
        if (w == "brd" || w == "broadcast") {
            if (!need_value()) break;
            ++i;
            if (a.text(i) == "-") {
                spec.broadcast = AddressSpec::Broadcast::clear_host_bits;
            } else if (a.text(i) == "+") {
                spec.broadcast = AddressSpec::Broadcast::set_host_bits;
            } else if (auto b = a.address(i)) {
                if (b->family() != spec.address.address.family()) {
                    a.error(i, "broadcast address family differs from the address");
                    ok = false;
                }
                spec.broadcast = AddressSpec::Broadcast::address;
                spec.broadcast_address = *b;
            } else {
                ok = false;
            }
        } else if (w == "dev") {
            if (!need_value()) break;
            spec.dev = a.text(++i);
        } else if (w == "scope") {
            if (!need_value()) break;
            if (auto s = parse_scope(a, ++i))
                spec.scope = *s;
            else
                ok = false;
        } else if (w == "label") {
            if (!need_value()) break;
            spec.label = a.text(++i);
            if (spec.label.size() > 15) {
                a.error(i, "label longer than 15 characters (IFNAMSIZ)");
                ok = false;
            }
        } else if (w == "peer") {
            if (!need_value()) break;
            if (auto p = a.prefix(++i)) {
                spec.peer = *p;
            } else {
                ok = false;
            }
        } else if (w == "home") {
            spec.home = true;
        } else if (w == "-nodad") {
            spec.dad = true;
        } else if (w == "nodad") {
            // keepalived 2.2.7 does not know the word and skips it; IPv6 addresses are added
            // without duplicate address detection anyway, which is what it asks for.
            a.warning(i,
                      "unknown address option 'nodad' (IPv6 addresses are added without "
                      "duplicate address detection unless '-nodad' is given); ignored");
        } else if (w == "mngtmpaddr") {
            spec.mngtmpaddr = true;
        } else if (w == "noprefixroute") {
            spec.noprefixroute = true;
        } else if (w == "autojoin") {
            spec.autojoin = true;
        } else if (w == "no_track") {
            spec.no_track = true;
        } else if (w == "use_vmac") {
            spec.use_vmac = true;
        } else if (w == "preferred_lft") {
            if (!need_value()) break;
            ++i;
            if (a.text(i) == "forever") {
                spec.preferred_lft = 0xFFFFFFFFU;
            } else if (auto v = a.integer(i, 0, 0xFFFFFFFE)) {
                spec.preferred_lft = static_cast<std::uint32_t>(*v);
            } else {
                ok = false;
            }
        } else if (w == "track_group") {
            if (!need_value()) break;
            spec.track_group = a.text(++i);
        } else {
            a.error(i, fmt::format("unknown address option '{}'; expected brd, dev, scope, label, "
                                   "peer, home, -nodad, mngtmpaddr, noprefixroute, autojoin, "
                                   "no_track, use_vmac, preferred_lft or track_group",
                                   w));
            ok = false;
        }
    }
    if (spec.home || spec.mngtmpaddr || spec.dad) {
        if (!spec.address.address.is_v6()) {
            a.warning(0, "home, mngtmpaddr and -nodad apply to IPv6 addresses only; ignored");
            spec.home = spec.mngtmpaddr = spec.dad = false;
        }
    }
    if (!ok) return std::nullopt;
    return spec;
}

}  // namespace vigil::config
