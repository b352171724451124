#include "check/file_probe.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

namespace vigil::check {

namespace {

constexpr std::int64_t int32_min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();

std::int32_t clamp32(std::int64_t v) {
    return static_cast<std::int32_t>(std::clamp(v, int32_min, int32_max));
}

// The file's first bytes as text; empty when it cannot be read (keepalived: value 0).
std::string read_head(const std::string& path, std::size_t max) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return {};
    std::string buf(max, '\0');
    ssize_t n = -1;
    do {
        n = ::read(fd, buf.data(), buf.size());
    } while (n < 0 && errno == EINTR);
    ::close(fd);
    buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buf;
}

}  // namespace

FileProbeSettings file_probe_settings(const config::FileCheck& c, const config::TrackFile& f,
                                      std::uint32_t real_server_weight) {
    FileProbeSettings s;
    s.path = f.file;
    s.weight = c.weight != 0 ? c.weight : f.weight;
    s.reverse = c.weight != 0 ? c.reverse : f.weight_reverse;
    s.configured_weight = real_server_weight;
    return s;
}

std::optional<std::int64_t> parse_track_file_value(std::string_view text) {
    // strtoll needs a terminated string; a NUL inside the file ends the number like any
    // other non-digit.
    const std::string s(text.substr(0, text.find('\0')));
    errno = 0;
    const long long v = std::strtoll(s.c_str(), nullptr, 0);
    if (errno == ERANGE || v < int32_min || v > int32_max + 1) return std::nullopt;
    return v;
}

TrackFileStatus track_file_status(std::int64_t value, std::int32_t weight, bool reverse) {
    if (weight == 0) return {(value != 0) != reverse, std::nullopt};
    // |value| <= 2^31 and |weight| < 2^31: the product fits in 63 bits.
    const std::int64_t product = value * weight * (reverse ? -1 : 1);
    const std::int32_t delta = clamp32(product);
    if (delta == std::numeric_limits<std::int32_t>::min()) return {true, std::nullopt};
    return {false, delta};
}

ProbeOutcome file_outcome(std::int64_t value, const FileProbeSettings& s) {
    const TrackFileStatus st = track_file_status(value, s.weight, s.reverse);
    if (st.down)
        return ProbeOutcome::failure(ProbeOutcome::Kind::mismatch,
                                     fmt::format("{} holds {} (weight {}{})", s.path, value,
                                                 s.weight, s.reverse ? " reverse" : ""));
    ProbeOutcome ok = ProbeOutcome::success();
    if (st.weight_delta)
        ok.weight = static_cast<std::uint32_t>(std::clamp<std::int64_t>(
            std::int64_t{s.configured_weight} + *st.weight_delta, 0, int32_max));
    return ok;
}

FileProbe::FileProbe(FileProbeSettings settings) : settings_(std::move(settings)) {}

boost::asio::awaitable<ProbeOutcome> FileProbe::run() {
    if (auto v = parse_track_file_value(read_head(settings_.path, max_read))) last_value_ = *v;
    co_return file_outcome(last_value_, settings_);
}

}  // namespace vigil::check
