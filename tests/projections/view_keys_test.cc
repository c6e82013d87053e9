// The view store's keys sort as their numbers do; the register's search folds.
#include "projections/view_keys.h"

#include <gtest/gtest.h>

#include "projections/view_queries.h"

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

// The register's search: case, accents (composed or not), and blanks as
// pasted do not matter; other scripts are compared as they are.
TEST(ViewKeys, TheRegisterSearchFoldsCaseAccentsAndBlanks) {
  EXPECT_EQ(SearchFolded("  KEDAI  kopi "), "kedai kopi");
  EXPECT_EQ(SearchFolded("Warung \u00c9b\u00e9 \u00d1o\u00f1o"), "warung ebe nono");
  EXPECT_EQ(SearchFolded("\u00e9b\u00e9"), SearchFolded("\u00c9B\u00c9"));
  EXPECT_EQ(SearchFolded("Kedai C\u0327ic\u0327ek"), "kedai cicek") << "decomposed";
  EXPECT_EQ(SearchFolded("Kedai \u00c7i\u00e7ek"), "kedai cicek") << "composed";
  EXPECT_EQ(SearchFolded("TOKO \u0130STANBUL \u00df"), "toko istanbul ss");
  EXPECT_EQ(SearchFolded("warung\u00a0hendra"), "warung hendra") << "a no-break space";
  EXPECT_EQ(SearchFolded("3 \u00d7 4"), "3 \u00d7 4");
  EXPECT_EQ(SearchFolded("\u0421\u0430\u0440\u0438"), "\u0421\u0430\u0440\u0438");
}

}  // namespace
}  // namespace pl::keys
