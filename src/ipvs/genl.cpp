#include "ipvs/genl.h"

#include <fmt/format.h>
#include <linux/ip_vs.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include <array>
#include <cerrno>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "ipvs/genl_message.h"
#include "ipvs/genl_parse.h"

namespace vigil::ipvs {

namespace {

// A StartDaemon's parameters in the kernel's terms (unset: the kernel's default, sent as 0).
SyncDaemon as_sync_daemon(const StartDaemon& o) {
    SyncDaemon d;
    d.role = o.role;
    d.interface = o.config.interface;
    d.syncid = o.config.syncid;
    d.max_len = o.config.maxlen.value_or(0);
    d.group = o.config.group;
    d.port = o.config.port;
    d.ttl = o.config.ttl.value_or(0);
    return d;
}

struct SocketDeleter {
    void operator()(nl_sock* s) const { nl_socket_free(s); }
};
using Socket = std::unique_ptr<nl_sock, SocketDeleter>;

struct CallbacksDeleter {
    void operator()(nl_cb* cb) const { nl_cb_put(cb); }
};
using Callbacks = std::unique_ptr<nl_cb, CallbacksDeleter>;

// Called with each reply message of a request; an error is kept and the rest of the reply
// is still read, so that the socket stays in step for the next request.
using ReplyHandler = std::function<Status(nlmsghdr*)>;

// How one request went: filled in by the libnl callbacks below.
struct Exchange {
    const ReplyHandler* handler = nullptr;
    std::optional<std::string> reply_error;
    int kernel_errno = 0;
    bool done = false;  // the acknowledgement, the end of the dump or an error arrived
};

int on_reply(nl_msg* msg, void* arg) {
    auto* ex = static_cast<Exchange*>(arg);
    if (ex->handler != nullptr && *ex->handler && !ex->reply_error) {
        if (auto st = (*ex->handler)(nlmsg_hdr(msg)); !st) ex->reply_error = st.error();
    }
    return NL_OK;
}

// The end of a dump (NLMSG_DONE) or the acknowledgement of a request.
int on_done(nl_msg* /*msg*/, void* arg) {
    static_cast<Exchange*>(arg)->done = true;
    return NL_STOP;
}

// The kernel's errno itself: libnl's own translation loses it ("Object not found" for both
// ENOENT and ESRCH), and the operator should read what the kernel said.
int on_error(sockaddr_nl* /*who*/, nlmsgerr* err, void* arg) {
    auto* ex = static_cast<Exchange*>(arg);
    ex->kernel_errno = -err->error;
    ex->done = true;
    return NL_STOP;
}

// The IPVS attributes at the top of a reply (the family has no header of its own).
using TopAttributes = std::array<nlattr*, IPVS_CMD_ATTR_MAX + 1>;
Result<TopAttributes> top_attributes(nlmsghdr* h) {
    TopAttributes tb{};
    if (genlmsg_parse(h, 0, tb.data(), IPVS_CMD_ATTR_MAX, nullptr) < 0)
        return Error{"malformed IPVS reply"};
    return tb;
}

// "TCP 192.0.2.100:80", "UDP [2001:db8::1]:53", "FWM 7 IPv6".
std::string service_name(const ServiceKey& key) {
    if (key.is_fwmark())
        return fmt::format("FWM {} {}", key.fwmark, key.family == Family::inet ? "IPv4" : "IPv6");
    return fmt::format("{} {}", to_string(key.protocol),
                       DestinationKey{key.address, key.port}.to_string());
}

std::string role_name(SyncRole r) {
    return r == SyncRole::master ? "master" : "backup";
}

// A hint after the kernel's words where its errno alone would puzzle an operator.
std::string explain(int errnum, const std::string& hint) {
    const std::string text = std::system_category().message(errnum);
    return hint.empty() ? text : fmt::format("{} ({})", text, hint);
}

class GenlIpvs final : public Ipvs {
  public:
    GenlIpvs(Socket socket, int family) : socket_(std::move(socket)), family_(family) {}

    Result<DesiredState> read() override {
        auto snapshot = read_with_stats();
        if (!snapshot) return Error{snapshot.error()};
        return std::move(snapshot->table);
    }

    Result<Snapshot> read_with_stats() override;
    Status apply(const Op& op) override;
    Result<std::vector<SyncDaemon>> sync_daemons() override;
    Result<Timeouts> timeouts() override;

  private:
    // Sends one request and reads its whole reply. On failure the error is the kernel's
    // errno text (then `kernel_errno` is set) or libnl's.
    Status transact(genl::MessageBuilder& request, const ReplyHandler& handler);
    Status apply_one(const Op& op);

    Socket socket_;
    int family_;
    int kernel_errno_ = 0;
};

Status GenlIpvs::transact(genl::MessageBuilder& request, const ReplyHandler& handler) {
    kernel_errno_ = 0;
    auto msg = request.finish();
    if (!msg) return Error{msg.error()};
    if (const int rc = nl_send_auto(socket_.get(), msg->get()); rc < 0)
        return Error{fmt::format("cannot send to the kernel: {}", nl_geterror(rc))};

    const Callbacks cb(nl_cb_alloc(NL_CB_DEFAULT));
    if (!cb) return Error{"out of memory"};
    Exchange ex;
    ex.handler = &handler;
    nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_reply, &ex);
    nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, on_done, &ex);
    nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_done, &ex);
    nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &ex);
    // nl_recvmsgs returns after each datagram of a reply that is not a dump: a GET's answer
    // and its acknowledgement come one after the other, and both must be read here, or the
    // next request would take this one's acknowledgement for its own.
    int rc = 0;
    while (!ex.done && rc >= 0) rc = nl_recvmsgs(socket_.get(), cb.get());
    if (ex.kernel_errno != 0) {
        kernel_errno_ = ex.kernel_errno;
        return Error{std::system_category().message(ex.kernel_errno)};
    }
    if (rc < 0) return Error{fmt::format("netlink: {}", nl_geterror(rc))};
    if (ex.reply_error) return Error{*ex.reply_error};
    return Ok{};
}

Result<Snapshot> GenlIpvs::read_with_stats() {
    std::vector<genl::ParsedService> services;
    genl::MessageBuilder dump(family_, IPVS_CMD_GET_SERVICE, NLM_F_DUMP);
    const ReplyHandler on_service = [&services](nlmsghdr* h) -> Status {
        auto tb = top_attributes(h);
        if (!tb) return Error{tb.error()};
        auto s = genl::parse_service(tb.value()[IPVS_CMD_ATTR_SERVICE]);
        if (!s) return Error{s.error()};
        services.push_back(std::move(s.value()));
        return Ok{};
    };
    if (auto st = transact(dump, on_service); !st)
        return Error{fmt::format("cannot read the IPVS services: {}", st.error())};

    Snapshot out;
    for (auto& parsed : services) {
        ServiceStats& stats = out.stats[parsed.key];
        stats.counters = parsed.counters;
        Service& service = out.table.services[parsed.key];
        service = std::move(parsed.service);
        const Family family = parsed.key.family;
        const ReplyHandler on_dest = [&service, &stats, family](nlmsghdr* h) -> Status {
            auto tb = top_attributes(h);
            if (!tb) return Error{tb.error()};
            auto d = genl::parse_destination(tb.value()[IPVS_CMD_ATTR_DEST], family);
            if (!d) return Error{d.error()};
            service.destinations[d->key] = d->destination;
            stats.destinations[d->key] = d->stats;
            return Ok{};
        };
        genl::MessageBuilder dests(family_, IPVS_CMD_GET_DEST, NLM_F_DUMP);
        genl::put_service_key(dests, parsed.key);
        // A service deleted meanwhile (by someone else) reads as one without destinations.
        if (auto st = transact(dests, on_dest); !st)
            return Error{fmt::format("cannot read the destinations of {}: {}",
                                     service_name(parsed.key), st.error())};
    }
    return out;
}

Result<std::vector<SyncDaemon>> GenlIpvs::sync_daemons() {
    std::vector<SyncDaemon> daemons;
    genl::MessageBuilder dump(family_, IPVS_CMD_GET_DAEMON, NLM_F_DUMP);
    const ReplyHandler on_daemon = [&daemons](nlmsghdr* h) -> Status {
        auto tb = top_attributes(h);
        if (!tb) return Error{tb.error()};
        auto d = genl::parse_daemon(tb.value()[IPVS_CMD_ATTR_DAEMON]);
        if (!d) return Error{d.error()};
        daemons.push_back(std::move(d.value()));
        return Ok{};
    };
    if (auto st = transact(dump, on_daemon); !st)
        return Error{fmt::format("cannot read the IPVS sync daemons: {}", st.error())};
    return daemons;
}

Result<Timeouts> GenlIpvs::timeouts() {
    std::optional<Timeouts> got;
    genl::MessageBuilder request(family_, IPVS_CMD_GET_CONFIG, 0);
    const ReplyHandler on_config = [&got](nlmsghdr* h) -> Status {
        auto tb = top_attributes(h);
        if (!tb) return Error{tb.error()};
        const auto seconds = [&tb](int type) {
            const nlattr* a = tb.value().at(static_cast<std::size_t>(type));
            return std::chrono::seconds(a != nullptr ? nla_get_u32(a) : 0);
        };
        got = Timeouts{seconds(IPVS_CMD_ATTR_TIMEOUT_TCP), seconds(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN),
                       seconds(IPVS_CMD_ATTR_TIMEOUT_UDP)};
        return Ok{};
    };
    if (auto st = transact(request, on_config); !st)
        return Error{fmt::format("cannot read the IPVS timeouts: {}", st.error())};
    if (!got) return Error{"cannot read the IPVS timeouts: the kernel did not answer"};
    return *got;
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

Status GenlIpvs::apply_one(const Op& op) {
    const auto request = [this](std::uint8_t command, const auto& fill) {
        genl::MessageBuilder b(family_, command, 0);
        fill(b);
        return transact(b, ReplyHandler{});
    };
    return std::visit(
        Overloaded{
            [&](const AddService& o) {
                return request(IPVS_CMD_NEW_SERVICE,
                               [&](auto& b) { genl::put_service(b, o.key, o.service); });
            },
            [&](const EditService& o) {
                return request(IPVS_CMD_SET_SERVICE,
                               [&](auto& b) { genl::put_service(b, o.key, o.service); });
            },
            [&](const DelService& o) {
                return request(IPVS_CMD_DEL_SERVICE,
                               [&](auto& b) { genl::put_service_key(b, o.key); });
            },
            [&](const AddDest& o) {
                return request(IPVS_CMD_NEW_DEST, [&](auto& b) {
                    genl::put_service_key(b, o.service);
                    genl::put_destination(b, o.key, o.destination, true);
                });
            },
            [&](const EditDest& o) {
                return request(IPVS_CMD_SET_DEST, [&](auto& b) {
                    genl::put_service_key(b, o.service);
                    genl::put_destination(b, o.key, o.destination, true);
                });
            },
            [&](const DelDest& o) {
                return request(IPVS_CMD_DEL_DEST, [&](auto& b) {
                    genl::put_service_key(b, o.service);
                    genl::put_destination(b, o.key, Destination{}, false);
                });
            },
            [&](const Flush&) { return request(IPVS_CMD_FLUSH, [](auto&) {}); },
            [&](const StartDaemon& o) {
                return request(IPVS_CMD_NEW_DAEMON,
                               [&](auto& b) { genl::put_daemon(b, as_sync_daemon(o)); });
            },
            [&](const StopDaemon& o) {
                return request(IPVS_CMD_DEL_DAEMON,
                               [&](auto& b) { genl::put_daemon_state(b, o.role); });
            },
            [&](const SetTimeouts& o) {
                return request(IPVS_CMD_SET_CONFIG, [&](auto& b) { genl::put_timeouts(b, o); });
            },
        },
        op);
}

// What the kernel's errno means for this operation, when that is not obvious.
std::string hint_for(const Op& op, int errnum) {
    const bool on_service =
        std::holds_alternative<AddService>(op) || std::holds_alternative<EditService>(op);
    const bool on_dest = std::holds_alternative<AddDest>(op) ||
                         std::holds_alternative<EditDest>(op) ||
                         std::holds_alternative<DelDest>(op);
    switch (errnum) {
        case ESRCH:
            if (on_dest || std::holds_alternative<EditService>(op) ||
                std::holds_alternative<DelService>(op))
                return "the service does not exist";
            if (std::holds_alternative<StopDaemon>(op)) return "it is not running";
            return "";
        case EEXIST:
            if (std::holds_alternative<AddService>(op)) return "the service exists already";
            if (std::holds_alternative<AddDest>(op)) return "the destination exists already";
            if (std::holds_alternative<StartDaemon>(op)) return "it is running already";
            return "";
        case ENOENT:
            if (on_service) return "no such scheduler or persistence engine in this kernel";
            if (on_dest) return "the destination does not exist";
            return "";
        case ENODEV:
            if (std::holds_alternative<StartDaemon>(op)) return "no such interface";
            return "";
        case EADDRNOTAVAIL:
            if (std::holds_alternative<StartDaemon>(op))
                return "the interface needs an IPv4 address";
            return "";
        default:
            return "";
    }
}

Status GenlIpvs::apply(const Op& op) {
    auto st = apply_one(op);
    if (st) return st;
    const std::string reason =
        kernel_errno_ != 0 ? explain(kernel_errno_, hint_for(op, kernel_errno_)) : st.error();
    const std::string what = std::visit(
        Overloaded{
            [](const AddService& o) {
                return fmt::format("cannot add service {} (scheduler {})", service_name(o.key),
                                   o.service.scheduler);
            },
            [](const EditService& o) {
                return fmt::format("cannot change service {}", service_name(o.key));
            },
            [](const DelService& o) {
                return fmt::format("cannot delete service {}", service_name(o.key));
            },
            [](const AddDest& o) {
                return fmt::format("cannot add destination {} to {}", o.key.to_string(),
                                   service_name(o.service));
            },
            [](const EditDest& o) {
                return fmt::format("cannot change destination {} of {}", o.key.to_string(),
                                   service_name(o.service));
            },
            [](const DelDest& o) {
                return fmt::format("cannot delete destination {} from {}", o.key.to_string(),
                                   service_name(o.service));
            },
            [](const Flush&) { return std::string("cannot flush the IPVS table"); },
            [](const StartDaemon& o) {
                return fmt::format("cannot start the {} sync daemon on {} (syncid {})",
                                   role_name(o.role), o.config.interface, o.config.syncid);
            },
            [](const StopDaemon& o) {
                return fmt::format("cannot stop the {} sync daemon", role_name(o.role));
            },
            [](const SetTimeouts&) { return std::string("cannot set the IPVS timeouts"); },
        },
        op);
    return Error{fmt::format("{}: {}", what, reason)};
}

}  // namespace

Result<std::unique_ptr<Ipvs>> open_ipvs() {
    Socket socket(nl_socket_alloc());
    if (!socket) return Error{"cannot open a generic netlink socket: out of memory"};
    if (const int rc = genl_connect(socket.get()); rc < 0)
        return Error{fmt::format("cannot open a generic netlink socket: {}", nl_geterror(rc))};
    const int family = genl_ctrl_resolve(socket.get(), IPVS_GENL_NAME);
    if (family == -NLE_OBJ_NOTFOUND)
        return Error{
            "IPVS is not available in this kernel (no \"IPVS\" generic netlink family: "
            "is the ip_vs module loaded?)"};
    if (family < 0)
        return Error{
            fmt::format("cannot look up the IPVS generic netlink family: {}", nl_geterror(family))};
    return std::unique_ptr<Ipvs>(std::make_unique<GenlIpvs>(std::move(socket), family));
}

}  // namespace vigil::ipvs
