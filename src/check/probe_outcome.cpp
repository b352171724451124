#include "check/probe_outcome.h"

namespace vigil::check {

std::string_view to_string(ProbeOutcome::Kind k) {
    switch (k) {
        case ProbeOutcome::Kind::success:
            return "success";
        case ProbeOutcome::Kind::connect_failed:
            return "connection failed";
        case ProbeOutcome::Kind::timed_out:
            return "timed out";
        case ProbeOutcome::Kind::protocol_error:
            return "protocol error";
        case ProbeOutcome::Kind::mismatch:
            return "unexpected reply";
        case ProbeOutcome::Kind::script_failed:
            return "script failed";
        case ProbeOutcome::Kind::io_error:
            return "I/O error";
    }
    return "?";
}

}  // namespace vigil::check
