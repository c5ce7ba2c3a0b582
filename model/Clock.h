#pragma once
// Time is an input: everything that needs "now" takes a Clock, so tests inject a fixed one.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace liufang::model {

using Instant = std::chrono::system_clock::time_point;

// Source of the current instant.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

// The real wall clock.
class SystemClock : public Clock {
 public:
  Instant now() const override { return std::chrono::system_clock::now(); }
};

// A clock that only moves when told to; the one fake tests may use. Thread-safe.
class ManualClock : public Clock {
 public:
  explicit ManualClock(Instant start) : now_(start) {}
  Instant now() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return now_;
  }
  void set(Instant t) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_ = t;
  }
  void advance(std::chrono::seconds d) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_ += d;
  }

 private:
  mutable std::mutex mutex_;
  Instant now_;
};

// Another clock shifted by a fixed offset: it starts at `start` and runs at the base clock's
// pace (the demo clock, `serve --now`). Thread-safe if the base is.
class OffsetClock : public Clock {
 public:
  OffsetClock(const Clock& base, Instant start) : base_(base), offset_(start - base.now()) {}
  Instant now() const override { return base_.now() + offset_; }

 private:
  const Clock& base_;
  Instant::duration offset_;
};

// "2026-11-21T23:27:06.123Z" (UTC, millisecond precision): the stored form of instants.
std::string formatInstant(Instant t);
// Parses formatInstant's output (also accepts no fraction). Throws liufang::Invalid.
Instant parseInstant(const std::string& s);

}  // namespace liufang::model
