#pragma once
// The project's error family. Thrown below the web layer, caught at the web boundary and
// mapped to a status in one place (Refused/Conflict -> 409, Forbidden -> 403,
// NotFound -> 404, Invalid -> 400).
#include <stdexcept>
#include <string>

namespace liufang {

// Base of every error liufang raises on purpose. what() is the zh-CN reason a person reads;
// english() the same reason in English (falls back to what() when none was given).
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& zh, const std::string& en = {})
      : std::runtime_error(zh), en_(en.empty() ? zh : en) {}
  const std::string& english() const noexcept { return en_; }
  // The reason in the given locale ("en..." -> English, anything else -> zh-CN).
  std::string reason(const std::string& locale) const {
    return locale.rfind("en", 0) == 0 ? en_ : std::string(what());
  }
  // Stable machine code used by the JSON API: refused|forbidden|not_found|conflict|invalid.
  virtual const char* code() const noexcept = 0;

 private:
  std::string en_;
};

// The event is not allowed in the item's current state, or a guard failed.
class Refused : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "refused"; }
};

// The actor's role or party may not fire this event on this item.
class Forbidden : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "forbidden"; }
};

// No such item, user, party, community or meeting.
class NotFound : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "not_found"; }
};

// Someone else changed the item first (version mismatch), or a uniqueness clash.
class Conflict : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "conflict"; }
};

// A field is missing or malformed.
class Invalid : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "invalid"; }
};

// The database is unusable as it is (written by a newer liufang, corrupt, unreachable).
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace liufang
