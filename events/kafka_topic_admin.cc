// Topic administration for KafkaLog::Open (declared in
// events/kafka_internal.h): a topic's metadata, its creation, the check of
// its configuration against what the ledger relies on, and the hourly
// rolling of the segments of a topic whose records leave early.
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <string>

#include "events/kafka_internal.h"

namespace pl::kafka_internal {

namespace {

// Runs one admin request and returns its result event.
template <class Start>
Result<EventPtr> AdminCall(rd_kafka_t* rk, rd_kafka_admin_op_t op, int timeout_ms, Start start) {
  QueuePtr q(rd_kafka_queue_new(rk));
  rd_kafka_AdminOptions_t* opts = rd_kafka_AdminOptions_new(rk, op);
  char errstr[512];
  rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, errstr, sizeof errstr);
  start(opts, q.get());
  rd_kafka_AdminOptions_destroy(opts);
  EventPtr ev(rd_kafka_queue_poll(q.get(), timeout_ms + 5000));
  if (!ev) return Status("unavailable", "admin request timed out");
  if (rd_kafka_event_error(ev.get()))
    return KafkaStatus(rd_kafka_event_error(ev.get()),
                       std::string("admin request: ") + rd_kafka_event_error_string(ev.get()));
  return ev;
}

// The segment.ms of a topic whose records leave before their retention.
constexpr int64_t kHourlySegmentsMs = 3600000;

// What a topic must keep whatever else changes: kept explicitly by an
// alteration, even were the broker to report them as defaults.
constexpr const char* kReliedOn[] = {"cleanup.policy",      "retention.ms",
                                     "retention.bytes",     "delete.retention.ms",
                                     "min.insync.replicas", "min.cleanable.dirty.ratio"};

}  // namespace

Result<TopicInfo> DescribeTopic(rd_kafka_t* rk, const std::string& topic, int timeout_ms) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms);
  rd_kafka_topic_destroy(rkt);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaStatus(err, "metadata of topic " + topic);
  TopicInfo info;
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& t = md->topics[i];
    if (topic != t.topic) continue;
    if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) break;
    if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR && t.err != RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE) {
      Status s = KafkaStatus(t.err, "metadata of topic " + topic);
      rd_kafka_metadata_destroy(md);
      return s;
    }
    info.exists = true;
    info.partitions = t.partition_cnt;
    info.all_have_leaders = t.partition_cnt > 0;
    for (int j = 0; j < t.partition_cnt; ++j)
      if (t.partitions[j].leader < 0 || t.partitions[j].err) info.all_have_leaders = false;
  }
  rd_kafka_metadata_destroy(md);
  return info;
}

Status CreateTopic(rd_kafka_t* rk, const KafkaLogOptions& o) {
  char errstr[512];
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(o.topic.c_str(), o.partitions,
                                                  o.replication_factor, errstr, sizeof errstr);
  if (!nt) return Status("invalid_argument", std::string("topic ") + o.topic + ": " + errstr);
  if (o.compacted) {
    rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "compact");
    rd_kafka_NewTopic_set_config(nt, "segment.ms", std::to_string(kHourlySegmentsMs).c_str());
    rd_kafka_NewTopic_set_config(nt, "min.cleanable.dirty.ratio", "0.01");
    // Tombstones for good (a century): they name the destroyed keys, which
    // an instance away for any time must learn of.
    rd_kafka_NewTopic_set_config(nt, "delete.retention.ms", "3153600000000");
  } else {
    rd_kafka_NewTopic_set_config(nt, "retention.ms", std::to_string(o.retention_ms).c_str());
    rd_kafka_NewTopic_set_config(nt, "retention.bytes", "-1");
    // A transient topic rolls its segments hourly: records deleted before
    // their time (the command topic's decided commands) leave the disks
    // with their segment.
    if (o.retention_ms != -1)
      rd_kafka_NewTopic_set_config(nt, "segment.ms", std::to_string(kHourlySegmentsMs).c_str());
    rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "delete");
  }
  rd_kafka_NewTopic_set_config(nt, "min.insync.replicas",
                               std::to_string(o.min_insync_replicas).c_str());
  auto ev = AdminCall(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, Ms(o.timeout),
                      [&](rd_kafka_AdminOptions_t* opts, rd_kafka_queue_t* q) {
                        rd_kafka_CreateTopics(rk, &nt, 1, opts, q);
                      });
  rd_kafka_NewTopic_destroy(nt);
  if (!ev.ok()) return ev.status();
  const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev->get());
  size_t n = 0;
  const rd_kafka_topic_result_t** topics = rd_kafka_CreateTopics_result_topics(res, &n);
  for (size_t i = 0; i < n; ++i) {
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(topics[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
      continue;
    const char* msg = rd_kafka_topic_result_error_string(topics[i]);
    return Status(IsTransient(err) ? "unavailable" : "kafka_error",
                  "creating topic " + o.topic + ": " + rd_kafka_err2name(err) + ": " +
                      (msg ? msg : rd_kafka_err2str(err)));
  }
  return Status::Ok();
}

Result<TopicConfig> CheckTopicConfig(rd_kafka_t* rk, const KafkaLogOptions& o) {
  TopicConfig config;
  rd_kafka_ConfigResource_t* res =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, o.topic.c_str());
  auto ev = AdminCall(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, Ms(o.timeout),
                      [&](rd_kafka_AdminOptions_t* opts, rd_kafka_queue_t* q) {
                        rd_kafka_DescribeConfigs(rk, &res, 1, opts, q);
                      });
  rd_kafka_ConfigResource_destroy(res);
  if (!ev.ok()) return ev.status();
  const rd_kafka_DescribeConfigs_result_t* r = rd_kafka_event_DescribeConfigs_result(ev->get());
  size_t nres = 0;
  const rd_kafka_ConfigResource_t** rs = rd_kafka_DescribeConfigs_result_resources(r, &nres);
  for (size_t i = 0; i < nres; ++i) {
    if (rd_kafka_ConfigResource_error(rs[i]))
      return KafkaStatus(rd_kafka_ConfigResource_error(rs[i]), "configuration of " + o.topic);
    size_t n = 0;
    const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(rs[i], &n);
    for (size_t j = 0; j < n; ++j) {
      std::string name = rd_kafka_ConfigEntry_name(entries[j]);
      const char* v = rd_kafka_ConfigEntry_value(entries[j]);
      std::string value = v ? v : "";
      const rd_kafka_ConfigSource_t source = rd_kafka_ConfigEntry_source(entries[j]);
      if (source == RD_KAFKA_CONFIG_SOURCE_UNKNOWN_CONFIG) config.sources_known = false;
      if (source == RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG) {
        if (v)
          config.own.emplace_back(name, value);
        else
          config.own_hidden = true;
      } else if (v && std::find(std::begin(kReliedOn), std::end(kReliedOn), name) !=
                          std::end(kReliedOn)) {
        config.relied_on.emplace_back(name, value);
      }
      if (name == "segment.ms" && v) config.segment_ms = std::strtoll(v, nullptr, 10);
      auto refuse = [&](const std::string& why) {
        return Status("topic_mismatch",
                      "topic " + o.topic + " has " + name + "=" + value + ": " + why +
                          "; an event topic must keep every record forever "
                          "(cleanup.policy=delete, retention.ms=-1, retention.bytes=-1)");
      };
      if (o.compacted) {
        if (name == "cleanup.policy" && value != "compact")
          return Status("topic_mismatch",
                        "topic " + o.topic + " has cleanup.policy=" + value +
                            "; the vault's key topic must be compacted and never expire "
                            "(cleanup.policy=compact): expired keys would lose personal data");
        continue;
      }
      if (name == "cleanup.policy" && value.find("compact") != std::string::npos)
        return refuse("compaction would drop events");
      if (o.retention_ms == -1 && (name == "retention.ms" || name == "retention.bytes") &&
          value != "-1")
        return refuse("events would expire");
    }
  }
  return config;
}

void RollSegmentsHourly(rd_kafka_t* rk, const KafkaLogOptions& o, const TopicConfig& config) {
  if (config.segment_ms >= 0 && config.segment_ms <= kHourlySegmentsMs) return;
  auto advise = [&](const std::string& why) {
    spdlog::warn(
        "topic {} rolls its segments every {}, so records deleted sooner stay on the "
        "brokers' disks until then; {}. Set it with: kafka-configs.sh --bootstrap-server {} "
        "--alter --entity-type topics --entity-name {} --add-config segment.ms={}",
        o.topic,
        config.segment_ms < 0 ? std::string("(unreported) ms")
                              : std::to_string(config.segment_ms) + " ms",
        why, o.bootstrap_servers, o.topic, kHourlySegmentsMs);
  };
  if (config.own_hidden) return advise("the ledger cannot keep a hidden setting of the topic");
  if (!config.sources_known)
    return advise("the broker does not say which settings are the topic's own, to keep them");
  rd_kafka_ConfigResource_t* res =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, o.topic.c_str());
  for (const auto* settings : {&config.own, &config.relied_on})
    for (const auto& [name, value] : *settings)
      if (name != "segment.ms")
        rd_kafka_ConfigResource_set_config(res, name.c_str(), value.c_str());
  rd_kafka_ConfigResource_set_config(res, "segment.ms", std::to_string(kHourlySegmentsMs).c_str());
  auto ev = AdminCall(rk, RD_KAFKA_ADMIN_OP_ALTERCONFIGS, Ms(o.timeout),
                      [&](rd_kafka_AdminOptions_t* opts, rd_kafka_queue_t* q) {
                        rd_kafka_AlterConfigs(rk, &res, 1, opts, q);
                      });
  rd_kafka_ConfigResource_destroy(res);
  if (!ev.ok()) return advise("setting it failed: " + ev.status().message());
  size_t n = 0;
  const rd_kafka_ConfigResource_t** rs =
      rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev->get()), &n);
  for (size_t i = 0; i < n; ++i)
    if (rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(rs[i]))
      return advise(std::string("setting it failed: ") + rd_kafka_err2name(err) + ": " +
                    (rd_kafka_ConfigResource_error_string(rs[i])
                         ? rd_kafka_ConfigResource_error_string(rs[i])
                         : rd_kafka_err2str(err)));
  spdlog::info("topic {}: segment.ms set to {} (was {})", o.topic, kHourlySegmentsMs,
               config.segment_ms);
}

}  // namespace pl::kafka_internal
