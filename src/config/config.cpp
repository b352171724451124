#include "config/config.h"

#include "config/tree.h"

#include <new>

#include <fmt/format.h>

namespace vigil::config {

LoadResult load_config_unguarded(const std::string& path, const LoadOptions& opts, FileSource& fs);

namespace {
const KeywordTable<Model>& top_level_table() {
    static const KeywordTable<Model> table = [] {
        KeywordTable<Model> t;
        register_global_area(t);
        register_vrrp_area(t);
        register_lvs_area(t);
        return t;
    }();
    return table;
}
}  // namespace

KeywordCatalogue keyword_catalogue() {
    KeywordCatalogue c;
    catalogue(c, "top level", top_level_table());
    catalogue_global_area(c);
    catalogue_vrrp_area(c);
    catalogue_lvs_area(c);
    return c;
}

LoadResult load_config(const std::string& path, const LoadOptions& opts, FileSource& fs) {
    // Reading is bounded (ReadOptions), but memory may still run out on a small machine:
    // loading is all-or-nothing, so give up with a diagnostic and free everything. A running
    // vigild then keeps its configuration instead of dying on a reload.
    try {
        return load_config_unguarded(path, opts, fs);
    } catch (const std::bad_alloc&) {
        LoadResult r;
        r.diags.error({}, fmt::format("out of memory while reading {}; the configuration is too "
                                      "large for this machine",
                                      path));
        return r;
    }
}

LoadResult load_config_unguarded(const std::string& path, const LoadOptions& opts, FileSource& fs) {
    LoadResult r;
    auto read = read_config(path, opts.read, fs, r.sources, r.diags);
    r.files_read = std::move(read.files_read);
    const auto tree = build_tree(std::move(read.lines), r.diags);
    auto model = std::make_shared<Model>();
    top_level_table().apply(tree, *model, r.diags, "the top level");
    resolve_global_area(*model, r.diags, opts.env);
    resolve_vrrp_area(*model, r.diags, opts.env);
    resolve_lvs_area(*model, r.diags, opts.env);
    resolve_cross_area(*model, r.diags);
    if (!r.diags.has_errors()) r.model = std::move(model);
    return r;
}

LoadResult load_config_file(const std::string& path, const LoadOptions& opts) {
    RealFileSource fs;
    return load_config(path, opts, fs);
}

LoadResult load_config_text(std::string_view text, const LoadOptions& opts,
                            const std::string& name) {
    MemoryFileSource fs;
    fs.add(name, std::string(text));
    return load_config(name, opts, fs);
}

}  // namespace vigil::config
