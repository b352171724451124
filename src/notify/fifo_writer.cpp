#include "notify/fifo_writer.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::notify {

Result<FifoWriter> FifoWriter::open(const std::string& path) {
    if (::mkfifo(path.c_str(), 0600) != 0 && errno != EEXIST)
        return Error{fmt::format("cannot create FIFO {}: {}", path, strerror(errno))};
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISFIFO(st.st_mode))
        return Error{fmt::format("{} exists and is not a FIFO", path)};
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (!fd.valid()) return Error{fmt::format("cannot open FIFO {}: {}", path, strerror(errno))};
    return FifoWriter(path, std::move(fd));
}

bool FifoWriter::write_line(const std::string& line) {
    // Lines are far below PIPE_BUF, so a write is atomic: all of it or nothing.
    const auto n = ::write(fd_.get(), line.data(), line.size());
    if (n == static_cast<ssize_t>(line.size())) {
        ++written_;
        return true;
    }
    ++dropped_;
    return false;
}

}  // namespace vigil::notify
