#pragma once

// Errors cross the core boundary as values in the core's own vocabulary; adapters map them
// (to HTTP statuses, exit codes...) in one place each.

#include <chrono>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace marketing_events {

enum class ErrorCode {
  invalid_fields,      // data that breaks a rule; every broken field is named
  invalid_parameters,  // a malformed request for data (a query); every bad parameter is named
  not_found,           // absent, or owned by someone else: indistinguishable on purpose
  conflict,            // a unique fact is already taken (e-mail)
  version_mismatch,    // the caller's expected version is not the current one
  unauthenticated,     // bad credentials or token; the reason stays in `detail`, for logs only
  too_many_attempts,   // throttled; see `retry_after`
  unavailable,         // a dependency (the store) cannot be reached right now
  internal,            // a bug or an unexpected state; never shown to users in detail
};

[[nodiscard]] const char* to_string(ErrorCode code) noexcept;

struct FieldError {
  std::string field;
  std::string message;

  friend bool operator==(const FieldError&, const FieldError&) = default;
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  // What went wrong, for operators' logs. Not meant for the client.
  std::string detail;
  std::vector<FieldError> fields;
  std::chrono::seconds retry_after{0};

  [[nodiscard]] static Error of(ErrorCode code, std::string detail = {}) {
    return Error{code, std::move(detail), {}, std::chrono::seconds{0}};
  }
  [[nodiscard]] static Error invalid(ErrorCode code, std::vector<FieldError> fields) {
    return Error{code, {}, std::move(fields), std::chrono::seconds{0}};
  }
};

// A value or an error (the core's Error unless an adapter names its own); a small stand-in for
// C++23's std::expected.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = E;

  // Implicit on purpose: `return value;` and `return Error{...};` both read naturally.
  Result(T value)  // NOLINT(google-explicit-constructor,hicpp-explicit-conversions)
      : state_(std::in_place_index<0>, std::move(value)) {}
  Result(E error)  // NOLINT(google-explicit-constructor,hicpp-explicit-conversions)
      : state_(std::in_place_index<1>, std::move(error)) {}

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  [[nodiscard]] T& value() & { return std::get<0>(state_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(state_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
  [[nodiscard]] const E& error() const& { return std::get<1>(state_); }
  [[nodiscard]] E&& error() && { return std::get<1>(std::move(state_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The next step on the value (a function returning a Result with the same error type), or
  // this error passed on.
  template <typename Next>
  auto and_then(Next&& next) const& -> std::invoke_result_t<Next, const T&> {
    if (has_value()) {
      return std::invoke(std::forward<Next>(next), value());
    }
    return error();
  }

 private:
  std::variant<T, E> state_;
};

template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(E error)  // NOLINT(google-explicit-constructor,hicpp-explicit-conversions)
      : error_(std::move(error)), failed_(true) {}

  [[nodiscard]] bool has_value() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] const E& error() const& { return error_; }
  [[nodiscard]] E&& error() && { return std::move(error_); }

 private:
  E error_;
  bool failed_ = false;
};

}  // namespace marketing_events
