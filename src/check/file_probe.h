// FILE_CHECK: the number in a track_file's file, read as keepalived 2.2.7 reads it (up to 127
// bytes, strtol base 0: leading blanks, a sign, 0x hex, 0 octal, anything after the digits
// ignored). A missing, unreadable or empty file and text without digits read as 0; a number
// outside [-2^31, 2^31] is ignored (the previous value stays), as in keepalived.
//
// The verdict (keepalived.conf(5), "Track files"): with weight 0 a non-zero value is down and
// 0 up (reverse swaps them), and the server's weight is left alone; otherwise the value times
// the weight (negated by reverse), clamped to 32 bits, is added to the real server's
// configured weight, except that the lowest clamped value (-2^31) is down.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "check/probe.h"
#include "config/model_lvs.h"
#include "config/model_vrrp.h"

namespace vigil::check {

struct FileProbeSettings {
    std::string path;
    std::int32_t weight = 1;  // FILE_CHECK's weight, or the track_file's when that is 0
    bool reverse = false;
    std::uint32_t configured_weight = 1;  // the real server's weight
};

// keepalived: a FILE_CHECK weight of 0 (or none) means the track_file's weight and reverse.
FileProbeSettings file_probe_settings(const config::FileCheck& c, const config::TrackFile& f,
                                      std::uint32_t real_server_weight);

// The value of the file's text; nullopt when keepalived would ignore it (out of range).
std::optional<std::int64_t> parse_track_file_value(std::string_view text);

struct TrackFileStatus {
    bool down = false;
    std::optional<std::int32_t> weight_delta;  // unset with weight 0: weight unchanged
};
TrackFileStatus track_file_status(std::int64_t value, std::int32_t weight, bool reverse);

// The outcome for a value: down, or up with the new weight (configured + delta, kept within
// [0, 2^31-1]).
ProbeOutcome file_outcome(std::int64_t value, const FileProbeSettings& s);

class FileProbe final : public Probe {
  public:
    explicit FileProbe(FileProbeSettings settings);
    // Reads the file without blocking (O_NONBLOCK: a FIFO cannot hang the worker).
    boost::asio::awaitable<ProbeOutcome> run() override;

    static constexpr std::size_t max_read = 127;

  private:
    FileProbeSettings settings_;
    std::int64_t last_value_ = 0;  // keepalived starts from 0 and keeps it on a bad number
};

}  // namespace vigil::check
