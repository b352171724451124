// Loading a configuration: read (includes, parameters, conditionals) -> keyword tree ->
// typed Model -> resolve and validate. The result is immutable and shared.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/areas.h"
#include "config/file_source.h"
#include "config/model.h"
#include "config/reader.h"
#include "config/source.h"

namespace vigil::config {

struct LoadOptions {
    ReadOptions read;
    BuildEnv env;
};

struct LoadResult {
    std::shared_ptr<const Model> model;  // null when there were errors
    SourceFiles sources;
    Diagnostics diags;
    std::vector<std::string> files_read;

    bool ok() const { return model != nullptr; }
    std::string render_diagnostics() const { return diags.render(sources); }
};

LoadResult load_config(const std::string& path, const LoadOptions& opts, FileSource& fs);
LoadResult load_config_file(const std::string& path, const LoadOptions& opts);
// Loads text as if it were the file `name` (includes resolve against a MemoryFileSource
// holding only that file): for tests and the fuzzer.
LoadResult load_config_text(std::string_view text, const LoadOptions& opts,
                            const std::string& name = "keepalived.conf");

// Every keyword table, the top level first: what vigil reads and whether each keyword acts.
KeywordCatalogue keyword_catalogue();

}  // namespace vigil::config
