// Parses a generated configuration with N virtual servers x M real servers (default
// 100 x 100 = 10,000 real servers, each with a TCP_CHECK) and reports the time of each
// stage. A benchmark, not a test: it asserts nothing about speed.
//
//   bench_config_parse [virtual_servers] [real_servers_per_vs] [repeats]
//   bench_config_parse --print [virtual_servers] [real_servers_per_vs]   (the config itself)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "config/config.h"

namespace {

std::string generate(int vs_count, int rs_per_vs) {
    std::string s = "global_defs {\n    router_id bench\n}\n";
    for (int v = 0; v < vs_count; ++v) {
        // 203.0.113.0/24 and 198.51.100.0/24 hold the VIPs, 192.0.2.0/24 + port the RSs.
        s += fmt::format("virtual_server 203.0.113.{} {} {{\n", v % 250 + 1, 1000 + v);
        s += "    delay_loop 6\n    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n";
        for (int r = 0; r < rs_per_vs; ++r) {
            s += fmt::format("    real_server 192.0.2.{} {} {{\n", r % 250 + 1, 2000 + r);
            s += "        weight 1\n        TCP_CHECK {\n            connect_timeout 3\n"
                 "        }\n    }\n";
        }
        s += "}\n";
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--print") {
        std::fputs(
            generate(argc > 2 ? std::atoi(argv[2]) : 100, argc > 3 ? std::atoi(argv[3]) : 100)
                .c_str(),
            stdout);
        return 0;
    }
    const int vs = argc > 1 ? std::atoi(argv[1]) : 100;
    const int rs = argc > 2 ? std::atoi(argv[2]) : 100;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
    const std::string text = generate(vs, rs);
    vigil::config::LoadOptions opts;
    opts.env.host_name = "bench";
    double best = 1e9;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = vigil::config::load_config_text(text, opts);
        const auto t1 = std::chrono::steady_clock::now();
        if (!r.ok()) {
            std::fputs(r.render_diagnostics().c_str(), stderr);
            return 1;
        }
        best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::printf(
        "config_parse: %d virtual servers x %d real servers (%zu bytes): best of %d = "
        "%.1f ms\n",
        vs, rs, text.size(), repeats, best);
    return 0;
}
