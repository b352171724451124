// The lines vigil writes to notify FIFOs, in keepalived's format so that existing FIFO
// readers (keepalived's sample_notify_fifo.sh and the like) keep working:
//   INSTANCE "VI_1" MASTER 100
//   GROUP "VG_1" BACKUP 0
//   VS [192.0.2.15]:tcp:80 UP
//   RS [198.51.100.4]:tcp:80 [192.0.2.15]:tcp:80 DOWN
#pragma once

#include <string>
#include <string_view>

namespace vigil::notify {

std::string instance_line(std::string_view instance, std::string_view state, int priority);
std::string group_line(std::string_view group, std::string_view state);
// `vs` and `rs` are formatted service names such as "[192.0.2.15]:tcp:80" or "FWM 1".
std::string virtual_server_line(std::string_view vs, bool up);
std::string real_server_line(std::string_view rs, std::string_view vs, bool up);

}  // namespace vigil::notify
