// Result<T>: a value or a human-readable error, for operations on untrusted input or the
// outside world (files, users, processes). Broken invariants are asserts, not Results.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace vigil {

struct Error {
    std::string message;
};

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error e) : v_(std::move(e)) {}      // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(v_); }
    explicit operator bool() const { return ok(); }
    T& value() {
        assert(ok());
        return std::get<T>(v_);
    }
    const T& value() const {
        assert(ok());
        return std::get<T>(v_);
    }
    T* operator->() { return &value(); }
    const std::string& error() const {
        assert(!ok());
        return std::get<Error>(v_).message;
    }

  private:
    std::variant<T, Error> v_;
};

// For operations that return nothing but may fail: `return Ok{};` or `return Error{...};`.
struct Ok {};
using Status = Result<Ok>;

}  // namespace vigil
