// Fuzzes the whole configuration pipeline (reader, tree, keyword tables, resolve, dumps)
// on in-memory files: includes can only reach the input itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"
#include "config/dump.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vigil::config::LoadOptions opts;
    opts.read.config_id = "main";
    opts.read.random_seed = 1;
    opts.read.max_lines = 100000;
    opts.env.host_name = "fuzz";
    const auto r = vigil::config::load_config_text(
        std::string_view(reinterpret_cast<const char*>(data), size), opts);
    (void)r.render_diagnostics();
    if (r.ok()) {
        (void)vigil::config::dump_json(*r.model);
        (void)vigil::config::dump_text(*r.model);
    }
    return 0;
}
