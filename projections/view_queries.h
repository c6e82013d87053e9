// Read side of the view store: what the gateways ask of the views.
// Every call reads one consistent RocksDB snapshot-free view of committed
// batches; results depend only on the events (and `today` where given).
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/charter.h"
#include "domain/state.h"

namespace rocksdb {
class DB;
}

namespace pl {

class ViewQueries {
 public:
  explicit ViewQueries(rocksdb::DB* db) : db_(db) {}

  // The charter the views were built under (null before one is adopted).
  std::shared_ptr<const Charter> charter() const;
  std::optional<PermitState> Permit(const std::string& permit_id) const;
  std::optional<std::string> PermitByTracking(const std::string& tracking_hash) const;
  // The audit trail of one stream, oldest first, as event JSON.
  std::vector<nlohmann::json> History(const std::string& stream) const;
  // What an officer (or the administrator) did, oldest first: at most
  // `limit` events (JSON, as in History) after the cursor `after` (empty:
  // from the start); `next` is the cursor of the last one, empty at the end.
  struct ActorTrailPage {
    std::vector<nlohmann::json> events;
    std::string next;
    bool unknown_cursor = false;  // `after` is not a `next` this gave
  };
  ActorTrailPage ActorTrail(const std::string& actor_id, const std::string& after,
                            size_t limit) const;
  // Ids of the permits of a kelurahan that are in `status`.
  std::vector<std::string> Queue(const std::string& kelurahan, const std::string& status) const;
  // Every permit of a kelurahan, in `status` (every status when empty), as
  // "<status>/<permit id>" in that order, from the first after `after` (one
  // of these, listed or not: a permit that has changed status since; empty:
  // from the start); at most `limit`.
  std::vector<std::string> Listed(const std::string& kelurahan, const std::string& status,
                                  const std::string& after, size_t limit) const;
  // Public statistics per kelurahan and for the whole kecamatan (docs/api.md).
  nlohmann::json Stats() const;
  // Public register entries in permit number order (by kelurahan, then year), from
  // the first number after `after` (all when empty); filtered by kelurahan
  // code and a case-insensitive substring of the business name or number.
  // At most `limit`.
  std::vector<nlohmann::json> Register(const std::string& kelurahan, const std::string& q,
                                       size_t limit, const std::string& after = "") const;
  std::optional<nlohmann::json> RegisterEntry(const std::string& permit_number) const;

 private:
  std::optional<std::string> Get(const std::string& key) const;

  rocksdb::DB* db_;
  mutable std::mutex mu_;
  mutable std::string charter_text_;                // guarded by mu_
  mutable std::shared_ptr<const Charter> charter_;  // guarded by mu_
};

// `s` as the register's search compares it: letters in lower case and
// without their accents (Latin letters: "Ébé", "ebe" and "EBE" are one;
// a name typed with combining accents too), each run of white space (the
// no-break space included) one space, none at the ends.
std::string SearchFolded(std::string_view s);

}  // namespace pl
