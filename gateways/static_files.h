// Serves the web pages (web/dist, built by scripts/build-web.sh) on the same
// port as the API: GET / is index.html, /track is track.html, /officer is
// officer.html, anything else is a file under the root. HTML is served with
// "Cache-Control: no-cache" (revalidated through its ETag), the hashed assets
// under /assets/ as immutable for a year. Paths with "..", hidden segments or
// backslashes are refused; a missing file is a 404 JSON error like the API's.
//
// Thread safety: Serve may be called from any number of threads; files are
// read from disk on each request, so a rebuilt web/dist needs no restart.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "gateways/http_server.h"

namespace pl {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  const std::filesystem::path& root() const { return root_; }
  // The response to a GET (or HEAD) of req.target().
  HttpResponse Serve(const HttpRequest& req) const;

 private:
  std::filesystem::path root_;
};

// The Content-Type for a file name, by its extension.
std::string_view ContentTypeFor(std::string_view filename);

// The web directory used when --web is not given.
inline std::string DefaultWebDir() { return PL_SOURCE_DIR "/web/dist"; }

}  // namespace pl
