// A minimal JSON text writer for the hottest paths (GET /v1/permits/{id},
// the views' feed messages and register entries): it appends to one string,
// with no intermediate tree. Its output is what nlohmann::json::dump() gives
// for the same document, provided the caller writes each object's keys in
// sorted order (nlohmann's objects are sorted maps): compact, strings escaped the same way (\" \\ \b \f \n \r \t, other
// control characters as \u00xx, everything else as is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pl {

class JsonWriter {
 public:
  explicit JsonWriter(size_t reserve = 2048) { out_.reserve(reserve); }
  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view k) {
    Separate();
    Quote(k);
    out_.push_back(':');
    after_key_ = true;
    return *this;
  }
  JsonWriter& String(std::string_view v) {
    Separate();
    Quote(v);
    return *this;
  }
  JsonWriter& Int(int64_t v) {
    Separate();
    out_ += std::to_string(v);
    return *this;
  }
  JsonWriter& UInt(uint64_t v) {
    Separate();
    out_ += std::to_string(v);
    return *this;
  }
  JsonWriter& Bool(bool v) {
    Separate();
    out_ += v ? "true" : "false";
    return *this;
  }
  JsonWriter& Null() {
    Separate();
    out_ += "null";
    return *this;
  }
  template <class Strings>
  JsonWriter& StringArray(const Strings& items) {
    BeginArray();
    for (const auto& s : items) String(s);
    return EndArray();
  }
  std::string Take() { return std::move(out_); }

 private:
  JsonWriter& Open(char c) {
    Separate();
    out_.push_back(c);
    first_ = true;
    return *this;
  }
  JsonWriter& Close(char c) {
    out_.push_back(c);
    first_ = false;
    return *this;
  }
  // A comma before every value or key but the first of its container.
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  void Quote(std::string_view s) {
    static const char* hex = "0123456789abcdef";
    out_.push_back('"');
    size_t run = 0;  // start of the characters that need no escape
    for (size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          out_ += "\\u00";
          out_.push_back(hex[c >> 4]);
          out_.push_back(hex[c & 15]);
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_.push_back('"');
  }

  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace pl
