#include "gateways/transparency_gateway.h"

#include <qrencode.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "events/utf8.h"
#include "gateways/url.h"
#include "projections/encoding.h"
#include "projections/rocksdb_key_reader.h"
#include "projections/transparency_projection.h"

namespace pl {
namespace {

using json = nlohmann::json;

std::string B64(const Hash& h) { return Base64Encode(HashBytes(h)); }

json HashArray(const std::vector<Hash>& hashes) {
  json a = json::array();
  for (const auto& h : hashes) a.push_back(B64(h));
  return a;
}

HttpResponse Body(const HttpRequest& req, http::status status, const std::string& type,
                  std::string body) {
  HttpResponse res{status, req.version()};
  res.set(http::field::content_type, type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http::status StatusFor(const Status& s) {
  if (s.code() == "out_of_range" || s.code() == "not_found") return http::status::not_found;
  return http::status::internal_server_error;
}

// Size and root of a stored (self-signed) note.
Result<Checkpoint> Open(const CheckpointPublisher& pub, const std::string& note) {
  return VerifyCheckpoint(note, pub.verifier_key());
}

json CheckpointJson(const Checkpoint& c, const std::string& note) {
  return {{"tree_size", c.size}, {"root", B64(c.root)}, {"note", note}};
}

// Leaf `index`, whose data is `data`: its data (if `show_data`), hash and
// inclusion proof in the tree of `size`.
Result<json> LeafProof(const KeyReader& reader, uint64_t index, uint64_t size,
                       const std::string& data, bool show_data = true) {
  auto proof = TransparencyProjection::Tree().InclusionProof(reader, index, size);
  if (!proof.ok()) return proof.status();
  return json{{"leaf_index", index},
              {"leaf_data", show_data ? json(Base64Encode(data)) : json(nullptr)},
              {"leaf_hash", B64(HashLeaf(data))},
              {"tree_size", size},
              {"inclusion_proof", HashArray(*proof)}};
}

Result<json> LeafProof(const KeyReader& reader, uint64_t index, uint64_t size) {
  auto data = TransparencyProjection::LeafData(reader, index);
  if (!data.ok()) return data.status();
  return LeafProof(reader, index, size, *data);
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string s = Base64Encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return s;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string s(text);
  for (char c : s)
    if (c == '+' || c == '/' || c == '=') return std::nullopt;
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (s.size() % 4) s.push_back('=');
  return Base64Decode(s);
}

std::string BeyondLatest(uint64_t held, uint64_t latest) {
  return "your checkpoint (size " + std::to_string(held) +
         ") is larger than the latest one here (" + std::to_string(latest) +
         "), and a log only grows. Fetch the answer again in a minute (a server may lag a few "
         "seconds behind another of the same log); if its latest stays below your checkpoint, "
         "the log was rolled back or shows different verifiers different histories: keep both "
         "checkpoints and this answer as evidence";
}

std::string FormatVerificationCode(const VerificationCode& c) {
  return "v1." + Base64UrlEncode(c.permit_number) + "." + std::to_string(c.leaf) + "." +
         std::to_string(c.size);
}

namespace {

std::vector<std::string_view> CodeParts(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// The number of a code's parts; nullopt when it is not one.
std::optional<std::string> NumberOf(const std::vector<std::string_view>& parts) {
  if (parts.size() != 4 || parts[0] != "v1") return std::nullopt;
  auto number = Base64UrlDecode(parts[1]);
  // A number is text: bytes that are not, or that hold a control character
  // (which no path reaches), are no code of this ledger.
  if (!number || number->empty() || !IsUtf8(*number) || FirstControl(*number, true))
    return std::nullopt;
  return number;
}

}  // namespace

std::string VerificationLink(std::string_view public_url, std::string_view host,
                             const std::string& code) {
  std::string base(public_url);
  // A host name, an IPv4 or [IPv6] address and a port: nothing else is put
  // in a link printed on a permit.
  const bool plain =
      !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
      });
  if (base.empty() && plain) base = "http://" + std::string(host);
  while (base.ends_with('/')) base.pop_back();
  return base.empty() ? code : base + "/?verify=" + code;
}

std::string_view CodeOfLink(std::string_view text) {
  if (!text.starts_with("http://") && !text.starts_with("https://")) return text;
  for (std::string_view key : {"?verify=", "&verify="})
    if (size_t at = text.find(key); at != std::string_view::npos) {
      std::string_view code = text.substr(at + key.size());
      return code.substr(0, code.find_first_of("&#"));
    }
  return text;
}

std::optional<std::string> VerificationCodeNumber(std::string_view text) {
  return NumberOf(CodeParts(text));
}

std::optional<VerificationCode> ParseVerificationCode(std::string_view text) {
  const auto parts = CodeParts(text);
  auto number = NumberOf(parts);
  if (!number) return std::nullopt;
  auto leaf = ParseDecimal(parts[2]);
  auto size = ParseDecimal(parts[3]);
  if (!leaf || !size || *leaf >= *size) return std::nullopt;
  return VerificationCode{*number, *leaf, *size};
}

std::string QrSvg(const std::string& text) {
  QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) return "";
  const int w = qr->width, quiet = 4, total = w + 2 * quiet;
  std::string path;
  for (int y = 0; y < w; ++y) {
    for (int x = 0; x < w; ++x) {
      if (qr->data[y * w + x] & 1) {
        // Runs of dark modules in a row become one rectangle.
        int run = 1;
        while (x + run < w && (qr->data[y * w + x + run] & 1)) ++run;
        const std::string width = std::to_string(run);
        path.append("M").append(std::to_string(x + quiet)).append(" ");
        path.append(std::to_string(y + quiet)).append("h").append(width);
        path.append("v1h-").append(width).append("z");
        x += run - 1;
      }
    }
  }
  QRcode_free(qr);
  const std::string t = std::to_string(total);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
         t + " " + t + "\" width=\"" + std::to_string(total * 8) + "\" height=\"" +
         std::to_string(total * 8) + "\" shape-rendering=\"crispEdges\">\n<rect width=\"" + t +
         "\" height=\"" + t + "\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"" + path +
         "\"/>\n</svg>\n";
}

bool TransparencyGateway::LeafIsPublic(const Envelope& event) {
  return event.stream == kGovernanceStream || std::holds_alternative<PermitIssued>(event.payload) ||
         std::holds_alternative<PermitRevoked>(event.payload);
}

bool TransparencyGateway::LeafNamesPseudonym(const Envelope& event) {
  return std::holds_alternative<ApplicationSubmitted>(event.payload) ||
         std::holds_alternative<PersonalDataErased>(event.payload);
}

void TransparencyGateway::Handle(const HttpRequest& req, const std::vector<std::string>& parts,
                                 Caller caller, const MayReadPermit& may_read,
                                 const Respond& respond) {
  const std::string_view target(req.target().data(), req.target().size());
  auto bad = [&](const std::string& message) {
    respond(ErrorResponse(req, http::status::bad_request, "invalid_parameter", message));
  };
  auto fail = [&](const Status& s) {
    const http::status status = StatusFor(s);
    if (status != http::status::internal_server_error)
      return respond(ErrorResponse(req, status, s.code(), s.message()));
    // The server's own trouble, in words (and paths) for its operator.
    spdlog::error("transparency: {}: {}", s.code(), s.message());
    respond(ErrorResponse(req, status, s.code(),
                          "the transparency log could not answer now (" + s.code() +
                              "; the server's log says why); try again later"));
  };
  auto not_found = [&](const std::string& message) {
    respond(ErrorResponse(req, http::status::not_found, "not_found", message));
  };
  auto wrong_method = [&](const char* allow) { respond(MethodNotAllowed(req, allow)); };
  // The query of the resource routed to, once `takes` has read it.
  std::optional<Query> query;
  // Whether the query names only parameters in `names`; false after
  // answering 400.
  auto takes = [&](std::initializer_list<std::string_view> names) {
    query = QueryOrRefuse(req, names, respond);
    return query.has_value();
  };
  // Whether the request is a GET taking `names`; false after answering.
  auto get_taking = [&](std::initializer_list<std::string_view> names) {
    if (req.method() != http::verb::get) {
      wrong_method("GET, HEAD");
      return false;
    }
    return takes(names);
  };
  // A decimal query parameter; false (after responding 400) when malformed.
  auto number = [&](std::string_view name, std::optional<uint64_t>& out) {
    auto raw = query->Get(name);
    if (!raw) return true;
    out = ParseDecimal(*raw);
    if (!out)
      bad(std::string(name) +
          " must be a decimal number without leading zeroes, below 2^64, got \"" +
          raw->substr(0, 40) + "\"");
    return out.has_value();
  };
  CheckpointPublisher* pub = ledger_.transparency();
  if (!pub)
    return respond(ErrorResponse(req, http::status::service_unavailable, "unavailable",
                                 "this ledger publishes no checkpoints"));
  const size_t n = parts.size();
  // Whether the caller may read the data of a leaf (decoded from it): a
  // refusal's reason, or "" when it may.
  auto refusal = [&](const std::string& data) -> Result<std::string> {
    auto event = Decode(data);
    if (!event.ok())
      return Status("corrupt_view",
                    "a leaf of the log does not decode: " + event.status().message());
    if (caller == Caller::kAdmin || LeafIsPublic(*event)) return std::string();
    if (!may_read(event->stream))
      return std::string(caller == Caller::kAnonymous ? "unauthenticated" : "outside_jurisdiction");
    if (caller == Caller::kApplicant && LeafNamesPseudonym(*event)) return std::string("pseudonym");
    return std::string();
  };
  // The latest checkpoint, publishing the first one if there is none yet.
  auto latest = [&]() -> Result<StoredCheckpoint> {
    if (auto c = pub->checkpoints().Latest()) return *c;
    auto p = pub->Publish();
    if (!p.ok()) return p.status();
    if (!*p) return Status("not_found", "the transparency log is empty: no checkpoint yet");
    return **p;
  };
  // Said of a size beyond the latest checkpoint's when `param` (the size)
  // was left out, so that the latest's was taken.
  auto taken_latest = [&](const char* param) {
    return query->Get(param) ? std::string()
                             : std::string(
                                   " (the latest checkpoint's; a larger tree is signed "
                                   "within seconds while the log grows: ask again then)");
  };

  if (n == 3 && parts[2] == "checkpoint") {
    if (req.method() == http::verb::post) {
      if (!takes({})) return;
      if (caller == Caller::kAnonymous)
        return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                     "publishing a checkpoint needs the administrator's token"));
      if (caller != Caller::kAdmin)
        return respond(ErrorResponse(req, http::status::forbidden, "role_not_permitted",
                                     "only the administrator publishes checkpoints on demand"));
      auto p = pub->Publish();
      if (!p.ok()) return fail(p.status());
      if (!*p) return not_found("the transparency log is empty: no checkpoint yet");
      return respond(Body(req, http::status::ok, "text/plain; charset=utf-8", (*p)->note));
    }
    if (req.method() != http::verb::get) return wrong_method("GET, HEAD, POST");
    if (!takes({"size"})) return;
    std::optional<uint64_t> size;
    if (!number("size", size)) return;
    if (size) {
      auto c = pub->checkpoints().AtSize(*size);
      if (!c)
        return not_found("no checkpoint was published for tree size " + std::to_string(*size));
      return respond(Body(req, http::status::ok, "text/plain; charset=utf-8", c->note));
    }
    auto c = latest();
    if (!c.ok()) return fail(c.status());
    return respond(Body(req, http::status::ok, "text/plain; charset=utf-8", c->note));
  }
  if (n == 3 && parts[2] == "key") {
    if (!get_taking({})) return;
    return respond(
        Body(req, http::status::ok, "text/plain; charset=utf-8", pub->verifier_key() + "\n"));
  }
  if (n == 4 && parts[2] == "leaves") {
    if (!get_taking({"format"})) return;
    auto index = ParseDecimal(parts[3]);
    if (!index)
      return bad(
          "the leaf index must be a decimal number without leading zeroes, below 2^64, "
          "got \"" +
          parts[3].substr(0, 40) + "\"");
    RocksSnapshotReader snapshot(ledger_.engine().db());
    CachingKeyReader reader(snapshot, pub->tile_cache());
    auto data = TransparencyProjection::LeafData(reader, *index);
    if (!data.ok()) return fail(data.status());
    auto refused = refusal(*data);
    if (!refused.ok()) return fail(refused.status());
    if (*refused == "pseudonym")
      return respond(ErrorResponse(
          req, http::status::forbidden, "role_not_permitted",
          "the data of leaf " + std::to_string(*index) +
              " holds the applicant's pseudonym, which the tracking code does not show; the "
              "application itself is in GET /v1/permits/{id}/history, and the leaf's hash and "
              "inclusion proof are public (/v1/transparency/proof/inclusion?index=" +
              std::to_string(*index) + ")"));
    if (!refused->empty()) {
      const std::string why = "the data of leaf " + std::to_string(*index) +
                              " is an event of a permit's history, which may carry an "
                              "applicant's data; its hash and inclusion proof are public "
                              "(/v1/transparency/proof/inclusion?index=" +
                              std::to_string(*index) + ")";
      if (*refused == "unauthenticated")
        return respond(ErrorResponse(req, http::status::unauthorized, "unauthenticated",
                                     why + "; its data needs the token of an officer of the "
                                           "permit's kelurahan, a monitor, an auditor or the "
                                           "administrator, or the applicant's tracking code"));
      return respond(ErrorResponse(req, http::status::forbidden, "outside_jurisdiction",
                                   why + "; the permit is outside your jurisdiction"));
    }
    auto format = query->Get("format");
    if (!format || *format == "raw")
      return respond(Body(req, http::status::ok, "application/octet-stream", std::move(*data)));
    if (*format != "json") return bad("format must be raw or json");
    auto event = TransparencyProjection::EventAt(reader, *index);
    if (!event.ok()) return fail(event.status());
    json j = {{"leaf_index", *index},
              {"leaf_data", Base64Encode(*data)},
              {"leaf_hash", B64(HashLeaf(*data))},
              {"stream", event->stream.str()},
              {"seq", event->seq}};
    return respond(JsonResponse(req, http::status::ok, j.dump()));
  }
  if (n == 4 && parts[2] == "proof" && parts[3] == "inclusion") {
    if (!get_taking({"index", "size"})) return;
    std::optional<uint64_t> index, size;
    if (!number("index", index) || !number("size", size)) return;
    if (!index) return bad("index is required: the leaf index to prove");
    if (!size) {
      auto c = latest();
      if (!c.ok()) return fail(c.status());
      size = c->size;
    }
    if (*index >= *size)
      return respond(ErrorResponse(req, http::status::unprocessable_entity, "out_of_range",
                                   "leaf index " + std::to_string(*index) +
                                       " is not below tree size " + std::to_string(*size) +
                                       taken_latest("size")));
    RocksSnapshotReader snapshot(ledger_.engine().db());
    CachingKeyReader reader(snapshot, pub->tile_cache());
    const MerkleTree& tree = TransparencyProjection::Tree();
    auto root = tree.Root(reader, *size);
    if (!root.ok()) return fail(root.status());
    auto data = TransparencyProjection::LeafData(reader, *index);
    if (!data.ok()) return fail(data.status());
    auto refused = refusal(*data);
    if (!refused.ok()) return fail(refused.status());
    auto proof = LeafProof(reader, *index, *size, *data, refused->empty());
    if (!proof.ok()) return fail(proof.status());
    json j = std::move(*proof);
    j["root"] = B64(*root);
    auto c = pub->checkpoints().AtSize(*size);
    j["checkpoint"] = c ? json(c->note) : json(nullptr);
    return respond(JsonResponse(req, http::status::ok, j.dump()));
  }
  if (n == 4 && parts[2] == "proof" && parts[3] == "consistency") {
    if (!get_taking({"first", "second"})) return;
    std::optional<uint64_t> first, second;
    if (!number("first", first) || !number("second", second)) return;
    if (!first) return bad("first is required: the tree size of the older checkpoint");
    if (!second) {
      auto c = latest();
      if (!c.ok()) return fail(c.status());
      second = c->size;
    }
    if (*first > *second)
      return respond(ErrorResponse(req, http::status::unprocessable_entity, "out_of_range",
                                   "first tree size " + std::to_string(*first) +
                                       " exceeds second tree size " + std::to_string(*second) +
                                       taken_latest("second")));
    RocksSnapshotReader snapshot(ledger_.engine().db());
    CachingKeyReader reader(snapshot, pub->tile_cache());
    const MerkleTree& tree = TransparencyProjection::Tree();
    auto root2 = tree.Root(reader, *second);
    if (!root2.ok()) return fail(root2.status());
    auto root1 = tree.Root(reader, *first);
    if (!root1.ok()) return fail(root1.status());
    auto proof = tree.ConsistencyProof(reader, *first, *second);
    if (!proof.ok()) return fail(proof.status());
    json j = {{"first", *first},
              {"second", *second},
              {"first_root", B64(*root1)},
              {"second_root", B64(*root2)},
              {"consistency_proof", HashArray(*proof)}};
    return respond(JsonResponse(req, http::status::ok, j.dump()));
  }
  not_found("no such resource: " + std::string(PathOf(target)));
}

void TransparencyGateway::AddProofs(json& history) {
  CheckpointPublisher* pub = ledger_.transparency();
  if (!pub || !history.contains("events")) return;
  json& events = history["events"];
  const std::string stream = history.value("permit_id", "");
  std::vector<std::optional<uint64_t>> leaves;
  uint64_t max_leaf = 0;
  bool any = false;
  {
    RocksSnapshotReader snapshot(ledger_.engine().db());
    CachingKeyReader reader(snapshot, pub->tile_cache());
    for (const auto& e : events) {
      auto leaf = TransparencyProjection::LeafIndexOf(reader, StreamId(stream),
                                                      e.value("seq", uint64_t{0}));
      leaves.push_back(leaf.ok() ? std::optional<uint64_t>(*leaf) : std::nullopt);
      if (leaf.ok()) max_leaf = std::max(max_leaf, *leaf), any = true;
    }
  }
  if (!any) return;
  if (auto c = pub->Covering(max_leaf); !c.ok()) return;
  auto latest = pub->checkpoints().Latest();
  if (!latest) return;
  auto cp = Open(*pub, latest->note);
  if (!cp.ok()) return;
  RocksSnapshotReader snapshot(ledger_.engine().db());
  CachingKeyReader reader(snapshot, pub->tile_cache());
  for (size_t i = 0; i < events.size(); ++i) {
    if (!leaves[i]) continue;
    auto proof = TransparencyProjection::Tree().InclusionProof(reader, *leaves[i], cp->size);
    if (!proof.ok()) continue;
    events[i]["leaf_index"] = *leaves[i];
    events[i]["inclusion_proof"] = HashArray(*proof);
  }
  history["checkpoint"] = CheckpointJson(*cp, latest->note);
}

json TransparencyGateway::Verification(const std::string& permit_number,
                                       std::optional<uint64_t> held) {
  CheckpointPublisher* pub = ledger_.transparency();
  if (!pub) return nullptr;
  std::optional<IssuedLeaf> issued;
  std::optional<uint64_t> revoked;
  {
    RocksSnapshotReader snapshot(ledger_.engine().db());
    CachingKeyReader reader(snapshot, pub->tile_cache());
    auto i = TransparencyProjection::IssuedLeafOf(reader, permit_number);
    if (!i.ok()) return nullptr;
    issued = *i;
    auto r = TransparencyProjection::RevokedLeafOf(reader, issued->stream);
    if (r.ok()) revoked = *r;
  }
  auto at_issue = pub->Covering(issued->leaf);
  if (!at_issue.ok()) return nullptr;
  if (revoked && !pub->Covering(*revoked).ok()) return nullptr;
  auto latest = pub->checkpoints().Latest();
  auto cp_issue = Open(*pub, at_issue->note);
  auto cp_latest = Open(*pub, latest->note);
  if (!cp_issue.ok() || !cp_latest.ok()) return nullptr;

  RocksSnapshotReader snapshot(ledger_.engine().db());
  CachingKeyReader reader(snapshot, pub->tile_cache());
  auto proof = LeafProof(reader, issued->leaf, cp_issue->size);
  if (!proof.ok()) return nullptr;
  json v = std::move(*proof);
  v["code"] = FormatVerificationCode({permit_number, issued->leaf, cp_issue->size});
  v["permit_number"] = permit_number;
  v["checkpoint"] = at_issue->note;
  v["verifier_key"] = pub->verifier_key();
  auto consistency =
      TransparencyProjection::Tree().ConsistencyProof(reader, cp_issue->size, cp_latest->size);
  if (!consistency.ok()) return nullptr;
  v["latest"] = {{"tree_size", cp_latest->size},
                 {"checkpoint", latest->note},
                 {"consistency_proof", HashArray(*consistency)}};
  if (held && *held >= 1 && *held <= cp_latest->size) {
    auto tie = TransparencyProjection::Tree().ConsistencyProof(reader, *held, cp_latest->size);
    if (!tie.ok()) return nullptr;
    v["held"] = {{"tree_size", *held}, {"consistency_proof", HashArray(*tie)}};
  } else if (held && *held > cp_latest->size) {
    // A log only grows: a checkpoint held beyond this one is of a log that
    // was rolled back or shows verifiers different histories, or this
    // server lags behind another of the same log.
    v["held"] = {{"tree_size", *held},
                 {"beyond_latest", true},
                 {"message", BeyondLatest(*held, cp_latest->size)}};
  }
  if (revoked) {
    auto r = LeafProof(reader, *revoked, cp_latest->size);
    if (!r.ok()) return nullptr;
    v["revocation"] = std::move(*r);
  }
  return v;
}

std::string TransparencyGateway::IssuedNumber(const std::string& as_typed) const {
  std::string typed(CodeOfLink(DropBlanks(as_typed)));
  // The verification code a permit's QR code holds names its number.
  if (auto number = VerificationCodeNumber(typed)) typed = std::move(*number);
  const auto& views = ledger_.queries();
  if (views.RegisterEntry(typed)) return typed;
  std::string upper = Capitals(typed);
  if (views.RegisterEntry(upper)) return upper;
  // The permit id alone (its number's last part), as the register's
  // search finds it: the number it was issued under.
  if (typed.find('/') == std::string::npos)
    if (auto permit = views.Permit(upper); permit && !permit->permit_number.empty())
      return permit->permit_number;
  return typed;
}

std::string DropBlanks(std::string_view as_typed) {
  // A number holds no blank: those around it (pasted from a page) or its
  // slashes (typed from paper) are dropped, the no-break and other Unicode
  // spaces of a PDF or a web page and the unseen zero-width characters too;
  // other dashes are read as the hyphen.
  std::string typed;
  for (size_t i = 0; i < as_typed.size(); ++i) {
    const auto byte = [&](size_t k) {
      return i + k < as_typed.size() ? static_cast<unsigned char>(as_typed[i + k]) : 0u;
    };
    const unsigned b0 = byte(0), b1 = byte(1), b2 = byte(2);
    size_t blank = 0;  // the bytes of a blank at i
    if (b0 == ' ' || b0 == '\t' || b0 == '\r' || b0 == '\n')
      blank = 1;
    else if (b0 == 0xC2 && (b1 == 0xA0 || b1 == 0xAD))  // U+00A0 no-break space, soft hyphen
      blank = 2;
    else if ((b0 == 0xE2 && b1 == 0x80 &&
              ((b2 >= 0x80 && b2 <= 0x8F) || (b2 >= 0xAA && b2 <= 0xAF))) ||
             (b0 == 0xE2 && b1 == 0x81 &&
              (b2 == 0x9F || b2 == 0xA0 || (b2 >= 0xA6 && b2 <= 0xA9))) ||
             (b0 == 0xE3 && b1 == 0x80 && b2 == 0x80) || (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF))
      blank = 3;  // U+2000..200F (spaces, zero-width, LRM, RLM), U+202A..202F (embeddings,
                  // narrow no-break space), U+205F, U+2060, U+2066..2069, U+3000, U+FEFF
    if (blank) {
      i += blank - 1;
      continue;
    }
    // A word processor's or a PDF's dashes are the hyphen a permit type
    // may hold ("SPP-IRT") or a tracking code's: U+2010..2015, the minus sign U+2212, the small
    // and fullwidth hyphen-minus U+FE63, U+FF0D.
    if ((b0 == 0xE2 && b1 == 0x80 && b2 >= 0x90 && b2 <= 0x95) ||
        (b0 == 0xE2 && b1 == 0x88 && b2 == 0x92) || (b0 == 0xEF && b1 == 0xB9 && b2 == 0xA3) ||
        (b0 == 0xEF && b1 == 0xBC && b2 == 0x8D)) {
      typed.push_back('-');
      i += 2;
      continue;
    }
    typed.push_back(as_typed[i]);
  }
  return typed;
}

void TransparencyGateway::GetQr(const HttpRequest& req, const std::string& permit_number,
                                const std::string& public_url, const Respond& respond) {
  json v = Verification(IssuedNumber(permit_number));
  if (v.is_null())
    return respond(ErrorResponse(req, http::status::not_found, "unknown_permit",
                                 "the log has issued no permit " + permit_number));
  const auto host = req.find(http::field::host);
  std::string svg = QrSvg(
      VerificationLink(public_url, host == req.end() ? "" : std::string(host->value()), v["code"]));
  if (svg.empty())
    return respond(ErrorResponse(req, http::status::internal_server_error, "internal",
                                 "the verification code does not fit a QR code"));
  respond(Body(req, http::status::ok, "image/svg+xml", std::move(svg)));
}

}  // namespace pl
