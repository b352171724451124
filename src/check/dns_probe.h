// DNS_CHECK: one query over UDP to connect_ip:connect_port (default 53), with keepalived
// 2.2.7's verdict: datagrams that are shorter than a header, carry another id or are not
// responses are ignored (the probe keeps waiting until connect_timeout); the first reply with
// our id decides: RCODE NOERROR is up (keepalived does not look at the answers, so a NOERROR
// reply with no record of the type still counts), any other RCODE is down. vigil adds one
// stricter rule: a NOERROR reply whose body does not parse (truncated records, compression
// loops) is a protocol error.
#pragma once

#include <cstddef>

#include <boost/asio/awaitable.hpp>

#include "check/probe.h"
#include "config/model_lvs.h"

namespace vigil::check {

class DnsProbe final : public Probe {
  public:
    DnsProbe(ConnectTarget target, config::DnsCheck check);
    boost::asio::awaitable<ProbeOutcome> run() override;

    static constexpr std::uint16_t default_port = 53;
    // The largest UDP payload: any datagram fits, so none is misread as a short one.
    static constexpr std::size_t receive_buffer_size = 65536;

  private:
    boost::asio::awaitable<ProbeOutcome> attempt();

    ConnectTarget target_;
    config::DnsCheck check_;
};

}  // namespace vigil::check
