// A pidfile held for the life of the process: created, locked (flock) and filled with the
// pid; removed on destruction. A second vigild finds the lock taken and refuses to start; a
// pidfile left by a dead process is not locked and is reused.
#pragma once

#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::core {

class PidFile {
  public:
    static Result<PidFile> acquire(const std::string& path);

    PidFile(PidFile&&) noexcept = default;
    PidFile& operator=(PidFile&&) noexcept = default;
    PidFile(const PidFile&) = delete;
    PidFile& operator=(const PidFile&) = delete;
    ~PidFile();

    const std::string& path() const { return path_; }

  private:
    PidFile(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
    std::string path_;
    UniqueFd fd_;
};

// Creates the directory and its parents (mode 0755) when missing.
Result<bool> ensure_directory(const std::string& dir);

}  // namespace vigil::core
