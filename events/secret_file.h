// Files that hold secrets beside the stores (the administrator's token, the
// server secret, the checkpoint signing key).
#pragma once

#include <string>

#include "events/result.h"

namespace pl {

// Creates `path` holding `contents`, readable by its owner only (0600 from
// the start, never world-readable), synced with its directory: after a
// crash the file either does not exist or is complete. An existing file is
// never replaced: code "key_exists" when `path` appeared meanwhile, else
// "key_file" with the system's reason.
Status WriteNewSecretFile(const std::string& path, const std::string& contents);

// Removes what a process killed while writing `path` left
// ("<path>.tmp.<pid>" of a process no longer running).
void RemoveStaleTemporaries(const std::string& path);

}  // namespace pl
