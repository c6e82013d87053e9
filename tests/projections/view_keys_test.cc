// The view store's keys sort as their numbers do.
#include "projections/view_keys.h"

#include <gtest/gtest.h>

namespace pl::keys {
namespace {

TEST(ViewKeys, PadWritesAtLeastTheWidthInDigits) {
  EXPECT_EQ(Pad(0), "00000000000000000000");
  EXPECT_EQ(Pad(42), "00000000000000000042");
  EXPECT_EQ(Pad(UINT64_MAX), "18446744073709551615");
  EXPECT_EQ(Pad(7, 4), "0007");
  EXPECT_EQ(Pad(12345, 4), "12345");
  EXPECT_LT(Pad(9), Pad(10));
}

}  // namespace
}  // namespace pl::keys
