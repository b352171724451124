// Internal to the VRRP area parser (area_vrrp*.cpp): pieces shared between its files.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "config/keyword_table.h"
#include "config/model.h"

namespace vigil::config::vrrp_detail {

enum class TrackKind : std::uint8_t { interface, script, file, process, bfd };

// Reads a track_interface/track_script/track_file/track_process/track_bfd block: lines of
// "NAME [weight N [reverse|noreverse]]" with keepalived 2.2.7's weight ranges.
void read_track_block(const Args& a, std::vector<TrackedRef>& out, TrackKind kind);

// Reads "weight N [reverse]" (the keyword's arguments) within [min, max].
std::optional<std::int32_t> read_weight(const Args& a, std::int32_t min, std::int32_t max,
                                        bool& reverse);

const KeywordTable<VrrpInstance>& vrrp_instance_table();
void catalogue_instance_tables(KeywordCatalogue& c);

// keyword <INTEGER SECONDS in [min, max]>: keepalived 2.2.7 reads these as whole seconds.
template <class T, class F>
Handler<T> whole_seconds(F T::*m, std::int64_t min, std::int64_t max) {
    return [m, min, max](const Args& a, T& t) {
        if (!a.count(1, 1, a.node().keyword.text + " <SECONDS>")) return;
        if (auto v = a.integer(0, min, max))
            t.*m = std::chrono::microseconds(std::chrono::seconds(*v));
    };
}

}  // namespace vigil::config::vrrp_detail
