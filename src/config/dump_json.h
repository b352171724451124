// JSON conversions shared by the area dumpers (dump_*.cpp). Only dump code includes this:
// nlohmann/json stays out of the model and the cores.
#pragma once

#include <chrono>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/ip_address.h"
#include "config/model.h"

namespace vigil {
// Dumps keep the field order of the model: ordered_json throughout.
using Json = nlohmann::ordered_json;
inline void to_json(Json& j, const IpAddress& a) {
    j = a.to_string();
}
inline void to_json(Json& j, const IpPrefix& p) {
    j = p.to_string();
}
inline void to_json(Json& j, Family f) {
    j = std::string(to_string(f));
}
}  // namespace vigil

namespace nlohmann {
template <class T>
struct adl_serializer<std::optional<T>> {
    template <class J>
    static void to_json(J& j, const std::optional<T>& v) {
        if (v)
            j = *v;
        else
            j = nullptr;
    }
};
// Durations are dumped as seconds with microsecond resolution (e.g. 0.5), as configured.
template <>
struct adl_serializer<std::chrono::microseconds> {
    template <class J>
    static void to_json(J& j, const std::chrono::microseconds& v) {
        if (v.count() % 1'000'000 == 0)
            j = v.count() / 1'000'000;
        else
            j = static_cast<double>(v.count()) / 1e6;
    }
};
}  // namespace nlohmann

namespace vigil::config {

Json dump_global_area(const Model& m);
Json dump_vrrp_area(const Model& m);
Json dump_lvs_area(const Model& m);

void to_json(Json& j, const AddressSpec& a);
void to_json(Json& j, const RouteSpec& r);
void to_json(Json& j, const RuleSpec& r);
void to_json(Json& j, const ScriptSpec& s);
void to_json(Json& j, const FifoSpec& f);

}  // namespace vigil::config
