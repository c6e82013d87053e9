#include "projections/permit_fold.h"

#include <sstream>

#include "domain/decider.h"
#include "domain/state_codec.h"
#include "projections/view_keys.h"

namespace pl {

// With history, key_ + "/index" lists "<adoption time ms> <version>" a
// line each, and key_ + "/v/<version>" holds each charter's document.
Status CharterView::Observe(const Envelope& event, ViewBatch& batch) {
  const auto* adopted = std::get_if<CharterAdopted>(&event.payload);
  if (!adopted) return Status::Ok();
  auto c = Charter::FromJson(adopted->charter_json);
  if (!c.ok()) return c.status();
  batch.Put(key_, adopted->charter_json);
  charter_ = std::make_shared<Charter>(std::move(*c));
  if (history_) {
    batch.Edit(key_ + "/index") +=
        std::to_string(event.time_ms) + " " + std::to_string(charter_->version) + "\n";
    batch.Put(key_ + "/v/" + keys::Pad(charter_->version, 10), adopted->charter_json);
    if (adopted_) (*adopted_)[event.time_ms] = charter_;
  }
  return Status::Ok();
}

const Charter* CharterView::Get(ViewBatch& batch) {
  if (!charter_) {
    auto text = batch.Get(key_);
    if (!text) return nullptr;
    auto c = Charter::FromJson(*text);
    if (!c.ok()) return nullptr;
    charter_ = std::make_shared<Charter>(std::move(*c));
  }
  return charter_.get();
}

const Charter* CharterView::At(ViewBatch& batch, int64_t time_ms) {
  const Charter* now = Get(batch);
  if (!now || !history_) return now;
  if (!adopted_) {
    adopted_.emplace();
    std::istringstream index(batch.Get(key_ + "/index").value_or(""));
    int64_t time;
    uint32_t version;
    while (index >> time >> version) {
      // (Written with the index line in one batch, and read back as written.)
      auto text = batch.Get(key_ + "/v/" + keys::Pad(version, 10));
      if (auto c = Charter::FromJson(text.value_or("")); c.ok())
        (*adopted_)[time] = std::make_shared<Charter>(std::move(*c));
    }
  }
  auto in_force = adopted_->upper_bound(time_ms);
  if (in_force == adopted_->begin()) return now;
  return std::prev(in_force)->second.get();
}

Result<PermitFold> FoldPermit(ViewBatch& batch, const std::string& key, const Envelope& event) {
  PermitFold f;
  f.after.permit_id = event.stream.str();
  // Read, folded and written back in place: one look-up, and no copy of the
  // stored bytes either way. A stored state is never empty (its encoding
  // starts with the archive's endianness byte), so empty means none.
  std::string& stored = batch.Edit(key);
  const bool had = !stored.empty();
  Status refused;
  if (had) {
    auto decoded = DecodePermitState(stored);
    if (decoded.ok())
      f.after = std::move(*decoded);
    else
      refused = decoded.status();
  }
  if (refused.ok() && event.seq != f.after.version + 1)
    refused = Status("corrupt_log", "event " + event.event_id + " follows version " +
                                        std::to_string(f.after.version));
  if (!refused.ok()) {
    if (!had) batch.Delete(key);  // Edit's empty value, stored as nothing
    return refused;
  }
  f.before = {f.after.status, f.after.kelurahan, f.after.stage_entered_ms};
  EvolvePermit(f.after, event);
  EncodePermitState(f.after, stored);
  return f;
}

}  // namespace pl
