#pragma once
// Failed sign-ins counted per key (a username, a client address) in this process's memory, and
// the growing delay they earn.
//
// Why memory and not the database: the throttle is not authoritative state. Losing it on a
// restart gives an attacker nothing waiting would not; keeping it in memory means an unknown
// name and an existing one cost exactly the same work (no write only for accounts that exist,
// which a stopwatch could tell apart), and a flood of failures is no flood of fsyncs. With
// several app nodes each counts its own failures, so an attacker spreading over N nodes gets
// N times the budget; a shared table is the step for that setup.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "model/Clock.h"

namespace liufang::web {

class LoginThrottle {
 public:
  // Allows `after` failures per key, then a delay of baseSeconds that doubles with each
  // further failure up to maxSeconds. At most maxKeys keys are tracked (the table must not
  // grow without bound under a spray of names); keys idle for long are forgotten first.
  LoginThrottle(int after, int baseSeconds, int maxSeconds, size_t maxKeys = 100000);

  // Seconds the key must still wait before another attempt; 0 when it may try now.
  int wait(const std::string& key, model::Instant now) const;
  // Counts a failure for key at now.
  void failed(const std::string& key, model::Instant now);
  // Forgets key's failures (a successful sign-in).
  void succeeded(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    model::Instant last;
  };
  int waitFor(const Entry& e, model::Instant now) const;
  void makeRoom(model::Instant now);

  const int after_;
  const int baseSeconds_;
  const int maxSeconds_;
  const size_t maxKeys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace liufang::web
