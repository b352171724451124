// What one health-check probe attempt found: success, or a typed failure with a reason.
// Pure (no Boost): the checker policy core consumes it; the probes (probe.h) produce it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::check {

struct ProbeOutcome {
    enum class Kind : std::uint8_t {
        success,
        connect_failed,  // refused, unreachable, no route
        timed_out,       // the attempt's deadline passed (connect, TLS, request or reply)
        protocol_error,  // the reply is not the protocol: garbage, too large, truncated
        mismatch,        // a valid reply, but the wrong one (status, digest, DNS answer...)
        script_failed,   // MISC_CHECK: non-zero exit, killed, timed out
        io_error,        // other local errors (socket, bind, TLS setup, file)
    };
    Kind kind = Kind::success;
    std::string reason;  // for the log and alerts: "HTTP status 503 for /health"
    // MISC_CHECK misc_dynamic (exit 2-255: weight exit-2) and FILE_CHECK: the real server's
    // new weight; unset: unchanged.
    std::optional<std::uint32_t> weight;

    bool ok() const { return kind == Kind::success; }
    static ProbeOutcome success() { return {}; }
    static ProbeOutcome failure(Kind k, std::string why) { return {k, std::move(why), {}}; }
};

std::string_view to_string(ProbeOutcome::Kind k);

}  // namespace vigil::check
