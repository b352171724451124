// RuleSpec (`ip rule add` syntax) → an RTM_NEWRULE/RTM_DELRULE request. libnl's rtnl_rule
// carries what it has setters for; libnl 3.7 has none for "not" (FIB_RULE_INVERT, set in the
// header it builds), suppress_prefixlength, suppress_ifgroup, uidrange and tunnel-id, which
// are appended to its message as plain attributes. Like `ip rule`, a rule without an action
// looks up the main table; a removal without one matches any action.
#include <endian.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>

#include <fmt/format.h>

#include "net/netlink_internal.h"

namespace vigil::net::detail {

namespace {

constexpr std::uint8_t rtprot_keepalived = 18;

std::uint8_t kernel_action(config::RuleAction a) {
    switch (a) {
        case config::RuleAction::none:
            return FR_ACT_UNSPEC;
        case config::RuleAction::table:
        case config::RuleAction::l3mdev:
            return FR_ACT_TO_TBL;
        case config::RuleAction::goto_rule:
            return FR_ACT_GOTO;
        case config::RuleAction::nop:
            return FR_ACT_NOP;
        case config::RuleAction::blackhole:
            return FR_ACT_BLACKHOLE;
        case config::RuleAction::unreachable:
            return FR_ACT_UNREACHABLE;
        case config::RuleAction::prohibit:
            return FR_ACT_PROHIBIT;
    }
    return FR_ACT_UNSPEC;
}

int rule_family(const config::RuleSpec& r) {
    if (r.from) return address_family(r.from->address.family());
    if (r.to) return address_family(r.to->address.family());
    return r.inet6 ? AF_INET6 : AF_INET;
}

// Fills the libnl object; the caller appends what libnl cannot express.
Status fill(rtnl_rule* rule, const config::RuleSpec& r, bool add,
            const std::vector<std::string>& dirs) {
    rtnl_rule_set_family(rule, rule_family(r));
    if (r.from) {
        if (const int err = rtnl_rule_set_src(rule, to_nl_addr(*r.from).get()); err < 0)
            return Error{
                fmt::format("invalid source {}: {}", r.from->to_string(), nl_geterror(err))};
    }
    if (r.to) {
        if (const int err = rtnl_rule_set_dst(rule, to_nl_addr(*r.to).get()); err < 0)
            return Error{
                fmt::format("invalid destination {}: {}", r.to->to_string(), nl_geterror(err))};
    }
    config::RuleAction action = r.action;
    if (action == config::RuleAction::none && add) action = config::RuleAction::table;
    if (action != config::RuleAction::none) rtnl_rule_set_action(rule, kernel_action(action));
    if (action == config::RuleAction::table) {
        std::uint32_t table = RT_TABLE_MAIN;
        if (r.table) {
            auto t = resolve_rt_id(*r.table, NameFile::rt_tables, dirs);
            if (!t) return Error{t.error()};
            table = t.value();
        }
        rtnl_rule_set_table(rule, table);
    }
    if (action == config::RuleAction::l3mdev) rtnl_rule_set_l3mdev(rule, 1);
    if (r.goto_target) rtnl_rule_set_goto(rule, *r.goto_target);
    if (r.preference) rtnl_rule_set_prio(rule, *r.preference);
    if (!r.iif.empty() && rtnl_rule_set_iif(rule, r.iif.c_str()) < 0)
        return Error{fmt::format("invalid iif '{}'", r.iif)};
    if (!r.oif.empty() && rtnl_rule_set_oif(rule, r.oif.c_str()) < 0)
        return Error{fmt::format("invalid oif '{}'", r.oif)};
    if (r.tos) rtnl_rule_set_dsfield(rule, *r.tos);
    if (r.fwmark) rtnl_rule_set_mark(rule, *r.fwmark);
    if (r.fwmask) rtnl_rule_set_mask(rule, *r.fwmask);
    if (r.realms) {
        auto v = resolve_realms(*r.realms, dirs);
        if (!v) return Error{v.error()};
        rtnl_rule_set_realms(rule, v.value());
    }
    std::uint32_t protocol = rtprot_keepalived;
    if (r.protocol) {
        auto p = resolve_rt_id(*r.protocol, NameFile::rt_protos, dirs);
        if (!p) return Error{p.error()};
        protocol = p.value();
    }
    if (protocol > 255)
        return Error{fmt::format("rule protocol {} out of range [0, 255]", protocol)};
    rtnl_rule_set_protocol(rule, static_cast<std::uint8_t>(protocol));
    if (r.ip_proto) rtnl_rule_set_ipproto(rule, *r.ip_proto);
    if (r.sport) rtnl_rule_set_sport_range(rule, r.sport->from, r.sport->to);
    if (r.dport) rtnl_rule_set_dport_range(rule, r.dport->from, r.dport->to);
    return Ok{};
}

Result<int> put_extras(nl_msg* msg, const config::RuleSpec& r,
                       const std::vector<std::string>& dirs) {
    if (r.invert) {
        auto* frh = static_cast<fib_rule_hdr*>(nlmsg_data(nlmsg_hdr(msg)));
        frh->flags |= FIB_RULE_INVERT;
    }
    int err = 0;
    if (r.suppress_prefixlength)
        err = nla_put_u32(msg, FRA_SUPPRESS_PREFIXLEN, *r.suppress_prefixlength);
    if (err == 0 && r.suppress_ifgroup) {
        auto g = resolve_rt_id(*r.suppress_ifgroup, NameFile::group, dirs);
        if (!g) return Error{g.error()};
        err = nla_put_u32(msg, FRA_SUPPRESS_IFGROUP, g.value());
    }
    if (err == 0 && r.uidrange) {
        const fib_rule_uid_range range{r.uidrange->first, r.uidrange->second};
        err = nla_put(msg, FRA_UID_RANGE, sizeof(range), &range);
    }
    if (err == 0 && r.tunnel_id) {
        const std::uint64_t id_be = htobe64(*r.tunnel_id);
        err = nla_put(msg, FRA_TUN_ID, sizeof(id_be), &id_be);
    }
    return err;
}

}  // namespace

Result<MsgPtr> build_rule_request(const config::RuleSpec& r, bool add,
                                  const std::vector<std::string>& name_dirs) {
    RulePtr rule(rtnl_rule_alloc());
    if (!rule) throw std::bad_alloc();
    if (auto s = fill(rule.get(), r, add, name_dirs); !s) return Error{s.error()};
    nl_msg* raw = nullptr;
    const int err = add ? rtnl_rule_build_add_request(rule.get(), NLM_F_CREATE | NLM_F_EXCL, &raw)
                        : rtnl_rule_build_delete_request(rule.get(), 0, &raw);
    MsgPtr msg(raw);
    if (err < 0 || !msg)
        return Error{fmt::format("cannot build the request: {}", nl_geterror(err))};
    auto extra = put_extras(msg.get(), r, name_dirs);
    if (!extra) return Error{extra.error()};
    if (extra.value() < 0)
        return Error{fmt::format("cannot build the request: {}", nl_geterror(extra.value()))};
    return msg;
}

std::string describe_rule(const config::RuleSpec& r) {
    std::string s;
    if (r.invert) s += "not ";
    s += "from " + (r.from ? r.from->to_string() : std::string("all"));
    if (r.to) s += " to " + r.to->to_string();
    if (r.fwmark) s += fmt::format(" fwmark {:#x}", *r.fwmark);
    if (!r.iif.empty()) s += " iif " + r.iif;
    if (!r.oif.empty()) s += " oif " + r.oif;
    switch (r.action) {
        case config::RuleAction::none:
            break;
        case config::RuleAction::table:
            if (r.table)
                s += " lookup " +
                     (r.table->resolved() ? std::to_string(r.table->value) : r.table->name);
            break;
        case config::RuleAction::goto_rule:
            s += fmt::format(" goto {}", r.goto_target.value_or(0));
            break;
        case config::RuleAction::nop:
        case config::RuleAction::blackhole:
        case config::RuleAction::unreachable:
        case config::RuleAction::prohibit:
        case config::RuleAction::l3mdev:
            s += fmt::format(" {}", config::to_string(r.action));
            break;
    }
    if (r.preference) s += fmt::format(" pref {}", *r.preference);
    return s;
}

}  // namespace vigil::net::detail
