#include "core/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <string>

namespace vigil::core {

void notify_ready(std::string_view status) {
    const std::string msg = "READY=1\nSTATUS=" + std::string(status);
    sd_notify(0, msg.c_str());
}

void notify_reloading() {
    sd_notify(0, "RELOADING=1");
}

void notify_stopping() {
    sd_notify(0, "STOPPING=1");
}

}  // namespace vigil::core
