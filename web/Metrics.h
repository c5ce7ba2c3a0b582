#pragma once
// What `/metrics` reports, in the Prometheus text format: requests by route pattern and status,
// a latency histogram per route, events applied by kind and type (as an EngineObserver, on the
// request engine and the background sweep's), refusals by error code, sweep runs and the
// database file size. Counters only go up; they start at zero with each server process.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "workflow/Engine.h"

namespace liufang::web {

class Metrics : public workflow::EngineObserver {
 public:
  // Upper bounds (seconds) of the latency histogram's buckets; +Inf is implied.
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};

  // One answered request: `route` is the matched pattern ("/items/{id}"), or "" for none.
  void request(const std::string& method, const std::string& route, int status, double seconds);
  // One refusal or error answer, by its code ("refused", "forbidden", "csrf", "internal", ...).
  void refusal(const std::string& code);
  // One deadline sweep run; ok = false if it failed.
  void sweepRan(bool ok);
  // EngineObserver: counts every row the command appended, by kind and event type.
  void applied(const workflow::Applied& applied, const workflow::Actor& actor) override;

  // The exposition text; databasePath's file (and its -wal) sizes go in as a gauge, skipped if
  // it cannot be read.
  std::string render(const std::string& databasePath) const;

 private:
  struct Latency {
    std::array<int64_t, kBuckets.size()> buckets{};  // per bucket, not cumulative
    int64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, int64_t> requests_;  // method, route, status
  std::map<std::pair<std::string, std::string>, Latency> latency_;         // method, route
  std::map<std::pair<std::string, std::string>, int64_t> events_;          // kind, type
  std::map<std::string, int64_t> refusals_;                                // code
  int64_t sweepsOk_ = 0, sweepsFailed_ = 0;
};

}  // namespace liufang::web
