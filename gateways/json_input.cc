#include "gateways/json_input.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "events/strict_json.h"
#include "events/utf8.h"

namespace pl {

JsonInput JsonInput::Parse(const std::string& body) {
  auto error = std::make_shared<std::optional<InputError>>();
  auto parsed = ParseStrictJson(body);
  nlohmann::json v = parsed.ok() ? std::move(*parsed) : nlohmann::json();
  if (!parsed.ok()) {
    *error = InputError{"malformed_json", "the request body " + parsed.status().message()};
  } else if (!v.is_object()) {
    *error = InputError{"malformed_json", "the request body must be a JSON object"};
  }
  return JsonInput(std::move(v), "", error);
}

std::string JsonInput::Name(const std::string& field) const {
  return path_.empty() ? field : path_ + "." + field;
}

void JsonInput::Fail(std::string code, std::string message) {
  if (!error_->has_value()) *error_ = InputError{std::move(code), std::move(message)};
}

const nlohmann::json* JsonInput::Field(const std::string& field, bool required,
                                       std::string_view what) {
  seen_.insert(field);
  if (!ok() || !value_.is_object()) return nullptr;
  auto it = value_.find(field);
  if (it == value_.end()) {
    if (required) Fail("missing_field", "the field '" + Name(field) + "' is required");
    return nullptr;
  }
  // A null is no value, and not the field left out either: a client whose
  // variable was unset would otherwise have its request taken without it
  // (a command_id: a second application on a retry).
  if (it->is_null()) {
    Fail("wrong_type", "the field '" + Name(field) +
                           "' is null, which is not a value for it: " + "send " +
                           std::string(what) + (required ? "" : ", or leave the field out"));
    return nullptr;
  }
  return &*it;
}

JsonInput JsonInput::Object(const std::string& field, bool required) {
  const nlohmann::json* f = Field(field, required, "an object");
  if (f && !f->is_object()) {
    Fail("wrong_type", "the field '" + Name(field) + "' must be an object");
    f = nullptr;
  }
  return JsonInput(f ? *f : nlohmann::json::object(), Name(field), error_);
}

// Control characters (a NUL, an escape, the C1 controls U+0080-U+009F that
// terminals read as escapes, the bidirectional overrides that show a text
// in another order) are nothing a clerk typed; line breaks and tabs are, in
// notes and reasons. `s` is valid UTF-8 (the JSON parser's).
bool JsonInput::CheckText(const std::string& field, const std::string& s) {
  const auto code = FirstControl(s, /*line_breaks_too=*/false);
  if (!code) return true;
  Fail("invalid_text",
       "the field '" + Name(field) + "' holds the control character " + *code + "; remove it");
  return false;
}

std::string JsonInput::String(const std::string& field, bool required, size_t max_len) {
  const nlohmann::json* f = Field(field, required, "a string");
  if (!f) return "";
  if (!f->is_string()) {
    Fail("wrong_type", "the field '" + Name(field) + "' must be a string");
    return "";
  }
  const auto& s = f->get_ref<const std::string&>();
  if (!CheckText(field, s)) return "";
  if (s.size() > max_len && Utf8Length(s) > max_len) {
    Fail("field_too_long", "the field '" + Name(field) + "' is longer than " +
                               std::to_string(max_len) + " characters");
    return "";
  }
  return s;
}

std::optional<std::string> JsonInput::Optional(const std::string& field, size_t max_len,
                                               bool one_line) {
  if (!value_.is_object() || !value_.contains(field)) {
    seen_.insert(field);
    return std::nullopt;
  }
  std::string s = one_line ? Line(field, /*required=*/false, max_len)
                           : String(field, /*required=*/false, max_len);
  if (!ok()) return std::nullopt;
  return s;
}

std::optional<std::string> JsonInput::OptionalString(const std::string& field, size_t max_len) {
  return Optional(field, max_len, /*one_line=*/false);
}

std::string JsonInput::Line(const std::string& field, bool required, size_t max_len) {
  std::string s = String(field, required, max_len);
  if (const auto code = FirstControl(s, /*line_breaks_too=*/true); code && ok()) {
    Fail("invalid_text", "the field '" + Name(field) + "' is written on one line: it holds " +
                             *code + " (a line break or a tab); write it on one line");
    return "";
  }
  return s;
}

std::optional<std::string> JsonInput::OptionalLine(const std::string& field, size_t max_len) {
  return Optional(field, max_len, /*one_line=*/true);
}

int64_t JsonInput::Integer(const std::string& field, bool required, int64_t min, int64_t max) {
  const nlohmann::json* f = Field(field, required, "a whole number");
  if (!f) return 0;
  // A whole number past 64 bits reaches here as a floating-point one.
  if (f->is_number_float() && std::abs(f->get<double>()) >= 9.2e18) {
    Fail("wrong_type",
         "the field '" + Name(field) + "' is too " + (f->get<double>() < 0 ? "small" : "large"));
    return 0;
  }
  if (!f->is_number_integer()) {
    Fail("wrong_type",
         "the field '" + Name(field) + "' must be a whole number" +
             (f->is_number_float() ? ", written without a decimal point or exponent (e.g. 25000000)"
                                   : ""));
    return 0;
  }
  if ((f->is_number_unsigned() && f->get<uint64_t>() > static_cast<uint64_t>(max)) ||
      (!f->is_number_unsigned() && f->get<int64_t>() > max)) {
    Fail("wrong_type", "the field '" + Name(field) + "' is too large");
    return 0;
  }
  if (!f->is_number_unsigned() && f->get<int64_t>() < min) {
    Fail("wrong_type", "the field '" + Name(field) + "' is too small");
    return 0;
  }
  return f->get<int64_t>();
}

std::optional<uint64_t> JsonInput::OptionalUnsigned(const std::string& field) {
  // Left out is no value; a null is a mistake (for expected_version it would
  // silently turn the version check off): Field refuses it.
  const nlohmann::json* f = Field(field, false, "a whole number of 0 or more");
  if (!f) return std::nullopt;
  if (f->is_number_float() && f->get<double>() >= 1.8e19) {
    Fail("wrong_type", "the field '" + Name(field) + "' is too large");
    return std::nullopt;
  }
  if (!f->is_number_integer() ||
      (f->is_number_integer() && f->get<int64_t>() < 0 && !f->is_number_unsigned())) {
    Fail(
        "wrong_type",
        "the field '" + Name(field) + "' must be a whole number of 0 or more" +
            (f->is_number_float() ? ", written without a decimal point or exponent (e.g. 3)" : ""));
    return std::nullopt;
  }
  return f->get<uint64_t>();
}

bool JsonInput::Bool(const std::string& field, bool required) {
  const nlohmann::json* f = Field(field, required, "true or false");
  if (!f) return false;
  if (!f->is_boolean()) {
    Fail("wrong_type", "the field '" + Name(field) + "' must be true or false");
    return false;
  }
  return f->get<bool>();
}

std::vector<std::string> JsonInput::Strings(const std::string& field, bool required) {
  const nlohmann::json* f = Field(field, required, "a list of strings");
  std::vector<std::string> out;
  if (!f) return out;
  if (!f->is_array() || f->size() > 100) {
    Fail("wrong_type", "the field '" + Name(field) + "' must be a list of at most 100 strings");
    return out;
  }
  for (const auto& e : *f) {
    if (!e.is_string()) {
      Fail("wrong_type",
           "every item of '" + Name(field) + "' must be a string of at most 200 characters");
      return {};
    }
    const auto& item = e.get_ref<const std::string&>();
    if (!CheckText(field, item)) return {};
    if (item.size() > 200 && Utf8Length(item) > 200) {
      Fail("field_too_long", "item " + std::to_string(out.size() + 1) + " of '" + Name(field) +
                                 "' is longer than 200 characters (it has " +
                                 std::to_string(Utf8Length(item)) + ")");
      return {};
    }
    out.push_back(e.get<std::string>());
  }
  return out;
}

void JsonInput::RejectUnknown() {
  if (!ok() || !value_.is_object()) return;
  for (const auto& [k, v] : value_.items()) {
    if (!seen_.count(k)) {
      Fail("unknown_field", "the field '" + Name(k) + "' is not part of this request");
      return;
    }
  }
}

}  // namespace pl
