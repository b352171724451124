#include "notify/fifo_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::notify {

Result<FifoWriter> FifoWriter::open(const std::string& path, FifoOwner owner) {
    const bool created = ::mkfifo(path.c_str(), 0600) == 0;
    if (!created && errno != EEXIST)
        return Error{fmt::format("cannot create FIFO {}: {}", path, strerror(errno))};
    // O_NOFOLLOW and the checks on the open descriptor: nothing can be swapped in between.
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid())
        return Error{errno == ELOOP
                         ? fmt::format("{} is a symbolic link; not used", path)
                         : fmt::format("cannot open FIFO {}: {}", path, strerror(errno))};
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISFIFO(st.st_mode))
        return Error{fmt::format("{} exists and is not a FIFO", path)};
    if (!created) {
        if (st.st_uid != ::geteuid() && st.st_uid != owner.uid)
            return Error{fmt::format("{} exists and belongs to uid {}; not used (remove it)", path,
                                     st.st_uid)};
        if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
            return Error{fmt::format("{} exists and is writable by others; not used", path)};
    }
    if (::fchown(fd.get(), owner.uid, owner.gid) != 0 || ::fchmod(fd.get(), 0600) != 0)
        return Error{
            fmt::format("cannot give FIFO {} to uid {}: {}", path, owner.uid, strerror(errno))};
    return FifoWriter(path, std::move(fd), created);
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
