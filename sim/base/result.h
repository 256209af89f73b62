// Result<T, E>: a value or an error, for failures that are part of the model (an errno, a
// diagnostic). TRY(expr) returns the error from the enclosing function, or yields the value.
// Exceptions are not used for modelled failures: they must not cross fiber boundaries.
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "sim/base/assert.h"

namespace procsim::base {

template <typename E>
struct Failure {
  E error;
};

template <typename E>
Failure<std::decay_t<E>> fail(E&& error) {
  return Failure<std::decay_t<E>>{std::forward<E>(error)};
}

template <typename T, typename E>
class [[nodiscard]] Result {
 public:
  using ValueType = T;
  using ErrorType = E;

  Result(T value) : m_storage(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Failure<E> failure) : m_storage(std::in_place_index<1>, std::move(failure.error)) {}

  bool ok() const { return m_storage.index() == 0; }
  bool is_error() const { return m_storage.index() == 1; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    PROCSIM_ASSERT(ok());
    return std::get<0>(m_storage);
  }
  const T& value() const& {
    PROCSIM_ASSERT(ok());
    return std::get<0>(m_storage);
  }
  T&& value() && {
    PROCSIM_ASSERT(ok());
    return std::get<0>(std::move(m_storage));
  }
  const E& error() const {
    PROCSIM_ASSERT(is_error());
    return std::get<1>(m_storage);
  }
  T value_or(T fallback) const { return ok() ? std::get<0>(m_storage) : fallback; }

  // For TRY: moves the value out.
  T release_value() { return std::move(value()); }
  E release_error() { return std::move(std::get<1>(m_storage)); }

 private:
  std::variant<T, E> m_storage;
};

// Result<void, E>: success carries nothing.
struct Unit {
  bool operator==(const Unit&) const = default;
};

template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  using ValueType = void;
  using ErrorType = E;

  Result() = default;
  Result(Failure<E> failure) : m_error(std::move(failure.error)), m_failed(true) {}

  bool ok() const { return !m_failed; }
  bool is_error() const { return m_failed; }
  explicit operator bool() const { return ok(); }
  const E& error() const {
    PROCSIM_ASSERT(m_failed);
    return m_error;
  }
  Unit release_value() { return Unit{}; }
  E release_error() { return std::move(m_error); }

 private:
  E m_error{};
  bool m_failed = false;
};

}  // namespace procsim::base

// TRY(expr): evaluates expr (a Result); on error returns base::fail(error) from the enclosing
// function; otherwise the expression's value. Uses a GNU statement expression (GCC and Clang).
#define TRY(expression)                                                      \
  ({                                                                         \
    auto _procsim_try_result = (expression);                                 \
    if (_procsim_try_result.is_error()) [[unlikely]]                         \
      return ::procsim::base::fail(_procsim_try_result.release_error());     \
    _procsim_try_result.release_value();                                     \
  })
