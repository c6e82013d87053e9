// The ledger on one local Kafka broker, beside raw librdkafka figures
// measured in the same run (docs/performance.md, "Kafka"):
//   raw:  an idempotent producer, a read_committed consumer, and the
//         latency of an exactly-once pipe of plain clients at the same rate
//         (consume, copy in one transaction with the offsets, read back
//         read_committed): the floor of the ledger's latency on this broker;
//   ledger: validated commands through the exactly-once processor (one
//           transaction per batch: events, outcomes, offsets), new
//           applications alone and the whole workflow (bench/workload.h);
//           p50/p99 command-to-acknowledgement latency at a fixed rate, for
//           each; and the rebuild of every view from the event topic.
//
//   scripts/kafka.sh start
//   ninja -C build kafka_bench
//   build/bench/kafka_bench 127.0.0.1:19092 [commands=100000] [rate=5000] [seconds=10]
//
// PL_NOFOLLOW=1 runs the ledger without its in-process view follower, to see
// what the follower costs the processor's throughput and latency.
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "bench/workload.h"
#include "events/kafka_clients.h"
#include "events/kafka_log.h"
#include "gateways/ledger.h"
#include "projections/kafka_command_processor.h"
#include "projections/projection_engine.h"

using namespace pl;
using Clock = std::chrono::steady_clock;

namespace {

double Secs(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string Tag() {
  std::random_device rd;
  return std::to_string(rd() % 1000000000);
}

Command Submit(const std::string& tag, int i) {
  Command c;
  c.id = CommandId("app-" + tag + "-" + std::to_string(i));
  c.stream = StreamId("permit-" + tag + "-" + std::to_string(i));
  c.actor = {"applicant", "applicant", c.stream.str()};
  SubmitApplication s;
  s.kelurahan = "31.74.10.1002";
  // A new person each time, as at a counter: a new vault key per command,
  // written to the key topic in the batch's transaction.
  s.personal = {bench::BenchNik(i), "Sari Wulandari",   "Jl. Mawar 1",
                "081234567890",     "3174050101010001", ""};
  s.business = {"Warung Bu Sari", "56103", "warung makan", 25000000, 180000000, 2, "owned"};
  s.documents = {"form", "undertaking", "ktp", "kk", "premises_photo", "premises_proof"};
  s.tracking_hash = HashToken("code-" + c.stream.str());
  c.action = std::move(s);
  return c;
}

// Waits for `n` callbacks.
struct Countdown {
  std::mutex m;
  std::condition_variable cv;
  int64_t left;
  explicit Countdown(int64_t n) : left(n) {}
  void Done() {
    std::lock_guard l(m);
    if (--left == 0) cv.notify_all();
  }
  void Wait() {
    std::unique_lock l(m);
    cv.wait(l, [&] { return left <= 0; });
  }
};

// Calls `send(i)` for i in [0, n) at `rate` per second from now.
void Paced(int n, int rate, const std::function<void(int)>& send) {
  const auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    std::this_thread::sleep_until(t0 +
                                  std::chrono::nanoseconds(static_cast<int64_t>(1e9 * i / rate)));
    send(i);
  }
}

struct Latency {
  double p50 = 0, p99 = 0, max = 0;
};

Latency Percentiles(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[ms.size() * 99 / 100], ms.back()};
}

// The machine's own floor for the latency figure: an exactly-once pipe of
// plain clients with the ledger's settings and no ledger work. Records of
// 330 B are produced at `rate` per second (idempotent producer) to one
// topic; one thread reads it in a consumer group and, per poll, copies what
// it got to a second topic in ONE transaction with its input offsets (two
// transactional producers in turn, as the processor); a read_committed
// reader of the second topic times each record from its send.
Latency RawPipeLatency(const KafkaClientOptions& client,
                       const std::function<KafkaLogOptions(const std::string&)>& log_options,
                       const std::string& tag, int32_t partitions, int rate, int seconds) {
  const std::string in = "bench.pipe-in." + tag, out = "bench.pipe-out." + tag;
  for (const auto& t : {in, out})
    if (auto log = KafkaLog::Open(log_options(t)); !log.ok()) {
      std::cerr << log.status().ToString() << "\n";
      std::exit(1);
    }
  auto consumer = KafkaGroupConsumer::Create(client, "bench.pipe." + tag, {in});
  std::array<std::unique_ptr<KafkaTransactionalProducer>, 2> tx;
  for (size_t i = 0; i < tx.size(); ++i) {
    auto p =
        KafkaTransactionalProducer::Create(client, "bench.pipe." + tag + "." + std::to_string(i));
    if (!p.ok() || !consumer.ok()) {
      std::cerr << (p.ok() ? consumer.status() : p.status()).ToString() << "\n";
      std::exit(1);
    }
    tx[i] = std::move(*p);
  }
  auto reader = KafkaTopicReader::Open(client, out);
  auto producer = KafkaProducer::Create(client);
  if (!reader.ok() || !producer.ok()) {
    std::cerr << "raw pipe clients failed\n";
    std::exit(1);
  }
  std::atomic<bool> stop{false};
  std::thread pipe([&] {
    for (uint64_t batches = 0; !stop;) {
      auto polled = (*consumer)->Poll(std::chrono::milliseconds(20), 4096);
      if (!polled.ok() || polled->empty()) continue;
      KafkaTransactionalProducer& t = *tx[batches++ % tx.size()];
      std::map<int32_t, int64_t> next;
      Status s = t.BeginTransaction();
      for (const auto& r : *polled) {
        if (s.ok()) s = t.Produce(out, r.partition, r.key, r.value);
        next[r.partition] = std::max(next[r.partition], r.offset + 1);
      }
      std::vector<TopicPartitionOffset> offsets;
      for (auto [p, o] : next) offsets.push_back({in, p, o});
      if (s.ok()) s = t.SendOffsetsToTransaction((*consumer)->GroupMetadata(), offsets);
      if (s.ok())
        if (auto committed = t.CommitTransaction(); !committed.ok()) s = committed.status();
      if (!s.ok()) {
        std::cerr << "raw pipe: " << s.ToString() << "\n";
        std::exit(1);
      }
    }
  });
  const int n = rate * seconds;
  std::vector<std::atomic<int64_t>> sent(n);  // ns since the clock's epoch
  auto stamp = [&](int i) { sent[i] = Clock::now().time_since_epoch().count(); };
  auto since = [&](int i) {
    return (Clock::now().time_since_epoch().count() - sent[i].load()) / 1e6;  // ms
  };
  std::vector<double> ms;
  ms.reserve(n);
  // Received: the index in the record's first bytes (n and above: warm-up).
  int warm = 0;
  auto receive = [&](int want, int want_warm, std::chrono::seconds patience) {
    for (auto end = Clock::now() + patience;
         (static_cast<int>(ms.size()) < want || warm < want_warm) && Clock::now() < end;) {
      auto recs = (*reader)->Poll(std::chrono::milliseconds(100), 10000);
      if (!recs.ok()) continue;
      for (const auto& r : *recs) {
        const int i = std::atoi(r.value.c_str());
        if (i < n)
          ms.push_back(since(i));
        else
          ++warm;
      }
    }
  };
  const std::string pad(320, 'x');
  // Warm-up, as the ledger's: the group joined, and both producers'
  // transactions through every partition (the first transaction to touch a
  // fresh partition waits for it).
  for (int round = 0; round < 4; ++round) {
    for (int32_t p = 0; p < partitions; ++p)
      (*producer)->Produce(in, p, "warm", std::to_string(n + p) + " " + pad, [](Status, Offset) {});
    receive(0, (round + 1) * partitions, std::chrono::seconds(60));
  }
  std::thread feed([&] {
    Paced(n, rate, [&](int i) {
      stamp(i);
      (*producer)->Produce(in, i % partitions, "k" + std::to_string(i),
                           std::to_string(i) + " " + pad, [](Status, Offset) {});
    });
  });
  receive(n, 0, std::chrono::seconds(seconds + 60));
  feed.join();
  stop = true;
  pipe.join();
  if (static_cast<int>(ms.size()) < n)
    std::cerr << "raw pipe: " << n - ms.size() << " records lost\n";
  return Percentiles(std::move(ms));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: kafka_bench BOOTSTRAP [commands] [rate] [seconds]\n";
    return 2;
  }
  const std::string bs = argv[1];
  const int commands = argc > 2 ? std::stoi(argv[2]) : 100000;
  const int rate = argc > 3 ? std::stoi(argv[3]) : 5000;
  const int seconds = argc > 4 ? std::stoi(argv[4]) : 10;
  const int32_t partitions = 12;
  const std::string tag = Tag();
  KafkaClientOptions client{bs, std::chrono::seconds(30), {}};
  auto log_options = [&](const std::string& topic) {
    KafkaLogOptions o;
    o.bootstrap_servers = bs;
    o.topic = topic;
    o.partitions = partitions;
    return o;
  };

  // ---- raw idempotent producer: records like commands (~330 bytes)
  const std::string raw_topic = "bench.raw." + tag;
  {
    if (auto t = KafkaLog::Open(log_options(raw_topic)); !t.ok()) {
      std::cerr << t.status().ToString() << "\n";
      return 1;
    }
  }
  const int raw_n = std::max(commands * 2, 200000);
  const std::string value(330, 'x');
  double raw_produce;
  {
    auto p = KafkaProducer::Create(client);
    Countdown cd(raw_n);
    std::atomic<int> failed{0};
    auto t0 = Clock::now();
    for (int i = 0; i < raw_n; ++i)
      (*p)->Produce(raw_topic, i % partitions, "k" + std::to_string(i), value,
                    [&](Status s, Offset) {
                      if (!s.ok()) ++failed;
                      cd.Done();
                    });
    cd.Wait();
    raw_produce = raw_n / Secs(t0, Clock::now());
    if (failed) std::cerr << failed << " raw records failed\n";
  }
  double raw_consume;
  {
    auto r = KafkaTopicReader::Open(client, raw_topic, std::vector<int64_t>(partitions, 0));
    auto t0 = Clock::now();
    int got = 0;
    while (got < raw_n) {
      auto recs = (*r)->Poll(std::chrono::milliseconds(1000), 10000);
      if (!recs.ok() || recs->empty()) break;
      got += recs->size();
    }
    raw_consume = got / Secs(t0, Clock::now());
  }
  std::cout << "raw idempotent producer:     " << static_cast<int64_t>(raw_produce)
            << " records/s (" << raw_n << " records of " << value.size() << " B, " << partitions
            << " partitions)\n"
            << "raw read_committed consumer: " << static_cast<int64_t>(raw_consume)
            << " records/s\n";
  const Latency raw_latency = RawPipeLatency(client, log_options, tag, partitions, rate, seconds);
  std::cout << "raw exactly-once pipe at " << rate << "/s for " << seconds << " s: p50 "
            << raw_latency.p50 << " ms, p99 " << raw_latency.p99 << " ms, max " << raw_latency.max
            << " ms\n";

  // ---- the ledger: one instance, processor in-process
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("pl-kafka-bench-" + tag)).string();
  LedgerOptions lo;
  lo.data_dir = dir;
  lo.kafka.bootstrap = bs;
  lo.kafka.topic_prefix = "bench." + tag;
  lo.kafka.partitions = partitions;
  lo.kafka.outcome_timeout = std::chrono::seconds(120);
  if (getenv("PL_NOFOLLOW")) lo.follow = false;
  auto ledger = Ledger::Open(lo);
  if (!ledger.ok()) {
    std::cerr << ledger.status().ToString() << "\n";
    return 1;
  }
  Ledger& l = **ledger;

  // Warm-up, as ledger_bench does: the first transactions on freshly
  // created topics wait about a second each for the partitions' leaders and
  // the transaction coordinator (a one-off of a new ledger, not its rate).
  {
    Countdown cd(1000);
    for (int i = 0; i < 1000; ++i) l.Submit(Submit(tag + "-warm", i), [&](Outcome) { cd.Done(); });
    cd.Wait();
  }

  // Throughput: everything submitted at once (the processor batches).
  // First applications alone, each of a new person (the costliest command:
  // a new vault key, sealed personal data, every view gains keys), then the
  // workflow as ledger_bench drives it on the embedded log: each permit's
  // application and the five actions to its issuance.
  double throughput;
  {
    Countdown cd(commands);
    std::atomic<int> bad{0};
    auto t0 = Clock::now();
    for (int i = 0; i < commands; ++i)
      l.Submit(Submit(tag, i), [&](Outcome o) {
        if (!o.error.ok() || o.refusal) ++bad;
        cd.Done();
      });
    cd.Wait();
    throughput = commands / Secs(t0, Clock::now());
    if (bad) std::cerr << bad << " commands failed or were refused\n";
  }
  std::cout << "exactly-once processor:      " << static_cast<int64_t>(throughput)
            << " commands/s (" << commands << " validated submit_application, "
            << "ratio to raw producer " << throughput / raw_produce << ")\n";
  bench::EnrolOfficers(l);
  const Charter& charter = *l.governance()->charter;
  {
    bench::Drive d = bench::DriveCommands(l, 0, commands / 6, 20000, "wf-" + tag + "-");
    if (d.errors || d.refused)
      std::cerr << d.errors << " commands failed, " << d.refused << " refused\n";
    std::cout << "exactly-once processor:      " << static_cast<int64_t>(d.commands / d.seconds)
              << " commands/s (" << d.commands << " commands of the workflow, 6 a permit, "
              << "ratio to raw producer " << d.commands / d.seconds / raw_produce << ")\n";
  }

  // Latency at a fixed rate: submit -> outcome read back by the gateway.
  auto latency = [&](const char* what, std::vector<Command> cmds) {
    const int n = static_cast<int>(cmds.size());
    std::vector<double> lat(n);
    Countdown cd(n);
    Paced(n, rate, [&](int i) {
      auto sent = Clock::now();
      l.Submit(std::move(cmds[i]), [&, i, sent](Outcome) {
        lat[i] = Secs(sent, Clock::now()) * 1000;
        cd.Done();
      });
    });
    cd.Wait();
    const Latency l = Percentiles(std::move(lat));
    std::cout << "latency at " << rate << "/s for " << seconds << " s (" << what << "): p50 "
              << l.p50 << " ms, p99 " << l.p99 << " ms, max " << l.max
              << " ms (p99 ratio to the raw pipe " << l.p99 / raw_latency.p99 << ")\n";
  };
  {
    std::vector<Command> cmds;
    for (int i = 0; i < rate * seconds; ++i) cmds.push_back(Submit(tag + "-lat", i));
    latency("applications", std::move(cmds));
  }
  {
    // Waves of a thousand permits, one step of each at a time: a permit's
    // next action comes 1,000 commands after its last, as officers work
    // through their queues.
    const int wave = 1000, n = rate * seconds;
    std::vector<Command> cmds;
    for (int first = 0; static_cast<int>(cmds.size()) < n; first += wave) {
      std::vector<std::vector<Command>> paths;
      for (int i = first; i < first + wave; ++i)
        paths.push_back(bench::HappyPath(i, charter, "wf-lat-" + tag + "-"));
      for (size_t step = 0; step < paths[0].size(); ++step)
        for (auto& path : paths) cmds.push_back(std::move(path[step]));
    }
    cmds.resize(n);
    latency("the workflow", std::move(cmds));
  }

  // Replay, as `permitledger replay` does it in a process of its own: the
  // ledger stopped, a fresh reader on the event topic. First the read alone
  // (KafkaLog::Read over every partition), then every view rebuilt into a
  // fresh store.
  const std::string events_topic = KafkaTopics::WithPrefix(lo.kafka.topic_prefix).events;
  ledger->reset();
  auto open_events = [&]() -> std::unique_ptr<KafkaLog> {
    auto log = KafkaLog::Open(log_options(events_topic));
    if (!log.ok()) {
      std::cerr << log.status().ToString() << "\n";
      std::exit(1);
    }
    return std::move(*log);
  };
  double read_rate;
  {
    auto log = open_events();
    auto t0 = Clock::now();
    uint64_t n = 0;
    for (int32_t p = 0; p < partitions; ++p) {
      for (uint64_t from = 0;;) {
        auto r = log->Read(PartitionId{p}, Offset{from}, 8192);
        if (!r.ok()) {
          std::cerr << r.status().ToString() << "\n";
          return 1;
        }
        if (r->empty()) break;
        n += r->size();
        from = r->back().offset.value + 1;
      }
    }
    read_rate = n / Secs(t0, Clock::now());
    std::cout << "read the event topic:        " << static_cast<int64_t>(read_rate) << " events/s ("
              << n << " events through KafkaLog::Read, ratio to raw consumer "
              << read_rate / raw_consume << ")\n";
  }
  {
    auto log = open_events();
    auto t0 = Clock::now();
    auto fresh =
        ProjectionEngine::Open(*log, AllProjections(), {dir + "/views.replay", 8192, true});
    auto n = (*fresh)->CatchUp();
    double secs = Secs(t0, Clock::now());
    if (!n.ok()) {
      std::cerr << n.status().ToString() << "\n";
      return 1;
    }
    std::cout << "rebuild every view:          " << static_cast<int64_t>(*n / secs) << " events/s ("
              << *n << " events in " << secs << " s, ratio to raw consumer "
              << (*n / secs) / raw_consume << ")\n";
  }
  std::filesystem::remove_all(dir);
  return 0;
}
