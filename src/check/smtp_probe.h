// SMTP_CHECK: the server must greet with 220, answer "HELO <helo_name>" with 250, and answer
// QUIT (with anything). Any other code is a mismatch; multi-line replies ("220-...") are read
// whole. As keepalived 2.2.7: HELO, not EHLO, and the default name is
// "smtpchecker.keepalived.org" (keepalived does not use global_defs' smtp_helo_name here).
// The whole exchange must finish within connect_timeout (keepalived applies it to each read
// and write, so a server answering slowly line by line could hold it for longer).
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>

#include "check/probe.h"

namespace vigil::check {

class SmtpProbe final : public Probe {
  public:
    static constexpr std::string_view default_helo_name = "smtpchecker.keepalived.org";

    // An empty helo_name means default_helo_name.
    SmtpProbe(boost::asio::any_io_executor executor, ConnectTarget target, std::string helo_name);
    boost::asio::awaitable<ProbeOutcome> run() override;

  private:
    boost::asio::any_io_executor executor_;
    ConnectTarget target_;
    std::string helo_name_;
};

}  // namespace vigil::check
