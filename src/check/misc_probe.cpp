#include "check/misc_probe.h"

#include <exception>
#include <memory>

#include <fmt/format.h>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

// GCC 12 pairs Asio's recycled coroutine-frame allocation (aligned_alloc) with the frame's
// operator delete after inlining and warns; the pairing is right at run time (Asio frees it).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace vigil::check {

namespace asio = boost::asio;

std::chrono::milliseconds misc_probe_timeout(const config::MiscCheck& c,
                                             const config::CheckerSettings& s) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        c.misc_timeout.value_or(s.delay_loop));
}

ProbeOutcome misc_outcome(const core::ScriptOutcome& o, const MiscProbeSettings& s) {
    using K = ProbeOutcome::Kind;
    using SK = core::ScriptOutcome::Kind;
    const std::string& what = s.job.name.empty() ? s.job.argv.front() : s.job.name;
    switch (o.kind) {
        case SK::exited:
            break;
        case SK::signaled:
        case SK::timed_out:
        case SK::not_started:
            return ProbeOutcome::failure(K::script_failed,
                                         fmt::format("{} {}", what, core::describe(o)));
    }
    // keepalived.conf(5): exit 0 is success with the weight unchanged.
    if (o.code == 0) return ProbeOutcome::success();
    if (s.dynamic && o.code >= 2 && o.code <= 255) {
        ProbeOutcome ok = ProbeOutcome::success();
        ok.weight = static_cast<std::uint32_t>(o.code - 2);
        return ok;
    }
    return ProbeOutcome::failure(K::script_failed, fmt::format("{} {}", what, core::describe(o)));
}

MiscProbe::MiscProbe(core::ScriptRunner& runner, MiscProbeSettings settings)
    : runner_(runner), settings_(std::move(settings)) {}

asio::awaitable<ProbeOutcome> MiscProbe::run() {
    if (settings_.job.argv.empty())
        co_return ProbeOutcome::failure(ProbeOutcome::Kind::script_failed, "misc_path is empty");
    try {
        auto ex = co_await asio::this_coro::executor;
        // The runner reports through a std::function (copyable), the coroutine resumes through
        // a move-only handler: share it, and resume on the coroutine's executor, never inside
        // the runner's own call stack.
        const core::ScriptOutcome outcome =
            co_await asio::async_initiate<decltype(asio::use_awaitable), void(core::ScriptOutcome)>(
                [this, ex](auto handler) {
                    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
                    runner_.run(settings_.job, [shared, ex](const core::ScriptOutcome& o) {
                        auto hex = asio::get_associated_executor(*shared, ex);
                        asio::post(hex, [shared, o]() mutable { (*shared)(o); });
                    });
                },
                asio::use_awaitable);
        co_return misc_outcome(outcome, settings_);
    } catch (const std::exception& e) {
        co_return ProbeOutcome::failure(ProbeOutcome::Kind::io_error, e.what());
    }
}

}  // namespace vigil::check
