#include "projections/permit_fold.h"

#include "domain/decider.h"
#include "domain/state_codec.h"

namespace pl {

Status CharterView::Observe(const Envelope& event, ViewBatch& batch) {
  const auto* adopted = std::get_if<CharterAdopted>(&event.payload);
  if (!adopted) return Status::Ok();
  auto c = Charter::FromJson(adopted->charter_json);
  if (!c.ok()) return c.status();
  batch.Put(key_, adopted->charter_json);
  charter_ = std::make_shared<Charter>(std::move(*c));
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

Result<PermitFold> FoldPermit(ViewBatch& batch, const std::string& key, const Envelope& event) {
  PermitFold f;
  f.after.permit_id = event.stream.str();
  if (auto stored = batch.Get(key)) {
    auto decoded = DecodePermitState(*stored);
    if (!decoded.ok()) return decoded.status();
    f.after = std::move(*decoded);
  }
  if (event.seq != f.after.version + 1)
    return Status("corrupt_log", "event " + event.event_id + " follows version " +
                                     std::to_string(f.after.version));
  f.before = {f.after.status, f.after.kelurahan, f.after.stage_entered_ms};
  EvolvePermit(f.after, event);
  batch.Put(key, EncodePermitState(f.after));
  return f;
}

}  // namespace pl
