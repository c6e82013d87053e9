// Strict reading of JSON request bodies: every field is declared with its
// type; unknown fields, wrong types and missing required fields are refused
// with a reason code and a message naming the field.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pl {

struct InputError {
  std::string code;  // malformed_json, unknown_field, wrong_type, missing_field
  std::string message;
};

class JsonInput {
 public:
  // Parses `body` as a JSON object.
  static JsonInput Parse(const std::string& body);
  // Reads the object at `field` of a parent (the error names the full path).
  JsonInput Object(const std::string& field, bool required = true);

  std::string String(const std::string& field, bool required = true, size_t max_len = 2000);
  std::optional<std::string> OptionalString(const std::string& field, size_t max_len = 2000);
  // A string on one line (a name, a label, a number): no line break or tab
  // either ("invalid_text").
  std::string Line(const std::string& field, bool required = true, size_t max_len = 2000);
  std::optional<std::string> OptionalLine(const std::string& field, size_t max_len = 2000);
  // A whole number within [min, max] ("wrong_type" otherwise).
  int64_t Integer(const std::string& field, bool required = true, int64_t min = INT64_MIN,
                  int64_t max = INT64_MAX);
  std::optional<uint64_t> OptionalUnsigned(const std::string& field);
  bool Bool(const std::string& field, bool required = true);
  std::vector<std::string> Strings(const std::string& field, bool required = true);
  // Call last: refuses any field that was not read.
  void RejectUnknown();

  bool ok() const { return !error_->has_value(); }
  const InputError& error() const { return **error_; }

 private:
  JsonInput(nlohmann::json value, std::string path,
            std::shared_ptr<std::optional<InputError>> error)
      : value_(std::move(value)), path_(std::move(path)), error_(std::move(error)) {}
  // OptionalString or OptionalLine: nullopt when absent or refused.
  std::optional<std::string> Optional(const std::string& field, size_t max_len, bool one_line);
  // The field's value, or null when it is absent (and missing_field if
  // `required`) or null (wrong_type: `what` names what to send instead).
  const nlohmann::json* Field(const std::string& field, bool required, std::string_view what);
  void Fail(std::string code, std::string message);
  // False (and fails invalid_text) when `s` holds a control character.
  bool CheckText(const std::string& field, const std::string& s);
  std::string Name(const std::string& field) const;

  nlohmann::json value_;
  std::string path_;
  std::set<std::string> seen_;
  std::shared_ptr<std::optional<InputError>> error_;  // shared with nested objects
};

}  // namespace pl
