// `permitledger audit trail` (ExportTrail): a permit's history with each
// event's leaf index and leaf hash, as CSV or JSON lines.
#include <filesystem>

#include "gateways/audit_cli.h"
#include "gateways/ledger.h"
#include "projections/encoding.h"
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

Status ExportTrail(const std::string& data_dir, const std::string& permit_id,
                   const std::string& format, std::ostream& out) {
  if (format != "csv" && format != "jsonl")
    return Status("invalid_argument", "--format must be csv or jsonl");
  if (!fs::exists(fs::path(data_dir) / "log")) return NoLedgerIn(data_dir);
  LedgerOptions lo;
  lo.data_dir = data_dir;
  lo.follow = false;
  lo.adopt_charter = false;
  lo.read_only_log = true;
  auto ledger = Ledger::Open(lo);
  if (!ledger.ok()) return ledger.status();
  auto history = (*ledger)->queries().History(permit_id);
  if (history.empty()) return Status("not_found", "there is no permit " + permit_id);
  RocksSnapshotReader reader((*ledger)->engine().db());
  if (format == "csv")
    out << "seq,time,type,actor_id,actor_role,event_id,command_id,partition,offset,leaf_index,"
           "leaf_hash,payload\n";
  for (auto& e : history) {
    const uint64_t seq = e.value("seq", uint64_t{0});
    auto leaf = TransparencyProjection::LeafIndexOf(reader, StreamId(permit_id), seq);
    nlohmann::json leaf_index = nullptr, leaf_hash = nullptr;
    if (leaf.ok()) {
      leaf_index = *leaf;
      auto h = TransparencyProjection::Tree().LeafHash(reader, *leaf);
      if (h.ok()) leaf_hash = Base64Encode(HashBytes(*h));
    }
    if (format == "jsonl") {
      e["leaf_index"] = leaf_index;
      e["leaf_hash"] = leaf_hash;
      out << e.dump() << "\n";
      continue;
    }
    const auto& pos = e.contains("log_position") ? e["log_position"] : nlohmann::json::object();
    out << seq << "," << CsvField(JsonText(e.value("time", nlohmann::json()))) << ","
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
  return Status::Ok();
}

}  // namespace pl
