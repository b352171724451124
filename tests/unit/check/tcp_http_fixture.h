// Test support for the TCP, HTTP/SSL and SMTP probes: every test runs in a network namespace
// of its own (lo up), runs probes to completion on an io_context, and can start real servers
// (nginx, aiosmtpd, through the shell) or in-process Asio servers that misbehave on purpose.
#pragma once

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio.hpp>

#include "check/probe.h"
#include "probe_support.h"

namespace vigil::check::testing {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

inline bool sh(const std::string& cmd) {
    return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;  // NOLINT(cert-env33-c)
}

inline std::string capture(const std::string& cmd) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    if (!p) return out;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
    return out;
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

// A child process started by a test and killed (SIGTERM, then waited for) at the end.
class ChildProcess {
  public:
    explicit ChildProcess(const std::string& command) {
        pid_ = fork();
        if (pid_ == 0) {
            setpgid(0, 0);
            execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), nullptr);
            _exit(127);
        }
    }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess() { stop(); }
    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
    }

  private:
    pid_t pid_ = -1;
};

// Waits until something listens on 127.0.0.1:port (up to ~5 s).
inline bool wait_listening(std::uint16_t port) {
    for (int i = 0; i < 100; ++i) {
        asio::io_context io;
        tcp::socket s(io);
        boost::system::error_code ec;
        s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
        if (!ec) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

class ProbeTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(unshare(CLONE_NEWNET), 0) << "needs root";
        ASSERT_TRUE(sh("ip link set lo up"));
        char tmpl[] = "/tmp/vigil-probe-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        std::filesystem::permissions(
            dir_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                      std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                      std::filesystem::perms::others_exec);  // nginx workers run as nobody
    }
    void TearDown() override {
        children_.clear();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    ChildProcess& start(const std::string& command) {
        children_.push_back(std::make_unique<ChildProcess>(command));
        return *children_.back();
    }

    // Runs the probe's attempt to completion (in-process servers share the io_context) and
    // records how long it took.
    ProbeOutcome run(const std::function<asio::awaitable<ProbeOutcome>()>& attempt) {
        std::optional<ProbeOutcome> out;
        const auto t0 = std::chrono::steady_clock::now();
        asio::co_spawn(io_, attempt(), [&](const std::exception_ptr& e, ProbeOutcome o) {
            out =
                e ? ProbeOutcome::failure(ProbeOutcome::Kind::io_error, "exception") : std::move(o);
            io_.stop();
        });
        io_.restart();
        io_.run();
        elapsed_ = std::chrono::steady_clock::now() - t0;
        return out.value_or(ProbeOutcome::failure(ProbeOutcome::Kind::io_error, "not finished"));
    }
    ProbeOutcome run(Probe& p) {
        return run([&p] { return p.run(); });
    }

    // An in-process server on 127.0.0.1:port: each accepted connection is handed to `serve`.
    void serve(std::uint16_t port, std::function<asio::awaitable<void>(tcp::socket)> serve) {
        auto acceptor = std::make_shared<tcp::acceptor>(
            io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        asio::co_spawn(
            io_,
            [acceptor, serve = std::move(serve)]() -> asio::awaitable<void> {
                for (;;) {
                    auto s = co_await acceptor->async_accept(asio::use_awaitable);
                    asio::co_spawn(acceptor->get_executor(), serve(std::move(s)), asio::detached);
                }
            },
            asio::detached);
    }

    // Peak resident memory of this process, in KiB.
    static long peak_rss_kib() {
        std::ifstream f("/proc/self/status");
        std::string line;
        while (std::getline(f, line))
            if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
        return 0;
    }

    asio::io_context io_;
    std::filesystem::path dir_;
    std::chrono::steady_clock::duration elapsed_{};
    std::vector<std::unique_ptr<ChildProcess>> children_;
};

// A server that sends `text` (after reading whatever the client sends first, if asked) and
// then closes.
inline auto reply_with(std::string text, bool read_first = true) {
    return [text = std::move(text), read_first](tcp::socket s) -> asio::awaitable<void> {
        std::array<char, 4096> buf{};
        boost::system::error_code ec;
        if (read_first)
            co_await s.async_read_some(asio::buffer(buf),
                                       asio::redirect_error(asio::use_awaitable, ec));
        co_await asio::async_write(s, asio::buffer(text),
                                   asio::redirect_error(asio::use_awaitable, ec));
        s.shutdown(tcp::socket::shutdown_send, ec);
        // Drain until the client closes, so that the reply is not cut by a reset.
        while (!ec)
            co_await s.async_read_some(asio::buffer(buf),
                                       asio::redirect_error(asio::use_awaitable, ec));
    };
}

// Accepts and never answers (holds the connection open).
inline auto silent() {
    return [](tcp::socket s) -> asio::awaitable<void> {
        std::array<char, 4096> buf{};
        boost::system::error_code ec;
        while (!ec)
            co_await s.async_read_some(asio::buffer(buf),
                                       asio::redirect_error(asio::use_awaitable, ec));
    };
}

// Sends `text` one byte every `gap`, forever (repeating it).
inline auto trickle(std::string text, std::chrono::milliseconds gap) {
    return [text = std::move(text), gap](tcp::socket s) -> asio::awaitable<void> {
        asio::steady_timer t(s.get_executor());
        boost::system::error_code ec;
        for (std::size_t i = 0; !ec; ++i) {
            co_await asio::async_write(s, asio::buffer(&text[i % text.size()], 1),
                                       asio::redirect_error(asio::use_awaitable, ec));
            t.expires_after(gap);
            co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    };
}

// Sends `head`, then `total` bytes of filler as fast as the client reads.
inline auto flood(std::string head, std::size_t total, char fill = 'x', bool read_first = true) {
    return
        [head = std::move(head), total, fill, read_first](tcp::socket s) -> asio::awaitable<void> {
            boost::system::error_code ec;
            // Read the request first: closing with unread data would reset the connection.
            std::array<char, 4096> req{};
            if (read_first)
                co_await s.async_read_some(asio::buffer(req),
                                           asio::redirect_error(asio::use_awaitable, ec));
            co_await asio::async_write(s, asio::buffer(head),
                                       asio::redirect_error(asio::use_awaitable, ec));
            const std::string chunk(64 * 1024, fill);
            for (std::size_t sent = 0; !ec && sent < total; sent += chunk.size())
                co_await asio::async_write(
                    s, asio::buffer(chunk.data(), std::min(chunk.size(), total - sent)),
                    asio::redirect_error(asio::use_awaitable, ec));
            s.shutdown(tcp::socket::shutdown_send, ec);
            while (!ec)
                co_await s.async_read_some(asio::buffer(req),
                                           asio::redirect_error(asio::use_awaitable, ec));
        };
}

}  // namespace vigil::check::testing
