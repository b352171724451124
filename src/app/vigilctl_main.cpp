// vigilctl: the operator's command-line tool. Each job is a subcommand with a file of its
// own (genhash today; status and control of a running vigild later).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "app/genhash.h"

namespace {

int run(int argc, char** argv) {
    CLI::App app{"vigilctl - tools for vigil, the keepalived-compatible HA daemon", "vigilctl"};
    app.set_version_flag("--version", "vigilctl " VIGIL_VERSION);
    app.require_subcommand(1);

    vigil::app::GenhashOptions genhash;
    auto* genhash_cmd = app.add_subcommand("genhash",
                                           "MD5 digest of a web page, for HTTP_GET/SSL_GET digest "
                                           "(keepalived's genhash)");
    vigil::app::add_genhash_options(*genhash_cmd, genhash);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // keepalived's genhash exits 1 on a usage error; CLI11 has a code per error kind.
        return app.exit(e) == 0 ? 0 : 1;
    }
    if (genhash_cmd->parsed()) return vigil::app::run_genhash(genhash, stdout, stderr);
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vigilctl: %s\n", e.what());
        return 1;
    }
}
