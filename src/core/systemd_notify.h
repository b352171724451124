// sd_notify(3) when run by systemd (Type=notify): READY, RELOADING, STOPPING, STATUS.
// Without NOTIFY_SOCKET in the environment every call is a no-op.
#pragma once

#include <string_view>

namespace vigil::core {

void notify_ready(std::string_view status);
void notify_reloading();
void notify_stopping();

}  // namespace vigil::core
