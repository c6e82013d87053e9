// FeedProjection: the fan-out of permit events to the subscribers of the
// charter's data-sharing policy (docs/feeds.md).
//
// For every permit event and every subscriber of the policy in force it
// decides whether the subscriber receives it (the event type is in its list;
// if it needs consent, the applicant has consented to it, and a consent event
// goes only to the subscriber it names; the withdrawal of consent is the one
// message sent after it, whether or not the policy lists it) and, if so,
// appends a message to the subscriber's feed with the next sequence number
// (1, 2, ...). A message carries only the fields the policy allows. The
// applicant's personal fields are kept sealed with the person's key (as on
// the log) and opened only when the message is read (RenderFeedMessage):
// after an erasure every read shows them erased, and after a withdrawal of
// the consent they were shared under, withheld.
// A withdrawal, and an erasure, reach a subscriber that the policy has
// dropped since it received the data.
//
// The permit's state after each event comes from the permit views, which
// this projection follows (Projection::follows): the state is folded and
// stored once, by them.
//
// Keys, under "feeds/":
//   charter                  the charter in force (its canonical JSON)
//   seq/<subscriber>         the subscriber's last sequence number (decimal)
//   person/<person id>       "<subscriber>\t<permit id>\n" per permit of the
//                            person whose applicant fields the subscriber
//                            received: whom an erasure must reach (removed
//                            by the erasure)
//   holders/<permit id>      "<subscriber>\n" per subscriber that received the
//                            permit's applicant fields: whom a revocation
//                            must reach (kept after an erasure)
//   msg/<subscriber>/<16 hex seq>  a stored message (JSON, see Stored below)
//
// Determinism: messages are numbered in Apply order; as for the transparency
// log, a rebuild gives the same feeds when the engine feeds the events in
// the same order (one partition, the default).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/charter.h"
#include "events/personal_vault.h"
#include "projections/permit_fold.h"
#include "projections/permit_views_projection.h"
#include "projections/projection.h"

namespace rocksdb {
class DB;
}

namespace pl {

class ViewQueries;

// One message of a feed as stored: the message JSON without personal data,
// and, when the policy shares personal fields, the sealed personal data and
// the names of the fields to reveal.
struct StoredFeedMessage {
  uint64_t seq = 0;
  std::string json;  // the stored document
};

class FeedProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "feeds";
  static constexpr int kSchemaVersion = 1;

  explicit FeedProjection(const PermitViewsProjection& permits) : permits_(permits) {}

  std::string_view name() const override { return kName; }
  std::string_view follows() const override { return PermitViewsProjection::kName; }
  Status Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) override;

  // Messages of `subscriber` with a sequence number above `after`, oldest
  // first, at most `limit`.
  static std::vector<StoredFeedMessage> Read(rocksdb::DB* db, const std::string& subscriber,
                                             uint64_t after, size_t limit);
  // The subscriber's last sequence number (0: no message yet).
  static uint64_t LastSeq(rocksdb::DB* db, const std::string& subscriber);

 private:
  const PermitViewsProjection& permits_;
  CharterView charter_{"feeds/charter"};
};

// The message a subscriber receives (docs/feeds.md): the stored message with
// the allowed personal fields opened with `vault`; {"erased": true} when the
// person's key is gone, {"consent_withdrawn": true} when they were shared
// under a consent that the permit in `views` no longer holds.
// `permit_id`, when given, receives the message's permit (its Kafka key);
// `key_pending`, when given, whether the applicant's fields show as
// {"unavailable": true} because the person's key has not reached this
// instance's vault yet (Kafka; read the message again shortly).
// `withhold_personal`: the fields are not opened, the applicant shows as
// {"withheld": true} (the administrator reading a feed, a role that sees no
// personal data).
std::string RenderFeedMessage(const StoredFeedMessage& stored, const PersonalVault& vault,
                              const ViewQueries& views, std::string* permit_id = nullptr,
                              bool* key_pending = nullptr, bool withhold_personal = false);

}  // namespace pl
