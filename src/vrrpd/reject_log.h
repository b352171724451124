// Rejected adverts in the log: each with its reason and sender, at most one line per instance
// and reason every `every` (a flood cannot flood the log), the ones held back counted in the
// next line. The counters themselves are the router's.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/log.h"
#include "vrrp/router.h"

namespace vigil::vrrpd {

class RejectLog {
  public:
    explicit RejectLog(core::Logger log, vrrp::Micros every = std::chrono::seconds(10))
        : log_(std::move(log)), every_(every) {}

    // Returns whether it was logged (false: held back).
    bool note(const vrrp::Router::Rejected& r, vrrp::Time now);

  private:
    struct Entry {
        std::optional<vrrp::Time> last;
        std::uint64_t held_back = 0;
    };
    core::Logger log_;
    vrrp::Micros every_;
    std::map<std::pair<std::string, vrrp::RxReject>, Entry> entries_;
};

}  // namespace vigil::vrrpd
