// The connection options every connecting checker honours (bindto, bind_port, bind_if,
// fwmark), applied to a socket before it connects or sends.
#pragma once

#include "check/probe.h"
#include "common/result.h"

namespace vigil::check {

// On an open, unconnected socket of the target's family: SO_BINDTODEVICE (bind_interface),
// SO_MARK (fwmark), then bind() to bind_address/bind_port when either is set.
Status apply_connect_options(int fd, const ConnectTarget& t);

}  // namespace vigil::check
