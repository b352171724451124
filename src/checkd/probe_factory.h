// Builds the probe of one configured checker (TCP_CHECK, HTTP_GET, SSL_GET, SMTP_CHECK,
// DNS_CHECK, UDP_CHECK, PING_CHECK, MISC_CHECK, FILE_CHECK) from the resolved model.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "check/probe.h"
#include "config/model.h"
#include "core/log.h"
#include "core/script_policy.h"
#include "core/script_runner.h"

namespace vigil::checkd {

struct ProbeEnv {
    boost::asio::any_io_executor ex;
    core::Logger log;
    core::ScriptRunner* scripts = nullptr;
    const core::ScriptPolicy* script_policy = nullptr;  // null: scripts may not run
    const config::Model* model = nullptr;
};

// The connection target of a checker: its effective connect_ip/connect_port (default: the
// real server's), bindto, bind_port, bind_if, fwmark and connect_timeout.
check::ConnectTarget connect_target(const config::Checker& c);

// nullptr with `why` set when the checker cannot run here (BFD_CHECK without BFD, a
// MISC_CHECK script refused by script security, a FILE_CHECK naming no track_file...): the
// caller treats it as permanently down and says why once.
std::unique_ptr<check::Probe> make_probe(const config::Checker& c, const config::RealServer& rs,
                                         const config::VirtualServer& vs, const ProbeEnv& env,
                                         std::string& why);

}  // namespace vigil::checkd
