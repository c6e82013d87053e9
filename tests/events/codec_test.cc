#include <gtest/gtest.h>

#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <sstream>

#include "events/binary_archive.h"
#include "events/envelope.h"
#include "events/json.h"
#include "events/personal.h"
#include "events/strict_json.h"

namespace pl {
namespace {

Envelope Sample() {
  Envelope e;
  e.event_id = "P1/1";
  e.stream = StreamId("P1");
  e.seq = 1;
  e.time_ms = 1764288000123;
  e.actor_id = "applicant";
  e.actor_role = "applicant";
  e.command_id = CommandId("c-1");
  ApplicationSubmitted a;
  a.kelurahan = "31.74.10.1002";
  a.applicant = {"person-1", std::string("\x00\x01\xff", 3)};
  a.business = {"Warung Bu Sari", "56103", "warung makan", 25000000, 180000000, 2, "owned"};
  a.documents = {"form", "ktp"};
  a.tracking_hash = "ab";
  e.payload = a;
  return e;
}

TEST(Codec, RoundTripsEveryFieldAndIsCanonical) {
  Envelope e = Sample();
  std::string bytes = Encode(e);
  EXPECT_EQ(bytes, Encode(e));
  auto back = Decode(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(Encode(*back), bytes);
  EXPECT_EQ(back->stream.str(), "P1");
  EXPECT_EQ(back->command_id.str(), "c-1");
  const auto& a = std::get<ApplicationSubmitted>(back->payload);
  EXPECT_EQ(a.business.capital, 25000000);
  EXPECT_EQ(a.applicant.ciphertext, std::string("\x00\x01\xff", 3));
}

// The event bytes are hashed into the transparency log: WriteBinary must
// write exactly what cereal's own portable binary archive writes.
template <class... T>
std::string CerealPortableBinary(const T&... values) {
  std::ostringstream os;
  {
    cereal::PortableBinaryOutputArchive ar(os);
    ar(const_cast<T&>(values)...);
  }
  return os.str();
}

TEST(Codec, WriteBinaryIsCerealPortableBinaryByteForByte) {
  Envelope e = Sample();
  const auto& a = std::get<ApplicationSubmitted>(e.payload);
  EXPECT_EQ(WriteBinary(a), CerealPortableBinary(a));
  uint8_t u8 = 7;
  int64_t i64 = -1764288000123;
  bool yes = true;
  double d = 0.5;
  std::string bytes("\x00\x01\xff", 3);
  std::vector<std::string> list = {"", "ktp", bytes};
  EXPECT_EQ(WriteBinary(u8, i64, yes, d, bytes, list),
            CerealPortableBinary(u8, i64, yes, d, bytes, list));
  PersonalData p{"3174051234567890", "Sari", "Jl. Mawar 1", "0812", "", "npwp"};
  EXPECT_EQ(WriteBinary(p), CerealPortableBinary(p));
  // And a stored event still decodes to the same bytes.
  auto back = Decode(Encode(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(Encode(*back), Encode(e));
}

TEST(Codec, RefusesTruncatedTrailingAndUnknownBytes) {
  std::string bytes = Encode(Sample());
  EXPECT_EQ(Decode(bytes.substr(0, bytes.size() - 3)).status().code(), "corrupt_event");
  EXPECT_EQ(Decode(bytes + "x").status().code(), "corrupt_event");
  std::string bad = bytes;
  bad[0] = 9;  // unknown envelope format
  EXPECT_EQ(Decode(bad).status().code(), "corrupt_event");
  EXPECT_FALSE(Decode("").ok());
}

TEST(Codec, RefusesLengthPrefixesPastTheEndWithoutAllocating) {
  std::string bytes = Encode(Sample());
  // Byte 0: endianness flag; byte 1: envelope format; bytes 2..9: the
  // length of event_id. Claim 2^58 bytes.
  std::string bad = bytes;
  for (int i = 2; i < 10; ++i) bad[i] = 0;
  bad[9] = 0x04;
  EXPECT_EQ(Decode(bad).status().code(), "corrupt_event");
  EXPECT_FALSE(DecodePersonal(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\x7f", 9)).ok());
}

// An erasure written before erasures had a scope (schema version 1) reached
// the person: it is read so, and written again at the current version.
TEST(Codec, AnErasureOfSchemaVersionOneReadsAsThePersons) {
  const uint16_t type = static_cast<uint16_t>(EventType::kPersonalDataErased);
  const std::string v1 = WriteBinary(
      uint8_t{1}, std::string("P1/7"), std::string("P1"), uint64_t{7}, int64_t{1767225600000},
      std::string("applicant"), std::string("applicant"), std::string("c-9"), type, uint16_t{1},
      WriteBinary(std::string("person-1"), std::string("applicant_request")));
  auto e = Decode(v1);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  const auto& p = std::get<PersonalDataErased>(e->payload);
  EXPECT_EQ(p.person_id, "person-1");
  EXPECT_EQ(p.legal_basis, "applicant_request");
  EXPECT_EQ(p.scope, "person");
  EXPECT_TRUE(p.person_wide());
  EXPECT_EQ(ToJson(*e)["schema_version"], 2);
  auto again = Decode(Encode(*e));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::get<PersonalDataErased>(again->payload).scope, "person");
  // A version past the current one is not guessed at.
  const std::string v9 = WriteBinary(
      uint8_t{1}, std::string("P1/7"), std::string("P1"), uint64_t{7}, int64_t{1767225600000},
      std::string("applicant"), std::string("applicant"), std::string("c-9"), type, uint16_t{9},
      WriteBinary(std::string("person-1"), std::string("x"), std::string("person")));
  EXPECT_EQ(Decode(v9).status().code(), "corrupt_event");
}

TEST(Codec, JsonNeverShowsSealedPersonalData) {
  auto j = ToJson(Sample());
  EXPECT_EQ(j["type"], "application_submitted");
  EXPECT_EQ(j["payload"]["applicant"]["person_id"], "person-1");
  EXPECT_FALSE(j["payload"]["applicant"].contains("ciphertext"));
  EXPECT_EQ(j["time"], "2025-11-28T00:00:00.123Z");
}

// What a sender is told of a body that is not JSON the ledger reads.
TEST(Codec, IsoTimeIsUtcToTheMillisecond) {
  EXPECT_EQ(IsoTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(IsoTime(1764675845123), "2025-12-02T11:44:05.123Z");
  EXPECT_EQ(IsoTime(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(IsoTime(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(IsoTime(253402300800000), "10000-01-01T00:00:00.000Z");
}

TEST(StrictJson, SaysWhatIsWrongAndWhere) {
  auto message = [](std::string_view text) {
    auto r = ParseStrictJson(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), "malformed_json");
    return r.status().message();
  };
  EXPECT_EQ(message(R"({"a": 1,})"),
            "is not valid JSON: the error is at byte 9 of 9; check the quotes, commas and braces "
            "there (an object is written {\"key\": \"value\", ...})");
  EXPECT_NE(message("").find("the body is empty"), std::string::npos);
  EXPECT_NE(message("  \r\n").find("only white space"), std::string::npos);
  EXPECT_NE(message("{\"capital\": 1" + std::string(400, '0') + "}").find("number too large"),
            std::string::npos);
  EXPECT_NE(message("{\"a\": \"\xff\"}").find("not UTF-8"), std::string::npos);
  EXPECT_NE(message(R"({"a": 1, "a": 2})").find("names the key 'a' twice"), std::string::npos);
  EXPECT_NE(message(std::string(40, '[') + std::string(40, ']')).find("levels deep"),
            std::string::npos);
  EXPECT_TRUE(ParseStrictJson(R"({"a": [1, {"b": null}]})").ok());
}

TEST(Personal, RoundTrips) {
  PersonalData p{"3174051234567890", "Sari", "Jl. Mawar 1", "0812", "3174050101010001", ""};
  auto back = DecodePersonal(EncodePersonal(p));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, p);
}

}  // namespace
}  // namespace pl
