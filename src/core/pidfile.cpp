#include "core/pidfile.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::core {

Result<bool> ensure_directory(const std::string& dir) {
    std::string partial;
    std::size_t pos = 0;
    while (pos != std::string::npos) {
        pos = dir.find('/', pos + 1);
        partial = dir.substr(0, pos);
        if (partial.empty()) continue;
        if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
            return Error{fmt::format("cannot create directory {}: {}", partial, strerror(errno))};
    }
    return true;
}

Result<PidFile> PidFile::acquire(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        if (auto r = ensure_directory(path.substr(0, slash)); !r) return Error{r.error()};
    }
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd.valid()) return Error{fmt::format("cannot open pidfile {}: {}", path, strerror(errno))};
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {};
        const auto n = ::pread(fd.get(), buf, sizeof buf - 1, 0);
        const std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "?";
        return Error{fmt::format("pidfile {} is held by a running process (pid {})", path,
                                 holder.substr(0, holder.find('\n')))};
    }
    const std::string pid = fmt::format("{}\n", ::getpid());
    if (::ftruncate(fd.get(), 0) != 0 ||
        ::pwrite(fd.get(), pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
        return Error{fmt::format("cannot write pidfile {}: {}", path, strerror(errno))};
    return PidFile(path, std::move(fd));
}

PidFile::~PidFile() {
    // Unlink while still holding the lock, so no other process can see a stale file.
    if (fd_.valid()) ::unlink(path_.c_str());
}

}  // namespace vigil::core
