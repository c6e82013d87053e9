#include "projections/feed_projection.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "events/json.h"
#include "events/json_writer.h"
#include "projections/encoding.h"
#include "projections/view_queries.h"

namespace pl {
namespace {

using nlohmann::json;

std::string SeqKey(std::string_view sub) { return "feeds/seq/" + std::string(sub); }
std::string MsgPrefix(std::string_view sub) { return "feeds/msg/" + std::string(sub) + "/"; }

constexpr std::string_view kApplicantPrefix = "applicant.";

// Writes the public feed field `field` of the permit in state `s` as a key
// and its value, unless the permit has none.
void PermitField(JsonWriter& w, const std::string& field, const PermitState& s) {
  auto text = [&](const std::string& v) {
    if (!v.empty()) w.Key(field).String(v);
  };
  if (field == "kelurahan") w.Key(field).String(s.kelurahan);
  if (field == "status") w.Key(field).String(StatusName(s.status));
  if (field == "business_name") w.Key(field).String(s.business.name);
  if (field == "business_description") text(s.business.description);
  if (field == "kbli") w.Key(field).String(s.business.kbli);
  if (field == "capital") w.Key(field).Int(s.business.capital);
  if (field == "turnover") w.Key(field).Int(s.business.turnover);
  if (field == "permit_number") text(s.permit_number);
  if (field == "valid_from") text(s.valid_from);
  if (field == "valid_until") text(s.valid_until);
  if (field == "reason" && !(s.outcome_code.empty() && s.outcome_reason.empty())) {
    w.Key(field).BeginObject();
    w.Key("code").String(s.outcome_code).Key("text").String(s.outcome_reason).EndObject();
  }
}

// Whether `sub` receives `event` of a permit now in state `s`.
bool Receives(const SubscriberPolicy& sub, const Envelope& event, const PermitState& s) {
  // The withdrawal tells the subscriber to stop using what it received: it
  // is sent whether or not the policy lists it (as an erasure is).
  if (const auto* w = std::get_if<ConsentWithdrawn>(&event.payload)) {
    return w->subscriber == sub.id;  // the last message before silence
  }
  if (!sub.Receives(EventTypeName(event.type()))) return false;
  if (const auto* g = std::get_if<ConsentGranted>(&event.payload)) return g->subscriber == sub.id;
  return !sub.consent_required || s.consents.count(sub.id) > 0;
}

// Messages are written as JSON text directly (events/json_writer.h), each
// object's keys in sorted order: the bytes nlohmann::json::dump() gives.
//
// What every message says: which event, of which permit, where in the log
// (`located`: the event's id and place; false for a notice about another
// permit), and `between`, called where its keys sort, for what follows.
template <class Between>
void Header(JsonWriter& w, const std::string& subscriber, uint64_t seq, const LogRecord& raw,
            const Envelope& event, const std::string& permit_id, bool located, Between between) {
  between(w, "applicant");
  if (located) w.Key("event_id").String(event.event_id);
  w.Key("event_type").String(EventTypeName(event.type()));
  if (located)
    w.Key("log_position")
        .BeginObject()
        .Key("offset")
        .UInt(raw.offset.value)
        .Key("partition")
        .Int(raw.partition.value)
        .EndObject();
  w.Key("occurred_at").String(IsoTime(event.time_ms));
  between(w, "permit");
  w.Key("permit_id").String(permit_id);
  w.Key("schema_version").Int(FeedProjection::kSchemaVersion);
  w.Key("seq").UInt(seq);
  w.Key("subscriber").String(subscriber);
}

std::string Message(const SubscriberPolicy& sub, uint64_t seq, const LogRecord& raw,
                    const Envelope& event, const PermitState& s) {
  JsonWriter w(1024);
  w.BeginObject().Key("message").BeginObject();
  // After a withdrawal or an erasure the subscriber learns only that it
  // happened: nothing of the permit travels any more.
  const bool bare = std::holds_alternative<ConsentWithdrawn>(event.payload) ||
                    std::holds_alternative<PersonalDataErased>(event.payload);
  if (bare) {
    Header(w, sub.id, seq, raw, event, event.stream.str(), true, [](JsonWriter&, auto) {});
    return w.EndObject().EndObject().Take();
  }
  std::vector<std::string_view> reveal;
  for (const auto& f : sub.fields)
    if (f.starts_with(kApplicantPrefix))
      reveal.push_back(std::string_view(f).substr(kApplicantPrefix.size()));
  const bool erased = !reveal.empty() && s.personal_erased;
  Header(w, sub.id, seq, raw, event, event.stream.str(), true,
         [&](JsonWriter& w, std::string_view where) {
           if (where == "applicant" && erased)
             w.Key("applicant").BeginObject().Key("erased").Bool(true).EndObject();
           if (where != "permit") return;
           std::vector<const std::string*> fields;
           for (const auto& f : sub.fields)
             if (!f.starts_with(kApplicantPrefix)) fields.push_back(&f);
           std::sort(fields.begin(), fields.end(), [](auto* a, auto* b) { return *a < *b; });
           fields.erase(
               std::unique(fields.begin(), fields.end(), [](auto* a, auto* b) { return *a == *b; }),
               fields.end());
           w.Key("permit").BeginObject();
           for (const std::string* f : fields) PermitField(w, *f, s);
           w.EndObject();
         });
  w.EndObject();
  if (!reveal.empty() && !erased) {
    w.Key("sealed").BeginObject();
    w.Key("ciphertext").String(Base64Encode(s.applicant.ciphertext));
    // Opened only while the applicant still consents (RenderFeedMessage).
    if (sub.consent_required) w.Key("consent").Bool(true);
    w.Key("fields").StringArray(reveal);
    w.Key("person_id").String(s.applicant.person_id);
    w.EndObject();
  }
  return w.EndObject().Take();
}

// The person's key (feeds/person/<person id>): a line "<subscriber>\t<permit
// id>" for each permit of the person whose applicant fields a subscriber
// received, in the order it first did.
std::string PersonKey(std::string_view person_id) {
  return "feeds/person/" + std::string(person_id);
}

// The permit's key (feeds/holders/<permit id>): a line "<subscriber>" for
// each subscriber that received the permit's applicant fields, in the order
// it first did. It holds nothing personal, so an erasure leaves it: a
// revocation still reaches them.
std::string HoldersKey(std::string_view permit_id) {
  return "feeds/holders/" + std::string(permit_id);
}

// Calls fn(subscriber, permit id) for each line of a person's key.
template <class Fn>
Status ForEachHolder(std::string_view people, const std::string& where, Fn fn) {
  while (!people.empty()) {
    const std::string_view line = people.substr(0, people.find('\n'));
    people.remove_prefix(std::min(people.size(), line.size() + 1));
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos)
      return Status("corrupt_view", "malformed value under " + where);
    fn(std::string(line.substr(0, tab)), line.substr(tab + 1));
  }
  return Status::Ok();
}

// Appends to the feed of `subscriber` the message that `message` writes for
// its next sequence number.
template <class MessageFn>
void Append(ViewBatch& batch, const std::string& subscriber, MessageFn message) {
  auto last = batch.Get(SeqKey(subscriber));
  uint64_t seq = (last ? std::stoull(*last) : 0) + 1;
  batch.Put(SeqKey(subscriber), std::to_string(seq));
  batch.Put(MsgPrefix(subscriber) + FixedHex64(seq), message(seq));
}

// The bare message that tells `subscriber` (in the policy or dropped from
// it since: it still holds what it received) of a withdrawal, an erasure or
// a revocation concerning `permit_id`. An erasure made through another application of
// the same person names only the permit the subscriber holds: neither the
// other application's event nor its place in the log.
void AppendNotice(ViewBatch& batch, const std::string& subscriber, const LogRecord& raw,
                  const Envelope& event, const std::string& permit_id) {
  Append(batch, subscriber, [&](uint64_t seq) {
    JsonWriter w(512);
    w.BeginObject().Key("message").BeginObject();
    Header(w, subscriber, seq, raw, event, permit_id, permit_id == event.stream.str(),
           [](JsonWriter&, auto) {});
    return w.EndObject().EndObject().Take();
  });
}

// Whether a message to `sub` about permit `s` carries the applicant's
// sealed fields (Message's "sealed").
bool CarriesApplicant(const SubscriberPolicy& sub, const Envelope& event, const PermitState& s) {
  if (s.personal_erased || std::holds_alternative<ConsentWithdrawn>(event.payload) ||
      std::holds_alternative<PersonalDataErased>(event.payload))
    return false;
  return std::any_of(sub.fields.begin(), sub.fields.end(),
                     [](const std::string& f) { return f.starts_with(kApplicantPrefix); });
}

}  // namespace

Status FeedProjection::Apply(const LogRecord& raw, const Envelope& event, ViewBatch& batch) {
  if (event.stream == kGovernanceStream) return charter_.Observe(event, batch);
  const Charter* charter = charter_.Get(batch);
  if (!charter)
    return Status("corrupt_log", "permit event " + event.event_id + " before any charter");
  const PermitFold* fold = permits_.FoldOf(event);
  if (!fold)
    return Status("internal", "event " + event.event_id +
                                  " reached the feeds before the permit views folded it");
  const PermitState& s = fold->after;
  const std::string& permit_id = event.stream.str();
  const auto* erased = std::get_if<PersonalDataErased>(&event.payload);
  std::set<std::string> told;  // who heard of the event with this permit
  for (const auto& sub : charter->data_sharing) {
    if (!Receives(sub, event, s)) continue;
    Append(batch, sub.id, [&](uint64_t seq) { return Message(sub, seq, raw, event, s); });
    told.insert(sub.id);
    if (CarriesApplicant(sub, event, s)) {
      std::string& people = batch.Edit(PersonKey(s.applicant.person_id));
      const std::string line = sub.id + "\t" + permit_id + "\n";
      if (("\n" + people).find("\n" + line) == std::string::npos) people += line;
      std::string& holders = batch.Edit(HoldersKey(permit_id));
      if (("\n" + holders).find("\n" + sub.id + "\n") == std::string::npos)
        holders += sub.id + "\n";
    }
  }
  // A withdrawal reaches its subscriber even after the policy dropped it:
  // the consent was given while it was in, and it holds what it received.
  if (const auto* w = std::get_if<ConsentWithdrawn>(&event.payload);
      w && !charter->FindSubscriber(w->subscriber))
    AppendNotice(batch, w->subscriber, raw, event, permit_id);
  // A revocation reaches each subscriber that received the permit's
  // applicant fields (a bank may have lent against it) and is not told by
  // the policy in force, having been dropped from it, its consent withdrawn
  // or the applicant's data erased since (unless the policy names it
  // without revocations): bare, as the revocation is public on the
  // verification page anyway. So does the close of an application that
  // never got its permit (rejected, declined, withdrawn): the subscriber,
  // given the applicant's data under a consent while it was open, learns
  // that no permit will come, and can delete what it received; unless its
  // consent was withdrawn or the data erased before, which told it so.
  const bool closes = std::holds_alternative<ApplicationRejected>(event.payload) ||
                      std::holds_alternative<RecommendationDeclined>(event.payload) ||
                      std::holds_alternative<ApplicationWithdrawn>(event.payload);
  if (closes || std::holds_alternative<PermitRevoked>(event.payload)) {
    const auto holders = batch.Get(HoldersKey(permit_id));
    for (std::string_view rest = holders ? std::string_view(*holders) : std::string_view();
         !rest.empty();) {
      const std::string sub_id(rest.substr(0, rest.find('\n')));
      rest.remove_prefix(std::min(rest.size(), sub_id.size() + 1));
      const SubscriberPolicy* named = charter->FindSubscriber(sub_id);
      if (told.count(sub_id) || (!closes && named && !named->Receives(EventTypeName(event.type()))))
        continue;
      if (closes && (!s.consents.count(sub_id) || s.personal_erased)) continue;
      AppendNotice(batch, sub_id, raw, event, permit_id);
    }
  }
  // An erasure reaches this permit, or every permit of the person: each
  // subscriber that holds applicant fields of one it reaches hears of it,
  // once per such permit, whatever its consents now are and whether or not
  // the policy still names it.
  if (erased) {
    const std::string key = PersonKey(erased->person_id);
    auto people = batch.Get(key);
    std::string_view rest = people ? std::string_view(*people) : std::string_view();
    std::string kept;  // the lines of the person's permits the erasure does not reach
    if (Status st = ForEachHolder(rest, key,
                                  [&](const std::string& sub_id, std::string_view held) {
                                    if (!erased->person_wide() && held != permit_id) {
                                      kept.append(sub_id).append("\t").append(held).append("\n");
                                      return;
                                    }
                                    if (held == permit_id && told.count(sub_id)) return;
                                    AppendNotice(batch, sub_id, raw, event, std::string(held));
                                  });
        !st.ok())
      return st;
    if (!kept.empty())
      batch.Put(key, kept);
    else if (people)
      batch.Delete(key);
  }
  return Status::Ok();
}

std::vector<StoredFeedMessage> FeedProjection::Read(rocksdb::DB* db, const std::string& subscriber,
                                                    uint64_t after, size_t limit) {
  std::vector<StoredFeedMessage> out;
  if (after == UINT64_MAX) return out;
  const std::string prefix = MsgPrefix(subscriber);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix + FixedHex64(after + 1)); it->Valid() && out.size() < limit; it->Next()) {
    auto key = it->key().ToStringView();
    if (!key.starts_with(prefix)) break;
    auto seq = ParseFixedHex64(key.substr(prefix.size()));
    if (!seq) continue;
    out.push_back({*seq, it->value().ToString()});
  }
  return out;
}

uint64_t FeedProjection::LastSeq(rocksdb::DB* db, const std::string& subscriber) {
  std::string v;
  if (!db->Get(rocksdb::ReadOptions(), SeqKey(subscriber), &v).ok()) return 0;
  return std::stoull(v);
}

std::string RenderFeedMessage(const StoredFeedMessage& stored, const PersonalVault& vault,
                              const ViewQueries& views, std::string* permit_id, bool* key_pending,
                              bool withhold_personal) {
  json doc = json::parse(stored.json);
  json m = std::move(doc["message"]);
  const std::string permit = m["permit_id"].get<std::string>();
  if (permit_id) *permit_id = permit;
  if (doc.contains("sealed") && withhold_personal) {
    m["applicant"] = {{"withheld", true}};
  } else if (doc.contains("sealed")) {
    const json& sealed = doc["sealed"];
    SealedPersonal sp{sealed["person_id"].get<std::string>(),
                      Base64Decode(sealed["ciphertext"].get<std::string>()).value_or("")};
    auto consents = [&] {
      auto state = views.Permit(permit);
      return state && state->consents.count(m["subscriber"].get<std::string>()) > 0;
    };
    if (!vault.IsErased(sp) && sealed.value("consent", false) && !consents()) {
      // Shared under a consent the applicant has withdrawn since: no read
      // after the withdrawal opens it (until the applicant consents again),
      // and it is not even decrypted.
      m["applicant"] = {{"consent_withdrawn", true}};
      return m.dump();
    }
    auto data = vault.Unseal(sp);
    if (!data.ok()) {
      // "erased" once the key is destroyed; a key this instance does not
      // hold yet (on Kafka it follows the event) is withheld as unavailable.
      if (key_pending && data.status().code() == "key_unavailable") *key_pending = true;
      m["applicant"] =
          data.status().code() == "erased" ? json{{"erased", true}} : json{{"unavailable", true}};
    } else {
      json a = json::object();
      for (const auto& f : sealed["fields"]) {
        const std::string name = f.get<std::string>();
        const std::string* v = name == "nik"         ? &data->nik
                               : name == "name"      ? &data->name
                               : name == "address"   ? &data->address
                               : name == "phone"     ? &data->phone
                               : name == "kk_number" ? &data->kk_number
                               : name == "npwp"      ? &data->npwp
                                                     : nullptr;
        if (v && !v->empty()) a[name] = *v;
      }
      m["applicant"] = std::move(a);
    }
  }
  return m.dump();
}

}  // namespace pl
