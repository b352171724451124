// Helpers for configuration tests: load text, and find diagnostics by content.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace vigil::config::testing {

inline LoadResult load(std::string_view text, std::string config_id = "main") {
    LoadOptions o;
    o.read.config_id = std::move(config_id);
    o.read.random_seed = 42;
    o.env.host_name = "director1.example.com";
    return load_config_text(text, o);
}

// The rendered diagnostics, for assertions like EXPECT_THAT(diags, HasSubstr("3:7:")).
inline std::string diags(const LoadResult& r) {
    return r.render_diagnostics();
}

inline bool has_diag(const LoadResult& r, std::string_view needle) {
    return diags(r).find(needle) != std::string::npos;
}

}  // namespace vigil::config::testing
