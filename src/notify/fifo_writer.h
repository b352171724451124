// Writes notify lines to a FIFO (notify_fifo, vrrp_notify_fifo, lvs_notify_fifo). The FIFO is
// created when missing and opened read-write so that opening never blocks and a reader may
// come and go; a full FIFO (a stuck reader) drops lines and counts them: the daemon never
// waits for a reader.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::notify {

class FifoWriter {
  public:
    static Result<FifoWriter> open(const std::string& path);

    // True when the whole line was written.
    bool write_line(const std::string& line);
    const std::string& path() const { return path_; }
    std::uint64_t written() const { return written_; }
    std::uint64_t dropped() const { return dropped_; }

  private:
    FifoWriter(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
    std::string path_;
    UniqueFd fd_;
    std::uint64_t written_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace vigil::notify
