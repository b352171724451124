// Where a worker's notifications go, as global_defs says: the script policy notify scripts
// run under, the notify FIFOs it writes lines to (notify_fifo and its own vrrp_ or lvs_
// FIFO; the supervisor created them and started their readers), and the SMTP alerter. One
// piece for both workers, rebuilt on each configuration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "config/model_global.h"
#include "core/log.h"
#include "core/script_policy.h"
#include "core/script_runner.h"
#include "notify/alerts.h"
#include "notify/fifo_writer.h"

namespace vigil::core {

// Opens (creating it if missing) a notify FIFO, given to its own user and group, else to the
// default script user (the one its reading script runs as by default), as keepalived does.
Result<notify::FifoWriter> open_notify_fifo(const config::FifoSpec& fifo,
                                            const config::GlobalDefs& g);

class NotifyChannels {
  public:
    // `role_fifo`: vrrp_notify_fifo or lvs_notify_fifo.
    void configure(const config::GlobalDefs& g, const std::optional<config::FifoSpec>& role_fifo,
                   const boost::asio::any_io_executor& ex, const Logger& log);

    // Runs a notify script (with `extra_args` appended) through `runner`, without a timeout,
    // as the policy allows; a refusal is logged.
    void run_script(ScriptRunner& runner, const config::ScriptSpec& spec, std::string name,
                    const std::vector<std::string>& extra_args, const Logger& log) const;
    void write_line(const std::string& line);

    const ScriptPolicy* policy() const { return policy_ ? &*policy_ : nullptr; }
    const std::optional<notify::Alerter>& alerter() const { return alerter_; }

  private:
    std::optional<ScriptPolicy> policy_;
    std::vector<notify::FifoWriter> fifos_;
    std::optional<notify::Alerter> alerter_;
};

}  // namespace vigil::core
