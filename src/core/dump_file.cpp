#include "core/dump_file.h"

#include "common/unique_fd.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::core {

std::string dump_path(DumpKind kind, ProcessRole role, const std::optional<std::string>& netns) {
    const char* ext =
        kind == DumpKind::data ? "data" : (kind == DumpKind::stats ? "stats" : "json");
    const std::string process =
        role == ProcessRole::supervisor ? "parent" : std::string(role_name(role));
    return fmt::format("/tmp/vigil{}_{}.{}", netns ? "_" + *netns : "", process, ext);
}

Result<bool> write_file_atomically(const std::string& path, std::string_view content) {
    std::string tmpl = path + ".XXXXXX";
    const int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd < 0) return Error{fmt::format("cannot create {}: {}", tmpl, strerror(errno))};
    UniqueFd guard(fd);
    std::size_t off = 0;
    while (off < content.size()) {
        const auto n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string err = strerror(errno);
            ::unlink(tmpl.c_str());
            return Error{fmt::format("cannot write {}: {}", tmpl, err)};
        }
        off += static_cast<std::size_t>(n);
    }
    // Dumps hold secrets (auth_pass, SSL key passwords): root's to read only. The rename
    // replaces whatever is at `path`, a symbolic link included, and follows none.
    ::fchmod(fd, 0600);
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const std::string err = strerror(errno);
        ::unlink(tmpl.c_str());
        return Error{fmt::format("cannot rename {} to {}: {}", tmpl, path, err)};
    }
    return true;
}

}  // namespace vigil::core
