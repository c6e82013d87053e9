#include "projections/command_processor.h"
#include "events/store_options.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cereal/types/string.hpp>
#include <chrono>

#include "domain/state_codec.h"
#include "events/binary_archive.h"

namespace pl {
namespace {

// State store keys (docs/architecture.md):
//   p/<stream>                 folded PermitState
//   g/<seq, 20 digits>         governance events, to fold the charter and officers on open
//   c/<partition>              next log offset to fold
//   d/<stream>\0<command id>   what a command did (for repeats)
std::string StateKey(const std::string& stream) { return "p/" + stream; }
std::string GovKey(uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "g/%020llu", static_cast<unsigned long long>(seq));
  return buf;
}
std::string CheckpointKey(int32_t p) { return "c/" + std::to_string(p); }
std::string DedupeKey(const std::string& stream, const CommandId& id) {
  std::string k = "d/" + stream;
  k.push_back('\0');
  k += id.str();
  return k;
}

int64_t SystemClock() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

struct CommandProcessor::Dedupe {
  enum Kind : uint8_t { kAccepted = 0, kRefused = 1, kNoop = 2 };
  uint8_t kind = kAccepted;
  int32_t partition = 0;
  uint64_t first_offset = 0;
  uint64_t count = 0;
  uint64_t version = 0;
  std::string status;
  std::string code, message;

  template <class A> void serialize(A& ar) {
    ar(kind, partition, first_offset, count, version, status, code, message);
  }
  std::string Encode() const { return WriteBinary(*this); }
  static std::optional<Dedupe> Decode(const std::string& s) {
    try {
      ReadArchive ar(s);
      Dedupe d;
      ar(d);
      return d;
    } catch (...) {
      return std::nullopt;
    }
  }
};

Result<std::unique_ptr<CommandProcessor>> CommandProcessor::Open(EventLog& log,
                                                                 PersonalVault& vault,
                                                                 ProcessorOptions options) {
  rocksdb::Options o = StoreOptions();
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(o, options.state_path, &raw);
  if (!s.ok())
    return Status("store_unavailable", "cannot open the processor's state store at " +
                                           options.state_path + ": " + s.ToString());
  if (!options.clock) options.clock = SystemClock;
  std::unique_ptr<CommandProcessor> p(
      new CommandProcessor(log, vault, std::move(options), std::unique_ptr<rocksdb::DB>(raw)));
  if (Status st = p->CatchUp(); !st.ok()) return st;
  p->thread_ = std::thread([q = p.get()] { q->Run(); });
  return p;
}

CommandProcessor::CommandProcessor(EventLog& log, PersonalVault& vault, ProcessorOptions options,
                                   std::unique_ptr<rocksdb::DB> store)
    : log_(log), vault_(vault), options_(std::move(options)), store_(std::move(store)) {}

CommandProcessor::~CommandProcessor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// Folds everything the log holds past the store's checkpoints: events
// appended before a crash that the store had not recorded yet.
Status CommandProcessor::CatchUp() {
  auto gov = std::make_shared<GovernanceState>();
  {
    std::unique_ptr<rocksdb::Iterator> it(store_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek("g/"); it->Valid() && it->key().starts_with("g/"); it->Next()) {
      auto e = Decode(it->value().ToStringView());
      if (!e.ok()) return e.status();
      EvolveGovernance(*gov, *e);
    }
  }
  next_offsets_.assign(log_.partitions(), 0);
  for (int32_t p = 0; p < log_.partitions(); ++p) {
    std::string v;
    if (store_->Get(rocksdb::ReadOptions(), CheckpointKey(p), &v).ok())
      next_offsets_[p] = std::stoull(v);
    for (;;) {
      auto records = log_.Read(PartitionId{p}, Offset{next_offsets_[p]}, 8192);
      if (!records.ok()) return records.status();
      if (records->empty()) break;
      rocksdb::WriteBatch batch;
      std::unordered_map<std::string, Dedupe> dedupe;
      for (const auto& r : *records) {
        auto e = Decode(r.value);
        if (!e.ok()) return e.status();
        const std::string& stream = e->stream.str();
        if (e->stream == kGovernanceStream) {
          EvolveGovernance(*gov, *e);
          batch.Put(GovKey(e->seq), r.value);
          continue;
        }
        auto st = LoadState(stream);
        if (!st.ok()) return st.status();
        PermitState& state = cache_[stream] = std::move(*st);
        EvolvePermit(state, *e);
        std::string dk = DedupeKey(stream, e->command_id);
        auto [it, fresh] = dedupe.try_emplace(dk);
        if (fresh) {
          std::string old;
          if (store_->Get(rocksdb::ReadOptions(), dk, &old).ok())
            if (auto d = Dedupe::Decode(old)) it->second = *d;
          if (it->second.count == 0) {
            it->second.partition = p;
            it->second.first_offset = r.offset.value;
          }
        }
        it->second.count++;
        it->second.version = state.version;
        it->second.status = StatusName(state.status);
      }
      for (auto& [stream, state] : cache_) batch.Put(StateKey(stream), EncodePermitState(state));
      for (auto& [k, d] : dedupe) batch.Put(k, d.Encode());
      next_offsets_[p] = records->back().offset.value + 1;
      batch.Put(CheckpointKey(p), std::to_string(next_offsets_[p]));
      auto s = store_->Write(rocksdb::WriteOptions(), &batch);
      if (!s.ok()) return Status("store_unavailable", s.ToString());
      cache_.clear();
    }
  }
  std::lock_guard lock(gov_mu_);
  gov_ = std::move(gov);
  return Status::Ok();
}

Result<PermitState> CommandProcessor::LoadState(const std::string& stream) {
  if (auto it = cache_.find(stream); it != cache_.end()) return it->second;
  std::string v;
  auto s = store_->Get(rocksdb::ReadOptions(), StateKey(stream), &v);
  if (s.IsNotFound()) {
    PermitState fresh;
    fresh.permit_id = stream;
    return fresh;
  }
  if (!s.ok()) return Status("store_unavailable", s.ToString());
  return DecodePermitState(v);
}

std::shared_ptr<const GovernanceState> CommandProcessor::governance() const {
  std::lock_guard lock(gov_mu_);
  return gov_;
}

Result<PermitState> CommandProcessor::State(const StreamId& stream) {
  std::string v;
  auto s = store_->Get(rocksdb::ReadOptions(), StateKey(stream.str()), &v);
  if (s.IsNotFound()) {
    PermitState fresh;
    fresh.permit_id = stream.str();
    return fresh;
  }
  if (!s.ok()) return Status("store_unavailable", s.ToString());
  return DecodePermitState(v);
}

void CommandProcessor::Submit(Command cmd, std::function<void(Outcome)> done) {
  if (cmd.time_ms == 0) cmd.time_ms = options_.clock();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Item{std::move(cmd), std::move(done)});
  }
  cv_.notify_one();
}

Outcome CommandProcessor::Execute(Command cmd) {
  std::mutex m;
  std::condition_variable cv;
  std::optional<Outcome> result;
  Submit(std::move(cmd), [&](Outcome o) {
    std::lock_guard lock(m);
    result = std::move(o);
    cv.notify_one();
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return result.has_value(); });
  return std::move(*result);
}

void CommandProcessor::Run() {
  std::vector<Item> items;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && items.size() < options_.max_batch) {
        items.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ProcessBatch(items);
    items.clear();
  }
}

Outcome CommandProcessor::ReplayDuplicate(const Dedupe& d, const std::string& stream) {
  Outcome out;
  out.duplicate = true;
  out.stream = stream;
  out.version = d.version;
  out.status = d.status;
  if (d.kind == Dedupe::kRefused) {
    out.refusal = Refusal{d.code, d.message};
    return out;
  }
  if (d.kind == Dedupe::kNoop) return out;
  auto records = log_.Read(PartitionId{d.partition}, Offset{d.first_offset}, d.count);
  if (!records.ok()) {
    out.error = records.status();
    return out;
  }
  for (const auto& r : *records) {
    auto e = Decode(r.value);
    if (!e.ok()) {
      out.error = e.status();
      return out;
    }
    out.events.push_back(std::move(*e));
    out.last = LogPosition{r.partition, r.offset};
  }
  return out;
}

void CommandProcessor::ProcessBatch(std::vector<Item>& items) {
  struct Slot {
    Outcome out;
    size_t first_record = 0;
    std::string dedupe_key;
    bool pending = false;          // waits for the append
    std::optional<size_t> same_as; // repeat of an earlier command in this batch
  };
  std::vector<Slot> slots(items.size());
  std::unordered_map<std::string, PermitState> overlay;
  std::unordered_map<std::string, size_t> batch_commands;  // dedupe key -> slot
  std::shared_ptr<const GovernanceState> gov_cur = governance();
  std::shared_ptr<GovernanceState> gov_next;
  std::vector<std::pair<uint64_t, std::string>> gov_events;
  std::vector<AppendRecord> records;

  for (size_t i = 0; i < items.size(); ++i) {
    Command& cmd = items[i].cmd;
    Slot& slot = slots[i];
    const std::string stream = cmd.stream.str();
    slot.out.stream = stream;
    slot.dedupe_key = DedupeKey(stream, cmd.id);
    if (auto it = batch_commands.find(slot.dedupe_key); it != batch_commands.end()) {
      slot.same_as = it->second;
      continue;
    }
    std::string stored;
    if (store_->Get(rocksdb::ReadOptions(), slot.dedupe_key, &stored).ok()) {
      if (auto d = Dedupe::Decode(stored)) {
        slot.out = ReplayDuplicate(*d, stream);
        continue;
      }
    }
    batch_commands[slot.dedupe_key] = i;

    Decision decision;
    const bool governance_cmd = cmd.stream == kGovernanceStream;
    if (governance_cmd) {
      decision = DecideGovernance(cmd, *gov_cur);
    } else {
      if (auto* submit = std::get_if<SubmitApplication>(&cmd.action)) {
        auto sealed = vault_.Seal(submit->personal);
        if (!sealed.ok()) {
          slot.out.error = sealed.status();
          continue;
        }
        submit->sealed = std::move(*sealed);
      }
      auto it = overlay.find(stream);
      if (it == overlay.end()) {
        auto st = LoadState(stream);
        if (!st.ok()) {
          slot.out.error = st.status();
          continue;
        }
        it = overlay.emplace(stream, std::move(*st)).first;
      }
      decision = DecidePermit(cmd, it->second, *gov_cur);
    }

    // The version and status right after this command (later commands of
    // the batch may change them again).
    auto settle = [&] {
      if (governance_cmd) {
        slot.out.version = gov_cur->version;
      } else {
        slot.out.version = overlay[stream].version;
        slot.out.status = StatusName(overlay[stream].status);
      }
    };
    if (!decision.accepted()) {
      slot.out.refusal = decision.refusal;
      ++refused_;
      settle();
      continue;
    }
    ++accepted_;
    slot.out.events = std::move(decision.events);
    if (slot.out.events.empty()) {  // a no-op: nothing to write
      settle();
      continue;
    }
    slot.pending = true;
    slot.first_record = records.size();
    PartitionId partition = log_.PartitionFor(stream);
    for (const auto& e : slot.out.events) {
      records.push_back(AppendRecord{partition, stream, Encode(e)});
      if (governance_cmd) {
        if (!gov_next) gov_next = std::make_shared<GovernanceState>(*gov_cur);
        EvolveGovernance(*gov_next, e);
        gov_events.emplace_back(e.seq, records.back().value);
      } else {
        EvolvePermit(overlay[stream], e);
      }
    }
    if (governance_cmd) gov_cur = gov_next;
    settle();
  }

  rocksdb::WriteBatch store_batch;
  if (!records.empty()) {
    // Keys of people sealed in this batch must be durable before their
    // ciphertext is.
    Result<std::vector<Offset>> offsets = Status("vault_unavailable", "");
    if (Status synced = vault_.Sync(); !synced.ok()) offsets = synced;
    else offsets = log_.Append(records);
    if (!offsets.ok()) {
      // Nothing of this batch is durable: every command in it fails, and the
      // states it built are dropped.
      for (const auto& [stream, st] : overlay) cache_.erase(stream);
      for (size_t i = 0; i < items.size(); ++i) {
        Outcome failed;
        failed.error = offsets.status();
        failed.stream = slots[i].out.stream;
        items[i].done(std::move(failed));
      }
      return;
    }
    for (auto& slot : slots) {
      if (!slot.pending) continue;
      size_t last = slot.first_record + slot.out.events.size() - 1;
      slot.out.last = LogPosition{records[last].partition, (*offsets)[last]};
      Dedupe d;
      d.partition = records[slot.first_record].partition.value;
      d.first_offset = (*offsets)[slot.first_record].value;
      d.count = slot.out.events.size();
      d.version = slot.out.version;
      d.status = slot.out.status;
      store_batch.Put(slot.dedupe_key, d.Encode());
    }
    std::vector<int64_t> next(log_.partitions(), -1);
    for (size_t r = 0; r < records.size(); ++r)
      next[records[r].partition.value] =
          std::max<int64_t>(next[records[r].partition.value], (*offsets)[r].value + 1);
    for (int32_t p = 0; p < log_.partitions(); ++p) {
      if (next[p] < 0) continue;
      next_offsets_[p] = next[p];
      store_batch.Put(CheckpointKey(p), std::to_string(next[p]));
    }
  }
  for (auto& slot : slots) {
    if (slot.same_as || slot.out.duplicate || !slot.out.error.ok() || slot.pending) continue;
    Dedupe d;
    d.kind = slot.out.refusal ? Dedupe::kRefused : Dedupe::kNoop;
    d.version = slot.out.version;
    d.status = slot.out.status;
    if (slot.out.refusal) {
      d.code = slot.out.refusal->code;
      d.message = slot.out.refusal->message;
    }
    store_batch.Put(slot.dedupe_key, d.Encode());
  }
  for (auto& [stream, st] : overlay) {
    store_batch.Put(StateKey(stream), EncodePermitState(st));
    if (cache_.size() > 200000) cache_.clear();
    cache_[stream] = st;
  }
  for (auto& [seq, bytes] : gov_events) store_batch.Put(GovKey(seq), bytes);
  // The log is the source of truth: should this write be lost, CatchUp
  // folds the events again from the checkpoint.
  (void)store_->Write(rocksdb::WriteOptions(), &store_batch);
  if (gov_next) {
    std::lock_guard lock(gov_mu_);
    gov_ = gov_next;
  }

  for (size_t i = 0; i < items.size(); ++i) {
    Outcome out = slots[i].same_as ? slots[*slots[i].same_as].out : slots[i].out;
    if (slots[i].same_as) out.duplicate = true;
    items[i].done(std::move(out));
  }
}

}  // namespace pl
