// Internal helpers shared by the Kafka adapters and clients
// (events/kafka_*.cc): configuration, handle deleters, error mapping, and the
// topic administration KafkaLog::Open does (kafka_topic_admin.cc). Not part
// of any public interface; includes librdkafka.
#pragma once

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "events/kafka_log.h"

namespace pl::kafka_internal {

using Clock = std::chrono::steady_clock;

inline int Ms(std::chrono::milliseconds d) {
  return static_cast<int>(std::clamp<int64_t>(d.count(), 0, 24 * 3600 * 1000));
}
inline int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return Ms(left);
}

inline std::string RandomSuffix() {
  static std::atomic<uint64_t> counter{0};
  std::random_device rd;
  uint64_t r = (uint64_t{rd()} << 32) ^ rd() ^ counter.fetch_add(1);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, r);
  return buf;
}

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* c) const { rd_kafka_conf_destroy(c); }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

struct ListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
using ListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, ListDeleter>;

struct ErrorDeleter {
  void operator()(rd_kafka_error_t* e) const { rd_kafka_error_destroy(e); }
};
using ErrorPtr = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;

struct QueueDeleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;

struct EventDeleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;

struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

inline bool IsTransient(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
    case RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE:
      return true;
    default:
      return false;
  }
}

// rd_kafka_producev of one record, copied, for an explicit partition; with
// the kRequestHeader header when `request` is not empty.
inline rd_kafka_resp_err_t ProduceRecord(rd_kafka_t* rk, const std::string& topic,
                                         int32_t partition, std::string_view key,
                                         std::string_view value, std::string_view request,
                                         void* opaque) {
  if (request.empty())
    return rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
                             RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(opaque),
                             RD_KAFKA_V_END);
  rd_kafka_headers_t* headers = rd_kafka_headers_new(1);
  rd_kafka_header_add(headers, kRequestHeader, -1, request.data(),
                      static_cast<ssize_t>(request.size()));
  rd_kafka_resp_err_t err =
      rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                        RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
                        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
                        RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) rd_kafka_headers_destroy(headers);  // else the record's
  return err;
}

// A consumed message as a ConsumedRecord.
inline ConsumedRecord ToConsumedRecord(const rd_kafka_message_t& m) {
  ConsumedRecord r;
  r.topic = rd_kafka_topic_name(m.rkt);
  r.partition = m.partition;
  r.offset = m.offset;
  if (m.key) r.key.assign(static_cast<const char*>(m.key), m.key_len);
  if (m.payload) r.value.assign(static_cast<const char*>(m.payload), m.len);
  rd_kafka_headers_t* headers = nullptr;
  const void* v = nullptr;
  size_t n = 0;
  if (rd_kafka_message_headers(&m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR &&
      rd_kafka_header_get_last(headers, kRequestHeader, &v, &n) == RD_KAFKA_RESP_ERR_NO_ERROR && v)
    r.request.assign(static_cast<const char*>(v), n);
  return r;
}

inline Status KafkaStatus(rd_kafka_resp_err_t err, const std::string& what) {
  std::string msg = what + ": " + rd_kafka_err2str(err) + " (" + rd_kafka_err2name(err) + ")";
  return Status(IsTransient(err) ? "unavailable" : "kafka_error", std::move(msg));
}

// Batching, traded against latency. A producer waits up to 5 ms to fill a
// request, and the broker holds a consumer's fetch until 100 kB are there or
// its fetch.wait.max.ms (5 ms for the readers of a running ledger) passed.
// With librdkafka's defaults (1 byte, and linger 1 ms as this project had
// it), every command and outcome under load travelled in a request of its
// own; the broker, on the same two cores, answered thousands of requests a
// second. Measured with kafka_bench in six alternating pairs
// (docs/performance.md): p99 at 5,000 commands/s fell from 199-459 ms to
// 132-217 ms, and at 1,000/s from 81-202 ms to 69-77 ms.
inline constexpr const char* kLingerMs = "5";
inline constexpr const char* kFetchMinBytes = "100000";

// librdkafka's log lines (events/kafka_log_lines.cc), in the server's log
// format instead of its raw "%3|<epoch>|..." on stderr, and each kind (the
// line without its numbers) once per 30 s with the count of those left out:
// a lost broker otherwise fills the log from every client handle at once.
void LogLine(const rd_kafka_t* rk, int level, const char* facility, const char* text);

// A configuration with the bootstrap servers, the caller's extra properties,
// then ours (which win: they are what the guarantees rest on).
inline Result<ConfPtr> MakeConf(const std::string& bootstrap,
                                const std::map<std::string, std::string>& extra,
                                std::initializer_list<std::pair<const char*, std::string>> ours) {
  if (bootstrap.empty()) return Status("invalid_argument", "no Kafka bootstrap servers given");
  ConfPtr conf(rd_kafka_conf_new());
  rd_kafka_conf_set_log_cb(conf.get(), &LogLine);
  char errstr[512];
  auto set = [&](const std::string& k, const std::string& v) -> Status {
    if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
      return Status("invalid_argument", "Kafka client property " + k + "=" + v + ": " + errstr);
    }
    return Status::Ok();
  };
  if (auto s = set("bootstrap.servers", bootstrap); !s.ok()) return s;
  if (auto s = set("log.connection.close", "false"); !s.ok()) return s;
  for (const auto& [k, v] : extra)
    if (auto s = set(k, v); !s.ok()) return s;
  for (const auto& [k, v] : ours)
    if (auto s = set(k, v); !s.ok()) return s;
  return conf;
}

// A consumer that reads partitions it assigns itself, read_committed, never
// committing offsets (the group id is unique and unused). `eof`: report the
// end of a partition; `reset`: where to start when an offset is out of range;
// `fetch_wait_ms`: how long the broker may hold a fetch.
inline Result<ConfPtr> ReaderConf(const std::string& bootstrap,
                                  const std::map<std::string, std::string>& extra,
                                  const std::string& name, bool eof, const char* reset,
                                  int fetch_wait_ms) {
  return MakeConf(bootstrap, extra,
                  {{"group.id", name + "-" + RandomSuffix()},
                   {"isolation.level", "read_committed"},
                   {"enable.auto.commit", "false"},
                   {"enable.auto.offset.store", "false"},
                   {"enable.partition.eof", eof ? "true" : "false"},
                   {"auto.offset.reset", reset},
                   {"fetch.min.bytes", kFetchMinBytes},
                   {"fetch.wait.max.ms", std::to_string(fetch_wait_ms)},
                   {"allow.auto.create.topics", "false"}});
}

inline Result<rd_kafka_t*> NewClient(rd_kafka_type_t type, ConfPtr conf) {
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr, sizeof errstr);
  if (!rk) return Status("invalid_argument", std::string("creating Kafka client: ") + errstr);
  conf.release();  // owned by rk now
  return rk;
}

inline ListPtr ToList(const std::vector<TopicPartitionOffset>& v) {
  ListPtr l(rd_kafka_topic_partition_list_new(static_cast<int>(v.size())));
  for (const auto& t : v)
    rd_kafka_topic_partition_list_add(l.get(), t.topic.c_str(), t.partition)->offset = t.offset;
  return l;
}

inline std::vector<TopicPartitionOffset> FromList(const rd_kafka_topic_partition_list_t* l) {
  std::vector<TopicPartitionOffset> v;
  if (!l) return v;
  for (int i = 0; i < l->cnt; ++i)
    v.push_back({l->elems[i].topic, l->elems[i].partition, l->elems[i].offset});
  return v;
}

// The fatal error of a client, if it has one.
inline std::string FatalError(rd_kafka_t* rk) {
  char buf[512];
  rd_kafka_resp_err_t err = rd_kafka_fatal_error(rk, buf, sizeof buf);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return {};
  return std::string(rd_kafka_err2name(err)) + ": " + buf;
}

// Up to `max` records of a consumer, waiting up to `timeout` for the first
// only. A record's error is skipped (transient, or reported by librdkafka's
// log; it retries) unless the client failed fatally: then kafka_error,
// naming `who`.
inline Result<std::vector<ConsumedRecord>> PollRecords(rd_kafka_t* rk,
                                                       std::chrono::milliseconds timeout,
                                                       size_t max, const char* who) {
  std::vector<ConsumedRecord> out;
  int wait = Ms(timeout);
  while (out.size() < max) {
    MessagePtr m(rd_kafka_consumer_poll(rk, wait));
    if (!m) break;
    wait = 0;
    if (m->err) {
      if (std::string f = FatalError(rk); !f.empty())
        return Status("kafka_error", std::string(who) + " failed fatally: " + f);
      continue;
    }
    out.push_back(ToConsumedRecord(*m));
  }
  return out;
}

// ------------------------------------------------- topic administration
// For KafkaLog::Open; defined in kafka_topic_admin.cc.

struct TopicInfo {
  bool exists = false;
  int32_t partitions = 0;
  bool all_have_leaders = false;
};

// The topic as the cluster's metadata has it (exists=false: no such topic).
Result<TopicInfo> DescribeTopic(rd_kafka_t* rk, const std::string& topic, int timeout_ms);

// Creates the topic the options describe (one made meanwhile is no error).
Status CreateTopic(rd_kafka_t* rk, const KafkaLogOptions& o);

// What a topic's configuration says beyond the broker's defaults.
struct TopicConfig {
  int64_t segment_ms = -1;  // in force, whatever its source; -1: not reported
  std::vector<std::pair<std::string, std::string>> own;  // set on the topic itself
  bool own_hidden = false;  // a setting of the topic's own whose value the broker hides
  // The settings the ledger relies on (cleanup, retention), in force.
  std::vector<std::pair<std::string, std::string>> relied_on;
  bool sources_known = true;  // false: the broker did not say where a setting comes from
};

// Refuses a topic that would not keep every event forever; returns its
// configuration.
Result<TopicConfig> CheckTopicConfig(rd_kafka_t* rk, const KafkaLogOptions& o);

// A topic whose records leave before their segment expires (the command
// topic's decided commands, the key topic's destroyed keys) rolls its
// segments hourly, so that their bytes leave the disks. A topic created
// before this was so, or by someone else, is set so here, keeping every
// other setting of its own (AlterConfigs replaces them all); where the
// ledger may not (no AlterConfigs right, a hidden setting), it says how.
void RollSegmentsHourly(rd_kafka_t* rk, const KafkaLogOptions& o, const TopicConfig& config);

}  // namespace pl::kafka_internal
