// `permitledger audit trail` (ExportTrail): a permit's history with each
// event's leaf index and leaf hash, as CSV or JSON lines.
#include <filesystem>
#include <optional>
#include <sstream>

#include "events/envelope.h"
#include "events/json.h"
#include "gateways/audit_cli.h"
#include "gateways/ledger.h"
#include "gateways/url.h"
#include "projections/encoding.h"
#include "projections/merkle_hash.h"
#include "projections/rocksdb_key_reader.h"
#include "projections/transparency_projection.h"

namespace pl {
namespace fs = std::filesystem;
namespace {

std::string JsonText(const nlohmann::json& j) {
  return j.is_string() ? j.get<std::string>() : j.is_null() ? "" : j.dump();
}

}  // namespace

std::string CsvField(const std::string& text) {
  // A cell a spreadsheet would read as a formula (a command id is anyone's
  // choice, an applicant's too) starts with an apostrophe: shown as text.
  const bool formula =
      !text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos;
  const std::string s = formula ? "'" + text : text;
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Status ExportTrail(const std::string& data_dir, const std::string& typed_id,
                   const std::string& format, std::ostream& out) {
  if (format != "csv" && format != "jsonl")
    return Status("invalid_argument", "--format must be csv or jsonl");
  if (!fs::exists(fs::path(data_dir) / "log")) return NoLedgerIn(data_dir);
  if (!ProjectionEngine::Exists((fs::path(data_dir) / "views").string()))
    return Status("views_unavailable",
                  "there are no views in " + data_dir +
                      " (views/): a trail is read from them, each event checked against the log; "
                      "restart the ledger on its own data directory (it rebuilds them from the "
                      "log), then take a new copy and export again");
  LedgerOptions lo;
  lo.data_dir = data_dir;
  lo.follow = false;
  lo.adopt_charter = false;
  lo.read_only_log = true;
  auto ledger = Ledger::Open(lo);
  if (!ledger.ok()) return ledger.status();
  // A permit id typed in small letters names the same permit, as in the API.
  std::string permit_id = typed_id;
  auto history = (*ledger)->queries().History(permit_id);
  if (history.empty() && Capitals(typed_id) != typed_id)
    history = (*ledger)->queries().History(permit_id = Capitals(typed_id));
  // The views may stop before the log's end (the ledger crashed, or views/
  // was cut short or damaged): a trail read from them would miss the
  // permit's events past their checkpoint, so the log there is searched.
  // Records are keyed by their stream: only the first of this permit's is
  // decoded, for the event it names.
  std::optional<std::string> missed;
  const std::string capitals = Capitals(typed_id);
  auto past = ForEachRecordPast((*ledger)->log(), (*ledger)->engine().checkpoints(),
                                [&](const LogRecord& r) {
                                  if (missed || (r.key != typed_id && r.key != capitals))
                                    return Status::Ok();
                                  auto e = Decode(r.value);
                                  if (!e.ok()) return e.status();
                                  missed = e->event_id;
                                  return Status::Ok();
                                });
  if (!past.ok()) return past.status();
  if (missed)
    return Status(
        "views_behind",
        "the view store stops " + std::to_string(*past) + (*past == 1 ? " event" : " events") +
            " before the log's end, and event " + *missed +
            " is among them: a trail read from the views would miss it, so none is exported. A "
            "ledger stopped normally leaves none behind: it crashed, or its views/ were cut "
            "short or damaged. Start the ledger on a copy of this data directory (`permitledger "
            "serve --data COPY`), stop it once it answers (its views have caught up with the "
            "log) and export from the copy");
  if (history.empty()) return Status("not_found", "there is no permit " + typed_id);
  RocksSnapshotReader reader((*ledger)->engine().db());
  EventLog& log = (*ledger)->log();
  // The trail is the log's: each event the views list is read from the log
  // at its position, and neither the views' copy nor the leaf hash they
  // recorded may differ from it. Nothing is written out before all agree.
  auto differs = [&](const std::string& what) {
    return Status("views_differ",
                  what +
                      ": the views and the log disagree, and no trail is exported. Learn which "
                      "one changed with `permitledger audit verify --data " +
                      data_dir +
                      " --checkpoint FILE` (the checkpoints you kept): if the log fails it, the "
                      "log was changed; keep this copy as evidence and rebuild nothing from it. "
                      "If the log verifies, the views were changed or damaged: the ledger "
                      "rebuilds them from the log when started with the views folder moved "
                      "away");
  };
  auto differs_at = [&](const nlohmann::json& e, const std::string& what) {
    return differs("the view store's " + what + " of event " + e.value("event_id", "?") +
                   " differs from the event log at " + e["log_position"].dump());
  };
  std::ostringstream trail;
  if (format == "csv")
    trail << "seq,time,type,actor_id,actor_role,event_id,command_id,partition,offset,leaf_index,"
             "leaf_hash,payload\n";
  // Every event of the permit, in order: one the views dropped is missed.
  const auto state = (*ledger)->queries().Permit(permit_id);
  const uint64_t version = permit_id == kGovernanceStream.str() ? history.size()
                           : state                              ? state->version
                                                                : 0;
  if (history.size() != version)
    return differs("the view store lists " + std::to_string(history.size()) + " events of " +
                   permit_id + ", its state says " + std::to_string(version));
  uint64_t expected_seq = 0;
  for (auto& e : history) {
    const uint64_t seq = e.value("seq", uint64_t{0});
    if (seq != ++expected_seq)
      return differs("the view store lists event " + e.value("event_id", "?") + " where event " +
                     permit_id + "/" + std::to_string(expected_seq) + " belongs");
    const auto& pos = e.contains("log_position") ? e["log_position"] : nlohmann::json::object();
    const auto partition = pos.value("partition", int64_t{-1});
    const auto offset = pos.value("offset", int64_t{-1});
    if (partition < 0 || partition >= log.partitions() || offset < 0) return differs_at(e, "copy");
    auto records = log.Read(PartitionId{static_cast<int32_t>(partition)},
                            Offset{static_cast<uint64_t>(offset)}, 1);
    if (!records.ok()) return records.status();
    if (records->empty() || records->front().offset.value != static_cast<uint64_t>(offset))
      return differs_at(e, "copy");
    const std::string& raw = records->front().value;
    auto event = Decode(raw);
    if (!event.ok()) return differs_at(e, "copy");
    nlohmann::json from_log = ToJson(*event);
    from_log["log_position"] = pos;
    if (from_log != e) return differs_at(e, "copy");
    // Every event the views applied has its leaf.
    auto leaf = TransparencyProjection::LeafIndexOf(reader, StreamId(permit_id), seq);
    if (!leaf.ok()) return differs_at(e, "leaf index");
    auto h = TransparencyProjection::Tree().LeafHash(reader, *leaf);
    if (!h.ok() || *h != HashLeaf(raw)) return differs_at(e, "leaf hash");
    const nlohmann::json leaf_index = *leaf, leaf_hash = Base64Encode(HashBytes(*h));
    if (format == "jsonl") {
      e["leaf_index"] = leaf_index;
      e["leaf_hash"] = leaf_hash;
      trail << e.dump() << "\n";
      continue;
    }
    trail << seq << "," << CsvField(JsonText(e.value("time", nlohmann::json()))) << ","
          << CsvField(JsonText(e.value("type", nlohmann::json()))) << ","
          << CsvField(JsonText(e.value("actor_id", nlohmann::json()))) << ","
          << CsvField(JsonText(e.value("actor_role", nlohmann::json()))) << ","
          << CsvField(JsonText(e.value("event_id", nlohmann::json()))) << ","
          << CsvField(JsonText(e.value("command_id", nlohmann::json()))) << ","
          << JsonText(pos.value("partition", nlohmann::json())) << ","
          << JsonText(pos.value("offset", nlohmann::json())) << "," << JsonText(leaf_index) << ","
          << JsonText(leaf_hash) << "," << CsvField(JsonText(e.value("payload", nlohmann::json())))
          << "\n";
  }
  out << trail.str();
  return Status::Ok();
}

}  // namespace pl
