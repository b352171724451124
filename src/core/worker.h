// A worker process (VRRP or checker): single-threaded around one io_context. It reads the
// configuration itself, reloads it on SIGHUP (keeping the running one when the new file is
// invalid), writes its state dumps on SIGUSR1/SIGUSR2/SIGRTMIN+2, and stops on SIGTERM.
// What the worker does with the configuration is its service's business (the VRRP routers,
// the health checkers); the process around it is the same for both.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "config/model.h"
#include "core/log.h"
#include "core/runtime.h"

namespace vigil::core {

class WorkerService {
  public:
    virtual ~WorkerService() = default;
    // With the first valid configuration.
    virtual void start(std::shared_ptr<const config::Model> m) = 0;
    // With each later valid configuration: migrate, touching only what changed.
    virtual void reload(std::shared_ptr<const config::Model> m) = 0;
    // Release what the service holds (as the options say), then call `done` (at once or
    // later, from the event loop).
    virtual void stop(std::function<void()> done) = 0;
    // Appended to the SIGUSR2 statistics dump.
    virtual std::string stats_text() const = 0;
    // The SIGUSR1 data dump's runtime state, before the configuration.
    virtual std::string data_text() const = 0;
    // A JSON object, placed under the role's name in the SIGRTMIN+2 dump.
    virtual std::string status_json() const = 0;
};

struct WorkerContext {
    boost::asio::io_context& ioc;
    Logger log;
    const RuntimeOptions& opts;
};

using ServiceFactory = std::function<std::unique_ptr<WorkerService>(const WorkerContext&)>;

// Returns the process exit code (core::ExitCode). `factory` may be empty: the worker then
// only keeps its configuration (a role whose service is not built yet).
int run_worker(ProcessRole role, const RuntimeOptions& opts, const ServiceFactory& factory);

}  // namespace vigil::core
