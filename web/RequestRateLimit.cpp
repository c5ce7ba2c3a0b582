#include "web/RequestRateLimit.h"

#include <chrono>

namespace liufang::web {

RequestRateLimit::RequestRateLimit(int perHour, size_t maxKeys)
    : perHour_(perHour), maxKeys_(maxKeys) {}

int RequestRateLimit::attempt(const std::string& key, model::Instant now) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  const auto hour = std::chrono::hours(1);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = windows_.find(key);
  if (it == windows_.end() || now - it->second.start >= hour) {
    if (it == windows_.end() && windows_.size() >= maxKeys_) makeRoom(now);
    windows_[key] = Window{now, 1};
    return perHour_ > 0 ? 0 : 3600;
  }
  Window& w = it->second;
  if (w.count >= perHour_) {
    const auto left = duration_cast<seconds>(w.start + hour - now).count();
    return static_cast<int>(left < 1 ? 1 : left);
  }
  ++w.count;
  return 0;
}

void RequestRateLimit::makeRoom(model::Instant now) {
  // Expired windows first; if none, the whole table (an attacker spraying addresses gains
  // only what a restart would give).
  for (auto it = windows_.begin(); it != windows_.end();)
    it = now - it->second.start >= std::chrono::hours(1) ? windows_.erase(it) : std::next(it);
  if (windows_.size() >= maxKeys_) windows_.clear();
}

}  // namespace liufang::web
