#include "events/json.h"

#include <chrono>
#include <cstdio>

namespace pl {
namespace {

using nlohmann::json;

json J(const CharterAdopted& e) {
  return {{"charter_version", e.charter_version}, {"charter", json::parse(e.charter_json)}};
}
json J(const OfficerEnrolled& e) {
  return {{"officer_id", e.officer_id},
          {"name", e.name},
          {"role", e.role},
          {"jurisdiction", e.jurisdiction}};
}
json J(const OfficerRetired& e) { return {{"officer_id", e.officer_id}, {"reason", e.reason}}; }
json J(const Business& b) {
  return {{"name", b.name},        {"kbli", b.kbli},         {"description", b.description},
          {"capital", b.capital},  {"turnover", b.turnover}, {"workers", b.workers},
          {"premises", b.premises}};
}
json J(const ApplicationSubmitted& e) {
  return {{"kelurahan", e.kelurahan},
          {"applicant", {{"person_id", e.applicant.person_id}, {"sealed", true}}},
          {"business", J(e.business)},
          {"documents", e.documents}};
}
json J(const CompletionRequested& e) { return {{"missing", e.missing}}; }
json J(const DocumentsCompleted& e) { return {{"provided", e.provided}}; }
json J(const DocumentsVerified&) { return json::object(); }
json J(const SurveyScheduled& e) { return {{"date", e.date}, {"team", e.team}}; }
json J(const SurveyRecorded& e) {
  return {{"zoning_compliant", e.zoning_compliant}, {"notes", e.notes}};
}
json J(const Recommended& e) { return {{"letter_number", e.letter_number}}; }
json J(const RecommendationDeclined& e) { return {{"reason", e.reason}}; }
json J(const PermitIssued& e) {
  return {{"permit_number", e.permit_number},
          {"valid_from", e.valid_from},
          {"valid_until", e.valid_until}};
}
json J(const ApplicationRejected& e) {
  return {{"reason_code", e.reason_code}, {"reason", e.reason}};
}
json J(const ApplicationWithdrawn& e) { return {{"reason", e.reason}}; }
json J(const PermitRevoked& e) { return {{"reason", e.reason}}; }
json J(const ConsentGranted& e) { return {{"subscriber", e.subscriber}}; }
json J(const ConsentWithdrawn& e) { return {{"subscriber", e.subscriber}}; }
json J(const PersonalDataErased& e) {
  return {{"person_id", e.person_id}, {"legal_basis", e.legal_basis}, {"scope", e.scope}};
}

}  // namespace

nlohmann::json PayloadToJson(const Payload& p) {
  return std::visit([](const auto& e) { return J(e); }, p);
}

std::string IsoTime(int64_t time_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds(time_ms)};
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss hms{tp - day};
  const int y = int(ymd.year());
  const long fields[] = {long(unsigned(ymd.month())), long(unsigned(ymd.day())),
                         long(hms.hours().count()),   long(hms.minutes().count()),
                         long(hms.seconds().count()), long(hms.subseconds().count())};
  if (y < 0 || y > 9999) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02ld-%02ldT%02ld:%02ld:%02ld.%03ldZ", y, fields[0],
                  fields[1], fields[2], fields[3], fields[4], fields[5]);
    return buf;
  }
  // By hand, not snprintf: every feed message and audit entry carries one.
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&](size_t at, long v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) out[at + i] = static_cast<char>('0' + v % 10);
  };
  put(0, y, 4);
  put(5, fields[0], 2);
  put(8, fields[1], 2);
  put(11, fields[2], 2);
  put(14, fields[3], 2);
  put(17, fields[4], 2);
  put(20, fields[5], 3);
  return out;
}

nlohmann::json ToJson(const Envelope& e) {
  return {{"event_id", e.event_id},
          {"stream", e.stream.str()},
          {"seq", e.seq},
          {"type", EventTypeName(e.type())},
          {"type_number", static_cast<uint16_t>(e.type())},
          {"schema_version", VersionOf(e.payload)},
          {"time", IsoTime(e.time_ms)},
          {"actor_id", e.actor_id},
          {"actor_role", e.actor_role},
          {"command_id", e.command_id.str()},
          {"payload", PayloadToJson(e.payload)}};
}

}  // namespace pl
