#include "projections/permit_views_projection.h"

#include <algorithm>
#include <charconv>

#include "domain/decider.h"
#include "events/json_writer.h"
#include "projections/view_keys.h"

namespace pl {

void PermitViewsProjection::Count(ViewBatch& batch, std::string_view key, int64_t delta) {
  std::string& v = batch.Edit(key);  // one look-up, no copy
  int64_t n = 0;
  if (!v.empty()) {
    // (What std::stoll reads, without its locale and errno: the values
    // are written below; anything else is left to std::stoll.)
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size()) n = std::stoll(v);
  }
  n += delta;
  if (n == 0) {
    batch.Delete(key);
  } else {
    char digits[20];  // INT64_MIN has 20 characters
    v.assign(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  }
}

const PermitFold* PermitViewsProjection::FoldOf(const Envelope& event) const {
  if (!last_ || last_->after.version != event.seq || last_->after.permit_id != event.stream.str())
    return nullptr;
  return &*last_;
}

Status PermitViewsProjection::Apply(const LogRecord&, const Envelope& event, ViewBatch& batch) {
  last_.reset();
  if (event.stream == kGovernanceStream) return charter_.Observe(event, batch);
  const Charter* charter = charter_.Get(batch);
  if (!charter)
    return Status("corrupt_log", "permit event " + event.event_id + " before any charter");
  auto fold = FoldPermit(batch, keys::Permit(event.stream.str()), event);
  if (!fold.ok()) return fold.status();
  last_ = std::move(*fold);
  const PermitFold::Before& before = last_->before;
  const PermitState& after = last_->after;
  const std::string& id = after.permit_id;

  if (before.status == PermitStatus::kNone && !after.tracking_hash.empty())
    batch.Put(keys::Track(after.tracking_hash), id);
  if (before.status != after.status) {
    if (before.status != PermitStatus::kNone)
      batch.Delete(keys::Queue(before.kelurahan, StatusName(before.status), id));
    batch.Put(keys::Queue(after.kelurahan, StatusName(after.status), id), "");
  }
  UpdateStats(batch, *charter, before, after, event);
  UpdateRegister(batch, *charter, after, event);
  return Status::Ok();
}

void PermitViewsProjection::UpdateStats(ViewBatch& batch, const Charter& charter,
                                        const PermitFold::Before& before, const PermitState& after,
                                        const Envelope& event) {
  if (before.status == after.status) return;
  const std::string& kel = after.kelurahan;
  const std::string today = LocalDate(event.time_ms, charter);
  const std::string_view month = std::string_view(today).substr(0, 7);
  if (before.status != PermitStatus::kNone) {
    const std::string stage = StatusName(before.status);
    // Both chosen by time, not by what the views applied so far: the same in
    // a replay, which reads the governance stream's partition first. Days
    // spent count on the calendar in force when the stage was left; a stay
    // is on time by the due date the permit's view promised (the level and
    // calendar in force when the stage was entered).
    const Charter& left = *charter_.At(batch, event.time_ms);
    const Charter& levels = *charter_.At(batch, before.stage_entered_ms);
    // Never below 0: a command may be stamped up to the clocks' tolerance
    // before the stage began (domain/decider.h, time_before_history),
    // across a Jakarta midnight too.
    int days = std::max(0, WorkingDaysBetween(before.stage_entered_ms, event.time_ms, left));
    Count(batch, keys::Stat("days", kel, month, keys::Concat({stage, "/", keys::Pad(days, 4)})), 1);
    if (auto sl = levels.service_days.find(stage); sl != levels.service_days.end()) {
      Count(batch, keys::Stat("sla_all", kel, month, stage), 1);
      if (today <= AddWorkingDays(before.stage_entered_ms, sl->second, levels))
        Count(batch, keys::Stat("sla_ok", kel, month, stage), 1);
    }
    Count(batch, keys::CurrentStage(kel, stage), -1);
  }
  const std::string_view stage = StatusName(after.status);
  Count(batch, keys::Stat("entered", kel, month, stage), 1);
  // New applications: "entered submitted" counts those sent back in after
  // missing documents too.
  if (before.status == PermitStatus::kNone)
    Count(batch, keys::Stat("applied", kel, month, "new"), 1);
  Count(batch, keys::CurrentStage(kel, stage), 1);
  if (after.status == PermitStatus::kIssued || IsFinal(after.status))
    Count(batch, keys::Stat("outcome", kel, month, stage), 1);
  if (after.status == PermitStatus::kRejected)
    Count(batch, keys::Stat("reason", kel, month, after.outcome_code), 1);
}

void PermitViewsProjection::UpdateRegister(ViewBatch& batch, const Charter& charter,
                                           const PermitState& after, const Envelope& event) {
  if (after.permit_number.empty()) return;
  const bool issued = std::holds_alternative<PermitIssued>(event.payload);
  const bool revoked = std::holds_alternative<PermitRevoked>(event.payload);
  if (!issued && !revoked) return;
  const Kelurahan* kel = charter.FindKelurahan(after.kelurahan);
  // Keys in sorted order: the bytes nlohmann::json::dump() gives.
  JsonWriter entry(512);
  entry.BeginObject()
      .Key("business_name")
      .String(after.business.name)
      .Key("business_type")
      .String(after.business.description)
      .Key("issued_on")
      .String(after.valid_from)
      .Key("kbli")
      .String(after.business.kbli)
      .Key("kelurahan")
      .String(after.kelurahan)
      .Key("kelurahan_name")
      .String(kel ? kel->name : after.kelurahan)
      .Key("permit_number")
      .String(after.permit_number);
  // The ground of a revocation is public, as its event on the transparency
  // log is (the domain refuses personal data in it).
  if (revoked) {
    entry.Key("revocation_reason").String(after.outcome_reason);
    entry.Key("revoked_on").String(LocalDate(event.time_ms, charter));
  }
  entry.Key("status").String(revoked ? "revoked" : "issued");
  entry.Key("valid_until").String(after.valid_until).EndObject();
  batch.Put(keys::RegisterEntry(after.permit_number), entry.Take());
  batch.Put(keys::RegisterByKelurahan(after.kelurahan, after.permit_number), "");
}

}  // namespace pl
