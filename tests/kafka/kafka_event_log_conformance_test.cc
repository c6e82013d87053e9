// The EventLog conformance suite (tests/events/event_log_conformance.h) on
// KafkaLog against a real broker.
#include "tests/events/event_log_conformance.h"
#include "tests/kafka/kafka_env.h"

namespace pl {
namespace {

struct KafkaTraits {
  static std::string NewName() { return kafkatest::Unique("conformance"); }
  static std::unique_ptr<EventLog> Open(const std::string& name, int32_t partitions) {
    EXPECT_FALSE(kafkatest::Bootstrap().empty())
        << "KAFKA_BOOTSTRAP is not set: run `scripts/kafka.sh start` and export "
           "KAFKA_BOOTSTRAP=127.0.0.1:19092";
    KafkaLogOptions o;
    o.bootstrap_servers = kafkatest::Bootstrap();
    o.topic = name;
    o.partitions = partitions;
    o.transactional_id = name + "-writer";
    o.timeout = std::chrono::seconds(20);
    auto log = KafkaLog::Open(o);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    if (!log.ok()) return nullptr;
    return std::move(*log);
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Kafka, EventLogConformance, KafkaTraits);

}  // namespace
}  // namespace pl
