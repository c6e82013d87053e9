// Key layout of the view store. Each projection owns the prefix of its name
// (projections/projection.h); a change here is a change of
// ProjectionEngine::kViewFormat.
// Counters and sequence numbers are zero-padded so that keys sort in order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace pl::keys {

inline std::string Pad(uint64_t v, int width = 20) {
  char digits[20];  // UINT64_MAX has 20
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  std::string out(static_cast<size_t>(std::max(width, n)), '0');
  for (int i = 0; i < n; ++i) out[out.size() - 1 - i] = digits[i];
  return out;
}

// The parts end to end, in one allocation (keys are built for every event).
inline std::string Concat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) out.append(p);
  return out;
}

// Permit views (PermitViewsProjection).
inline std::string Charter() { return "status/charter"; }
inline std::string Permit(std::string_view id) { return Concat({"status/permit/", id}); }
inline std::string Track(std::string_view hash) { return Concat({"status/track/", hash}); }
inline std::string QueuePrefix(std::string_view kel) { return Concat({"status/queue/", kel, "/"}); }
inline std::string QueuePrefix(std::string_view kel, std::string_view status) {
  return Concat({"status/queue/", kel, "/", status, "/"});
}
inline std::string Queue(std::string_view kel, std::string_view status, std::string_view id) {
  return Concat({"status/queue/", kel, "/", status, "/", id});
}
inline std::string RegisterEntry(std::string_view number) {
  return "register/permit/" + std::string(number);
}
inline std::string RegisterByKelurahan(std::string_view kel, std::string_view number) {
  return "register/kel/" + std::string(kel) + "/" + std::string(number);
}
// stats/<what>/<kelurahan>/<month>/<detail>: decimal counters.
inline std::string Stat(std::string_view what, std::string_view kel, std::string_view month,
                        std::string_view detail) {
  return Concat({"stats/", what, "/", kel, "/", month, "/", detail});
}
inline std::string CurrentStage(std::string_view kel, std::string_view stage) {
  return Concat({"stats/current/", kel, "/", stage});
}

// Audit trail by actor (AuditProjection); by permit, the transparency
// log's event index (TransparencyProjection::EventPrefix).
inline std::string AuditOfficerPrefix(std::string_view actor) {
  return "audit/officer/" + std::string(actor) + "/";
}
// An officer's event, in time order; events of the same millisecond by
// permit (or governance) stream, then in the stream's order ("governance/2"
// before "governance/10").
inline std::string AuditOfficer(std::string_view actor, int64_t time_ms, std::string_view stream,
                                uint64_t seq) {
  return AuditOfficerPrefix(actor) + Pad(static_cast<uint64_t>(time_ms)) + "/" +
         std::string(stream) + "/" + Pad(seq, 10);
}

}  // namespace pl::keys
