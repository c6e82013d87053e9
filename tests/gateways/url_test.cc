#include "gateways/url.h"

#include <gtest/gtest.h>

namespace pl {
namespace {

TEST(Url, PercentDecodingIsStrict) {
  EXPECT_EQ(PercentDecode("a%40b+c", true), "a@b c");
  EXPECT_EQ(PercentDecode("a%40b+c", false), "a@b+c");
  EXPECT_EQ(PercentDecode("%2f%2F", true), "//");
  EXPECT_EQ(PercentDecode("", true), "");
  for (const char* malformed : {"%", "50%", "%4", "%G0", "%0g", "a%%20"})
    EXPECT_EQ(PercentDecode(malformed, true), std::nullopt) << malformed;
}

TEST(Url, PathPartsDecodeEachSegmentAndSkipTheQuery) {
  using Parts = std::vector<std::string>;
  EXPECT_EQ(PathParts("/v1/permits/P%41B/history?x=%"), (Parts{"v1", "permits", "PAB", "history"}));
  EXPECT_EQ(PathParts("/a%2Fb/c+d/"), (Parts{"a/b", "c+d"}));
  EXPECT_EQ(PathParts("/"), Parts{});
  EXPECT_EQ(PathParts("/v1/P%4"), std::nullopt);
}

TEST(Url, AQueryNamesOnlyWhatItsResourceTakesOnceEach) {
  auto q = Query::Parse("/v1/feeds/bank?after=12&limit=&wait", {"after", "limit", "wait", "x"});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->Get("after"), "12");
  EXPECT_EQ(q->Get("limit"), "");
  EXPECT_EQ(q->Get("wait"), "");
  EXPECT_EQ(q->Get("x"), std::nullopt);
  EXPECT_EQ(q->Value("x"), "");

  q = Query::Parse("/v1/public/register?q=toko+sari%20jaya&&kelurahan=31.74.10.1003&",
                   {"q", "kelurahan"});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->Value("q"), "toko sari jaya");
  EXPECT_EQ(q->Value("kelurahan"), "31.74.10.1003");
  EXPECT_TRUE(Query::Parse("/healthz", {}).ok());
  EXPECT_TRUE(Query::Parse("/healthz?", {}).ok());

  auto refusal = [](std::string_view target, std::initializer_list<std::string_view> takes) {
    auto r = Query::Parse(target, takes);
    EXPECT_FALSE(r.ok()) << target;
    if (r.ok()) return std::string();
    EXPECT_EQ(r.status().code(), "invalid_query");
    return r.status().message();
  };
  EXPECT_EQ(refusal("/r?limt=5", {"after", "limit"}),
            "unknown query parameter \"limt\" (this resource takes after, limit)");
  EXPECT_EQ(refusal("/r?x=1", {}),
            "unknown query parameter \"x\" (this resource takes no query parameters)");
  EXPECT_EQ(refusal("/r?=1", {"a"}), "unknown query parameter \"\" (this resource takes a)");
  EXPECT_EQ(refusal("/r?a=1&a=1", {"a"}),
            "the query parameter \"a\" is given more than once: give it once");
  EXPECT_NE(refusal("/r?a=50%", {"a"}).find("malformed percent-escape"), std::string::npos);
  EXPECT_EQ(refusal("/r?a=x%00y", {"a"}),
            "the query parameter \"a=x%00y\" holds the control character U+0000; remove it");
  EXPECT_NE(refusal("/r?a=%C2%85", {"a"}).find("U+0085"), std::string::npos);
  EXPECT_NE(refusal("/r?a=%7F", {"a"}).find("U+007F"), std::string::npos);
  EXPECT_TRUE(Query::Parse("/r?a=%C2%A0%E2%80%8B", {"a"}).ok()) << "not controls";
  EXPECT_NE(refusal("/r?" + std::string(100, 'z'), {"a"}).find(std::string(40, 'z') + "...\""),
            std::string::npos);
}

}  // namespace
}  // namespace pl
