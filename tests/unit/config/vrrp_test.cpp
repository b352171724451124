#include <gtest/gtest.h>

#include "test_util.h"

namespace vigil::config {
namespace {

using testing::load;

}  // namespace
}  // namespace vigil::config
