#include "notify/fifo_format.h"

#include <fmt/format.h>

namespace vigil::notify {

std::string instance_line(std::string_view instance, std::string_view state, int priority) {
    return fmt::format("INSTANCE \"{}\" {} {}\n", instance, state, priority);
}

std::string group_line(std::string_view group, std::string_view state) {
    return fmt::format("GROUP \"{}\" {} 0\n", group, state);
}

std::string virtual_server_line(std::string_view vs, bool up) {
    return fmt::format("VS {} {}\n", vs, up ? "UP" : "DOWN");
}

std::string real_server_line(std::string_view rs, std::string_view vs, bool up) {
    return fmt::format("RS {} {} {}\n", rs, vs, up ? "UP" : "DOWN");
}

}  // namespace vigil::notify
