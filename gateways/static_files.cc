#include "gateways/static_files.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

namespace pl {
namespace {

namespace fs = std::filesystem;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Decodes %XX escapes; returns false on a malformed escape or an encoded NUL.
bool DecodePath(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
      return false;
    char c = static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
    if (c == '\0') return false;
    out.push_back(c);
    i += 2;
  }
  return true;
}

// The file a URL path names, relative to the root; empty when the path is
// not acceptable (traversal, hidden segment, backslash).
std::string RelativeFile(const std::string& path) {
  if (path == "/" || path.empty()) return "index.html";
  if (path == "/track" || path == "/track/") return "track.html";
  if (path == "/officer" || path == "/officer/") return "officer.html";
  if (path.find('\\') != std::string::npos) return "";
  std::string rel;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string_view seg(path.data() + i, j - i);
    if (!seg.empty()) {
      if (seg == "." || seg == ".." || seg.front() == '.') return "";
      if (!rel.empty()) rel += '/';
      rel += seg;
    }
    i = j;
  }
  return rel;
}

std::string ETagOf(uintmax_t size, fs::file_time_type mtime) {
  auto ticks = mtime.time_since_epoch().count();
  std::ostringstream s;
  s << '"' << std::hex << size << '-' << ticks << '"';
  return s.str();
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  struct Type {
    std::string_view ext, type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  for (const auto& t : kTypes)
    if (EndsWith(name, t.ext)) return t.type;
  return "application/octet-stream";
}

namespace {

// Whether the request's Accept-Encoding takes gzip: named ("gzip" or
// "x-gzip") with a q above 0, or, when not named, "*" with one.
bool AcceptsGzip(const HttpRequest& req) {
  auto it = req.find(http::field::accept_encoding);
  if (it == req.end()) return false;
  std::string list(it->value().data(), it->value().size());
  std::erase_if(list, [](char c) { return c == ' ' || c == '\t'; });
  for (char& c : list) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::optional<bool> named, star;
  for (size_t at = 0; at <= list.size();) {
    const size_t comma = std::min(list.find(',', at), list.size());
    const std::string item = list.substr(at, comma - at);
    at = comma + 1;
    const std::string name = item.substr(0, item.find(';'));
    // q=0 (0.0, 0.00...) refuses it.
    bool takes = true;
    if (const size_t q = item.find(";q="); q != std::string::npos) {
      const std::string v = item.substr(q + 3, item.find(';', q + 3) - (q + 3));
      takes = v.empty() || v.find_first_not_of("0.") != std::string::npos;
    }
    if (name == "gzip" || name == "x-gzip") named = named.value_or(false) || takes;
    if (name == "*") star = takes;
  }
  return named ? *named : star.value_or(false);
}

}  // namespace

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {}

HttpResponse StaticFiles::Serve(const HttpRequest& req) const {
  std::string_view target(req.target().data(), req.target().size());
  std::string path;
  if (!DecodePath(PathOf(target), path))
    return ErrorResponse(req, http::status::bad_request, "malformed_request",
                         "the path has a malformed %-escape");
  const std::string rel = RelativeFile(path);
  if (rel.empty())
    return ErrorResponse(req, http::status::bad_request, "malformed_request",
                         "the path may not contain '..', hidden names or backslashes");
  auto not_found = [&] {
    return ErrorResponse(req, http::status::not_found, "not_found",
                         "no such page or file: " + path +
                             // Where the server's files are is for its log, not for a client.
                             (fs::exists(root_ / "index.html")
                                  ? ""
                                  : " (this server has no web pages: its log says where it "
                                    "looked)"));
  };
  std::error_code ec;
  const fs::path file = root_ / rel;
  // Symbolic links must not lead out of the root either.
  const fs::path real = fs::weakly_canonical(file, ec);
  const fs::path real_root = fs::weakly_canonical(root_, ec);
  if (ec) return not_found();
  auto [r, f] = std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
  if (r != real_root.end()) return not_found();
  if (!fs::is_regular_file(real, ec)) return not_found();
  const uintmax_t size = fs::file_size(real, ec);
  if (ec) return not_found();
  const auto mtime = fs::last_write_time(real, ec);
  if (ec) return not_found();

  const bool immutable = rel.starts_with("assets/");
  const bool html = EndsWith(rel, ".html");
  // A copy compressed beside the file (scripts/build-web.sh makes them), to
  // a client that takes gzip: a third of the bytes on a phone's slow link.
  // (Its absence is no error: `gz_ec` then only says it is not there.)
  std::error_code gz_ec;
  const fs::path gz = fs::weakly_canonical(fs::path(real.string() + ".gz"), gz_ec);
  // Never a copy older than its file (one left from a build before).
  const bool has_gz = !gz_ec && fs::is_regular_file(gz, gz_ec) && !gz_ec &&
                      gz.parent_path() == real.parent_path() &&
                      fs::last_write_time(gz, gz_ec) >= mtime && !gz_ec;
  const bool send_gz = has_gz && AcceptsGzip(req);
  const fs::path& sent = send_gz ? gz : real;
  const uintmax_t sent_size = send_gz ? fs::file_size(gz, ec) : size;
  if (ec) return not_found();
  const std::string etag =
      send_gz ? ETagOf(sent_size, mtime).insert(1, "gz-") : ETagOf(size, mtime);
  HttpResponse res{http::status::ok, req.version() ? req.version() : 11};
  res.keep_alive(req.keep_alive());
  // Pages are checked again at every visit and never stored: the officer's
  // page shows personal data, which must not stay in a shared browser's cache.
  res.set(http::field::cache_control, immutable ? "public, max-age=31536000, immutable"
                                      : html    ? "no-store"
                                                : "no-cache");
  res.set(http::field::etag, etag);
  if (has_gz) res.set(http::field::vary, "Accept-Encoding");
  if (send_gz) res.set(http::field::content_encoding, "gzip");
  if (html) {
    res.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'");
    // Tracking codes may sit in the query string: never send them on.
    res.set("Referrer-Policy", "no-referrer");
  }
  if (auto inm = req.find(http::field::if_none_match);
      inm != req.end() && std::string_view(inm->value().data(), inm->value().size()) == etag) {
    res.result(http::status::not_modified);
    return res;
  }
  const std::string_view type = ContentTypeFor(rel);
  res.set(http::field::content_type, boost::beast::string_view(type.data(), type.size()));
  std::ifstream in(sent, std::ios::binary);
  if (!in) return not_found();
  std::string body(sent_size, '\0');
  in.read(body.data(), static_cast<std::streamsize>(sent_size));
  body.resize(static_cast<size_t>(in.gcount()));
  res.body() = std::move(body);
  return res;
}

}  // namespace pl
