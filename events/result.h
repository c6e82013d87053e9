// Errors that cross a boundary travel as values. Status carries a stable
// reason code and a message a person can act on; Result<T> is a value or a
// Status. Neither throws.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace pl {

class Status {
 public:
  Status() = default;  // OK
  Status(std::string code, std::string message)
      : code_(std::move(code)), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_.empty(); }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const { return ok() ? "ok" : code_ + ": " + message_; }

 private:
  std::string code_;
  std::string message_;
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : v_(std::move(error)) { assert(!std::get<Status>(v_).ok()); }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Status& status() const { return std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace pl
