#include "checkd/probe_factory.h"

#include <fmt/format.h>

#include "check/dns_probe.h"
#include "check/file_probe.h"
#include "check/http_probe.h"
#include "check/misc_probe.h"
#include "check/ping_probe.h"
#include "check/smtp_probe.h"
#include "check/tcp_probe.h"
#include "check/tls_context.h"
#include "check/udp_probe.h"

namespace vigil::checkd {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

const config::TrackFile* find_track_file(const config::Model& m, const std::string& name) {
    for (const auto& f : m.vrrp.track_files)
        if (f.name == name) return &f;
    return nullptr;
}

}  // namespace

check::ConnectTarget connect_target(const config::Checker& c) {
    check::ConnectTarget t;
    t.address = c.effective.connect_ip;
    t.port = c.effective.connect_port;
    t.bind_address = c.options.bindto;
    t.bind_port = c.options.bind_port;
    t.bind_interface = c.options.bind_if;
    t.fwmark = c.options.fwmark;
    t.timeout = c.effective.connect_timeout;
    return t;
}

std::unique_ptr<check::Probe> make_probe(const config::Checker& c, const config::RealServer& rs,
                                         const config::VirtualServer& /*vs*/, const ProbeEnv& env,
                                         std::string& why) {
    const auto target = connect_target(c);
    const auto& model = *env.model;
    return std::visit(Overloaded{
                          [&](const config::TcpCheck&) -> std::unique_ptr<check::Probe> {
                              return std::make_unique<check::TcpProbe>(env.ex, target);
                          },
                          [&](const config::HttpCheck& h) -> std::unique_ptr<check::Probe> {
                              std::shared_ptr<boost::asio::ssl::context> tls;
                              if (h.ssl) {
                                  auto ctx = check::make_tls_context(model.lvs.ssl);
                                  if (!ctx) {
                                      why = ctx.error();
                                      return nullptr;
                                  }
                                  tls = ctx.value();
                              }
                              auto p = check::HttpProbe::create(env.ex, target, h, tls);
                              if (!p) {
                                  why = p.error();
                                  return nullptr;
                              }
                              return std::move(p.value());
                          },
                          [&](const config::SmtpCheck& s) -> std::unique_ptr<check::Probe> {
                              // keepalived 2.2.7 HELOs as smtpchecker.keepalived.org unless
                              // helo_name is set (the global smtp_helo_name is for its own alerts
                              // only).
                              return std::make_unique<check::SmtpProbe>(env.ex, target,
                                                                        s.helo_name);
                          },
                          [&](const config::DnsCheck& d) -> std::unique_ptr<check::Probe> {
                              return std::make_unique<check::DnsProbe>(target, d);
                          },
                          [&](const config::UdpCheck& u) -> std::unique_ptr<check::Probe> {
                              return std::make_unique<check::UdpProbe>(target, u);
                          },
                          [&](const config::PingCheck&) -> std::unique_ptr<check::Probe> {
                              return std::make_unique<check::PingProbe>(target);
                          },
                          [&](const config::MiscCheck& m) -> std::unique_ptr<check::Probe> {
                              if (env.script_policy == nullptr || env.scripts == nullptr) {
                                  why = "scripts cannot run (see the script_user error above)";
                                  return nullptr;
                              }
                              auto job = env.script_policy->prepare(
                                  m.misc_path, fmt::format("MISC_CHECK {}", rs.address.to_string()),
                                  check::misc_probe_timeout(m, c.effective));
                              if (!job) {
                                  why = job.error();
                                  return nullptr;
                              }
                              check::MiscProbeSettings s{std::move(job.value()), m.misc_dynamic};
                              return std::make_unique<check::MiscProbe>(*env.scripts, std::move(s));
                          },
                          [&](const config::FileCheck& f) -> std::unique_ptr<check::Probe> {
                              const auto* tf = find_track_file(model, f.track_file);
                              if (tf == nullptr) {
                                  why = fmt::format("no track_file '{}'", f.track_file);
                                  return nullptr;
                              }
                              return std::make_unique<check::FileProbe>(
                                  check::file_probe_settings(f, *tf, rs.weight));
                          },
                          [&](const config::BfdCheck& b) -> std::unique_ptr<check::Probe> {
                              // Not reached: config/ drops BFD_CHECK (not supported).
                              why = fmt::format("BFD_CHECK '{}': BFD is not supported", b.name);
                              return nullptr;
                          },
                      },
                      c.kind);
}

}  // namespace vigil::checkd
