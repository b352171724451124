// Dumps of a loaded Model: JSON (for tests and tools) and an indented text form of the same
// tree (vigild -d). Both show every field with its resolved value.
#pragma once

#include <string>

#include "config/model.h"

namespace vigil::config {

std::string dump_json(const Model& m, int indent = 2);
std::string dump_text(const Model& m);

}  // namespace vigil::config
