// Writes notify lines to a FIFO (notify_fifo, vrrp_notify_fifo, lvs_notify_fifo). The FIFO is
// created when missing and opened read-write so that opening never blocks and a reader may
// come and go; a full FIFO (a stuck reader) drops lines and counts them: the daemon never
// waits for a reader.
//
// The FIFO belongs to the user its script reads it as (keepalived: the FIFO's user, else the
// default script user), mode 0600. One that is there already is used only if it is a FIFO
// (not a link to one) owned by that user or by vigild's: another user's FIFO could feed the
// reading script false events.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::notify {

struct FifoOwner {
    uid_t uid = 0;
    gid_t gid = 0;
};

class FifoWriter {
  public:
    static Result<FifoWriter> open(const std::string& path, FifoOwner owner);

    // True when the whole line was written.
    bool write_line(const std::string& line);
    const std::string& path() const { return path_; }
    bool created() const { return created_; }  // by this open: the one to remove at stop
    std::uint64_t written() const { return written_; }
    std::uint64_t dropped() const { return dropped_; }

  private:
    FifoWriter(std::string path, UniqueFd fd, bool created)
        : path_(std::move(path)), fd_(std::move(fd)), created_(created) {}
    std::string path_;
    UniqueFd fd_;
    bool created_ = false;
    std::uint64_t written_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace vigil::notify
