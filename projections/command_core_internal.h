// Internal to CommandCore (projections/command_core*.cc): the keys of its
// state store, which refusals are not remembered, and the record of what a
// command did (CommandCore::Dedupe). Not part of any public interface.
#pragma once

#include <cereal/types/string.hpp>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "events/binary_archive.h"
#include "projections/command_core.h"

namespace pl::command_core_internal {

// State store keys:
//   p/<stream>                 folded PermitState
//   g/<seq, 20 digits>         governance events, to fold the charter and officers on open
//   c/<partition>              next log offset to fold
//   o/<partition>              next outcome offset to fold (Kafka mode)
//   d/<stream>\0<command id>   what a command did (for repeats)
inline std::string StateKey(const std::string& stream) { return "p/" + stream; }
inline std::string GovKey(uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "g/%020llu", static_cast<unsigned long long>(seq));
  return buf;
}
inline std::string CheckpointKey(int32_t p) { return "c/" + std::to_string(p); }
inline std::string OutcomeCheckpointKey(int32_t p) { return "o/" + std::to_string(p); }
inline std::string DedupeKey(const std::string& stream, const CommandId& id) {
  std::string k = "d/" + stream;
  k.push_back('\0');
  k += id.str();
  return k;
}

// A refusal on a stream that does not exist yet (an application refused
// as invalid, an action on an unknown permit) is not remembered: nothing
// exists to protect, and the command id stays free, for the corrected
// application or for the application whose id it is. Nor is a refusal of
// a sender outside the permit's jurisdiction (an officer of another
// kelurahan, another application's applicant): any token holder could
// otherwise take the command id an officer of the permit is about to send,
// and have that request answered 409. (A colleague's refusal, a role that
// may not take the action, is remembered: the officer the command was meant
// for is told the id is taken.) Nor is any refusal of the applicant's: a
// tracking code is had for an application, by anyone, and each refusal
// remembered would be a record kept for good, so one sender could fill the
// disk; the applicant's retry is decided again (a refusal that the
// permit's state has since lifted then takes its effect, as the applicant
// asked).
inline bool ForgetRefusal(const Outcome& o) {
  return o.refusal &&
         (o.version == 0 || o.refusal->code == "outside_jurisdiction" || o.sender == "applicant");
}

}  // namespace pl::command_core_internal

namespace pl {

struct CommandCore::Dedupe {
  enum Kind : uint8_t { kAccepted = 0, kRefused = 1, kNoop = 2 };
  uint8_t kind = kAccepted;
  int32_t partition = 0;
  uint64_t first_offset = 0;
  uint64_t count = 0;
  uint64_t version = 0;
  std::string status;
  std::string code, message;
  std::string sender, action;  // refusals and no-ops; records before them end at `message`
  std::string digest;          // Outcome::digest; records before it end at `action`

  // What a refused or no-op command did: there is no event to point at.
  static Dedupe Unwritten(const Outcome& o) {
    Dedupe d;
    d.kind = o.refusal ? kRefused : kNoop;
    d.version = o.version;
    d.status = o.status;
    if (o.refusal) {
      d.code = o.refusal->code;
      d.message = o.refusal->message;
    }
    d.sender = o.sender;
    d.action = o.action;
    d.digest = o.digest;
    return d;
  }
  std::string Encode() const {
    return WriteBinary(kind, partition, first_offset, count, version, status, code, message, sender,
                       action, digest);
  }
  static std::optional<Dedupe> Decode(const std::string& s) {
    try {
      ReadArchive ar(s);
      Dedupe d;
      ar(d.kind, d.partition, d.first_offset, d.count, d.version, d.status, d.code, d.message);
      if (ar.remaining() > 0) ar(d.sender, d.action);
      if (ar.remaining() > 0) ar(d.digest);
      return d;
    } catch (...) {
      return std::nullopt;
    }
  }
};

}  // namespace pl
