// The EventLog conformance suite on the embedded log.
#include "events/embedded_log.h"
#include "tests/events/event_log_conformance.h"
#include "tests/scratch.h"

namespace pl {
namespace {

struct EmbeddedTraits {
  static std::string NewName() { return ::pl::scratch::ScratchDir("conformance"); }
  static std::unique_ptr<EventLog> Open(const std::string& name, int32_t partitions) {
    auto log = EmbeddedLog::Open({name, partitions, true});
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    if (!log.ok()) return nullptr;
    return std::move(*log);
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Embedded, EventLogConformance, EmbeddedTraits);

}  // namespace
}  // namespace pl
