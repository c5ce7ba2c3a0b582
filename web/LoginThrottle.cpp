#include "web/LoginThrottle.h"

#include <algorithm>
#include <vector>

namespace liufang::web {

LoginThrottle::LoginThrottle(int after, int baseSeconds, int maxSeconds, size_t maxKeys)
    : after_(std::max(1, after)),
      baseSeconds_(std::max(1, baseSeconds)),
      maxSeconds_(std::max(1, maxSeconds)),
      maxKeys_(std::max<size_t>(16, maxKeys)) {}

int LoginThrottle::waitFor(const Entry& e, model::Instant now) const {
  if (e.failures < after_) return 0;
  const int steps = std::min(e.failures - after_, 20);
  const int64_t delay = std::min<int64_t>(static_cast<int64_t>(baseSeconds_) << steps, maxSeconds_);
  const auto until = e.last + std::chrono::seconds(delay);
  if (now >= until) return 0;
  return static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(until - now).count()) +
         1;
}

int LoginThrottle::wait(const std::string& key, model::Instant now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : waitFor(it->second, now);
}

void LoginThrottle::failed(const std::string& key, model::Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= maxKeys_) makeRoom(now);
    it = entries_.emplace(key, Entry{}).first;
  }
  ++it->second.failures;
  it->second.last = now;
}

void LoginThrottle::succeeded(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(key);
}

void LoginThrottle::makeRoom(model::Instant now) {
  // A key quiet for four maximum delays has served its purpose.
  const auto stale = now - std::chrono::seconds(4 * static_cast<int64_t>(maxSeconds_));
  for (auto it = entries_.begin(); it != entries_.end();)
    it = it->second.last < stale ? entries_.erase(it) : std::next(it);
  if (entries_.size() < maxKeys_) return;
  // Still full (a spray of fresh names): forget the longest-quiet tenth.
  std::vector<model::Instant> lasts;
  lasts.reserve(entries_.size());
  for (const auto& [k, e] : entries_) lasts.push_back(e.last);
  auto cut = lasts.begin() + static_cast<std::ptrdiff_t>(lasts.size() / 10);
  std::nth_element(lasts.begin(), cut, lasts.end());
  const auto oldest = *cut;
  for (auto it = entries_.begin(); it != entries_.end();)
    it = it->second.last <= oldest ? entries_.erase(it) : std::next(it);
}

}  // namespace liufang::web
