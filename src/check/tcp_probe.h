// TCP_CHECK: the real server is healthy when a TCP connection to it completes within
// connect_timeout. The connection is then closed (keepalived closes it at once too).
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "check/probe.h"

namespace vigil::check {

class TcpProbe final : public Probe {
  public:
    TcpProbe(boost::asio::any_io_executor executor, ConnectTarget target);
    boost::asio::awaitable<ProbeOutcome> run() override;

  private:
    boost::asio::any_io_executor executor_;
    ConnectTarget target_;
};

}  // namespace vigil::check
