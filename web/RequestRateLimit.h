#pragma once
// How many residents' requests one client address may submit per hour, counted in this
// process's memory (as LoginThrottle, and for the same reasons: not authoritative state, and a
// flood of attempts must not become a flood of writes).
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "model/Clock.h"

namespace liufang::web {

class RequestRateLimit {
 public:
  // At most perHour attempts per key in any clock hour window starting at the key's first
  // attempt; at most maxKeys keys tracked (the oldest windows are dropped first).
  RequestRateLimit(int perHour, size_t maxKeys = 100000);

  // Counts an attempt for key at now. Returns 0 when it is allowed, else the seconds until
  // the key may try again (the attempt is not counted then).
  int attempt(const std::string& key, model::Instant now);

 private:
  struct Window {
    model::Instant start;
    int count = 0;
  };
  void makeRoom(model::Instant now);

  const int perHour_;
  const size_t maxKeys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace liufang::web
