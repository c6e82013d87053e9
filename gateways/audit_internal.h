// The auditor behind `permitledger audit verify` (AuditVerify), shared by
// audit_verify.cc (the log's tree and checkpoints, the view store) and
// audit_stream_checks.cc (every event checked by the domain's decider). Internal
// to gateways/: not part of any public interface.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/decider.h"
#include "events/event_log.h"
#include "gateways/audit_cli.h"
#include "projections/signed_note.h"

namespace pl {

// A retired officer, as the audit remembers them (for the report).
struct RetiredOfficer {
  std::string jurisdiction;
  std::string when;  // "2026-03-02T01:00:00.000Z by governance event seq 9 (partition 0 offset 41)"
};

class Auditor {
 public:
  explicit Auditor(const AuditOptions& o) : options_(o) {}

  void Problem(std::string kind, std::string where, std::string message) {
    ++report_.problem_count;
    if (report_.problems.size() < options_.max_problems)
      report_.problems.push_back({std::move(kind), std::move(where), std::move(message)});
  }

  void TextNote(std::string where, std::string message) {
    ++report_.text_note_count;
    if (report_.text_notes.size() < options_.max_problems)
      report_.text_notes.push_back({"personal_data_in_text", std::move(where), std::move(message)});
  }

  Status Run();
  Result<std::unique_ptr<EventLog>> OpenLog();
  AuditReport& report() { return report_; }

 private:
  struct Pending {      // a signed checkpoint awaiting its size in the stream
    std::string label;  // "checkpoint 3 (size 645)", or "held checkpoint 1 (size 645)"
    uint64_t size;
    Hash root;
  };
  // Checks one signed note and queues it for its size (nullopt: refused).
  void Queue(const std::string& where, const std::string& note, std::optional<uint64_t> stored_size,
             const NoteVerifierKey& key, const std::string& vkey);
  void LoadCheckpoints(const NoteVerifierKey& key, const std::string& vkey);
  void CheckGovernance(const Envelope& e, const std::string& where);
  // `st`: the stream's entry in streams_ (looked up ahead, a batch at a time).
  void CheckPermit(const Envelope& e, PermitState& st, const std::string& where, uint64_t leaf);
  void CheckConsistency();
  // The vault (DATA/keys) against the log's erasures, embedded log only:
  // each application's key held unless an erasure on the log destroyed it.
  void CheckVault();
  // Reports a problem of an event of a permit of a kelurahan that a flagged
  // charter dropped as a follow-on of that charter (counted, summarised).
  void PermitProblem(const PermitState& state, std::string kind, const std::string& where,
                     std::string message);
  void KelurahanProblem(const std::string& kelurahan, const std::string& stream, std::string kind,
                        const std::string& where, std::string message);
  void SummariseFollowOns();

  const AuditOptions& options_;
  AuditReport report_;
  std::vector<Pending> pending_;  // sorted by size
  std::vector<Pending> matched_;  // checkpoints whose root matched the log
  // The checkpoints whose root did not: the index of their problem in the
  // report (if it holds it) and their size, to name a fork with a larger
  // checkpoint that matched, once all are known.
  std::vector<std::pair<size_t, uint64_t>> root_mismatches_;
  GovernanceState gov_;
  // Each permit's state folded with the domain's EvolvePermit (its sealed
  // personal data and published texts dropped: the decider reads neither).
  std::unordered_map<std::string, PermitState> streams_;
  std::unordered_map<std::string, std::string> permit_numbers_;  // number -> where issued
  std::unordered_map<std::string, RetiredOfficer> retired_;
  // Person id -> the time of the latest order that erased the person
  // (scope person): it destroyed the keys of every application of theirs
  // submitted before it, which those applications' histories do not record.
  std::unordered_map<std::string, int64_t> person_erased_ms_;
  // For CheckVault: each application's key id and the leaf of its
  // submission, in log order; each person's latest person-wide erasure, by
  // leaf (it destroyed the keys of the applications before it on the log).
  struct ApplicationKey {
    std::string stream;
    std::string key_id;
    uint64_t leaf;
  };
  std::vector<ApplicationKey> application_keys_;
  std::unordered_map<std::string, uint64_t> person_erased_leaf_;
  // Kelurahan a flagged charter dropped: the charter's problem is the root
  // cause of the problems of their permits' later events.
  std::unordered_map<std::string, std::string> dropped_;  // code -> the charter's where
  struct FollowOns {
    uint64_t events = 0;
    std::unordered_set<std::string> permits;
    std::string first;
  };
  std::unordered_map<std::string, FollowOns> follow_ons_;  // by the charter's where
  std::unique_ptr<rocksdb::DB> views_;
};

}  // namespace pl
