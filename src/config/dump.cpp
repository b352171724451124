#include "config/dump.h"

#include "config/dump_json.h"

namespace vigil::config {

namespace {

Json model_json(const Model& m) {
    Json j;
    j["global"] = dump_global_area(m);
    j["vrrp"] = dump_vrrp_area(m);
    j["lvs"] = dump_lvs_area(m);
    return j;
}

bool is_scalar(const Json& v) {
    return !v.is_object() && !v.is_array();
}

std::string scalar_text(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "(unset)";
    return v.dump();
}

void render(const Json& v, int depth, std::string& out) {
    const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
    if (v.is_object()) {
        for (const auto& [key, val] : v.items()) {
            if (is_scalar(val)) {
                out += pad + key + " = " + scalar_text(val) + "\n";
            } else if (val.empty()) {
                out += pad + key + " = (none)\n";
            } else {
                out += pad + key + ":\n";
                render(val, depth + 1, out);
            }
        }
        return;
    }
    if (v.is_array()) {
        for (const auto& val : v) {
            if (is_scalar(val)) {
                out += pad + "- " + scalar_text(val) + "\n";
            } else {
                out += pad + "-\n";
                render(val, depth + 1, out);
            }
        }
        return;
    }
    out += pad + scalar_text(v) + "\n";
}

}  // namespace

std::string dump_json(const Model& m, int indent) {
    // Configured strings are bytes, not necessarily UTF-8: replace what JSON cannot carry.
    return model_json(m).dump(indent, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string dump_text(const Model& m) {
    std::string out;
    render(model_json(m), 0, out);
    return out;
}

}  // namespace vigil::config
