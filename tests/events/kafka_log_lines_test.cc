// librdkafka's log lines reach the server's log once per kind per 30 s: a
// lost broker is reported by every client handle, every second.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "events/kafka_internal.h"

namespace pl::kafka_internal {
namespace {

TEST(KafkaLogLines, EachKindOfLineIsLoggedOnceWhileItRepeats) {
  std::ostringstream out;
  auto before = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
  for (int i = 0; i < 50; ++i)
    LogLine(nullptr, 3, "FAIL",
            ("127.0.0.1:39092/1: Connect to ipv4#127.0.0.1:39092 failed: Connection refused "
             "(after " +
             std::to_string(i) + "ms in state CONNECT)")
                .c_str());
  LogLine(nullptr, 3, "ERROR", "1/1 brokers are down");
  spdlog::set_default_logger(before);
  const std::string said = out.str();
  size_t lines = 0;
  for (size_t at = said.find('\n'); at != std::string::npos; at = said.find('\n', at + 1)) ++lines;
  EXPECT_EQ(lines, 2u) << said;
  EXPECT_NE(said.find("[error] kafka kafka FAIL: 127.0.0.1:39092/1: Connect to"), std::string::npos)
      << said;
  EXPECT_NE(said.find("kafka kafka ERROR: 1/1 brokers are down"), std::string::npos) << said;
}

}  // namespace
}  // namespace pl::kafka_internal
