// vigild: parses the command line and the configuration; with -t checks and exits.
#include <sys/utsname.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>

#include "app/cli.h"
#include "app/exit_codes.h"
#include "config/config.h"
#include "config/dump.h"

namespace {

using vigil::app::ExitCode;
using vigil::app::to_int;

std::string node_name() {
    utsname u{};
    if (uname(&u) != 0) return "localhost";
    return u.nodename;
}

// keepalived's default config id is the host name up to the first '.'.
std::string short_host_name(const std::string& node) {
    return node.substr(0, node.find('.'));
}

}  // namespace

int main(int argc, char** argv) {
    const auto cli = vigil::app::parse_vigild_cli(std::vector<std::string>(argv, argv + argc));
    if (!cli.options) {
        (cli.exit_code == 0 ? std::cout : std::cerr) << cli.output;
        return cli.exit_code;
    }
    const auto& opts = *cli.options;

    vigil::config::LoadOptions load;
    const std::string node = node_name();
    load.read.config_id = opts.config_id.value_or(short_host_name(node));
    load.read.random_seed = std::random_device{}();
    load.read.all_includes_required = opts.all_config;
    load.env.host_name = node;
    const auto result = vigil::config::load_config_file(opts.config_file, load);
    const std::string diagnostics = result.render_diagnostics();

    if (opts.config_test) {
        if (opts.config_test_output) {
            std::ofstream out(*opts.config_test_output, std::ios::trunc);
            out << diagnostics;
        } else {
            std::cerr << diagnostics;
        }
        if (result.ok() && opts.dump_conf) std::cout << vigil::config::dump_text(*result.model);
        if (result.ok() && opts.dump_json) std::cout << vigil::config::dump_json(*result.model);
        return to_int(result.ok() ? ExitCode::ok : ExitCode::config_test);
    }

    std::cerr << diagnostics;
    if (!result.ok()) return to_int(ExitCode::config);
    if (opts.dump_conf) std::cout << vigil::config::dump_text(*result.model);
    if (opts.dump_json) std::cout << vigil::config::dump_json(*result.model);
    if (opts.dump_conf || opts.dump_json) return to_int(ExitCode::ok);
    std::cerr << "vigild: the daemon runtime (supervisor and workers) is not part of this build "
                 "yet; use -t to check a configuration or -d to dump it\n";
    return to_int(ExitCode::fatal);
}
