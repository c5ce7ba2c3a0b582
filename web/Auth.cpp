#include "web/Auth.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "model/Hash.h"
#include "model/Password.h"
#include "web/Http.h"

namespace liufang::web {
namespace {

// Refreshing last_seen on every request would turn every page view into a write; a minute of
// slack on a 30-minute idle limit is harmless.
constexpr auto kTouchEvery = std::chrono::seconds(60);

// An unknown username still costs one Argon2 verification, so response time does not tell
// which usernames exist.
const std::string& dummyHash() {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [] { hash = model::hashPassword(model::randomToken(16)); });
  return hash;
}

}  // namespace

Auth::Auth(model::Store& store, const model::Clock& clock, Options options)
    : store_(store), clock_(clock), options_(options) {}

int Auth::throttleWait(int failures, const std::string& lastFailedAt) const {
  if (failures < options_.throttleAfter || lastFailedAt.empty()) return 0;
  const int steps = std::min(failures - options_.throttleAfter, 20);
  const int64_t delay = std::min<int64_t>(
      static_cast<int64_t>(options_.throttleBaseSeconds) << steps, options_.throttleMaxSeconds);
  const auto until = model::parseInstant(lastFailedAt) + std::chrono::seconds(delay);
  const auto now = clock_.now();
  if (now >= until) return 0;
  return static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(until - now).count()) +
         1;
}

Auth::SignIn Auth::login(const std::string& username, const std::string& password,
                         const std::string& lang, const std::string& requestId) {
  auto user = store_.findUserByName(username);
  if (!user) {
    model::verifyPassword(dummyHash(), password);
    spdlog::warn("login failed: unknown user '{}' rid={}", username, requestId);
    throw WebError(401, "unauthorized", "Wrong username or password.");
  }
  const auto [failures, lastFailedAt] = store_.loginFailures(user->id);
  if (int wait = throttleWait(failures, lastFailedAt); wait > 0) {
    spdlog::warn("login refused: user '{}' throttled for {} s after {} failures rid={}", username,
                 wait, failures, requestId);
    throw WebError(429, "throttled", "Too many failed sign-ins. Try again in {1} seconds.", wait);
  }
  if (user->disabled || !model::verifyPassword(user->passwordHash, password)) {
    store_.recordLoginFailure(user->id, model::formatInstant(clock_.now()));
    spdlog::warn("login failed: user '{}' ({} consecutive failures{}) rid={}", username,
                 failures + 1, user->disabled ? ", account disabled" : "", requestId);
    throw WebError(401, "unauthorized", "Wrong username or password.");
  }
  if (failures > 0) store_.clearLoginFailures(user->id);

  SignIn out;
  out.token = model::randomToken(32);
  out.user = *user;
  out.session.tokenHash = model::sha256Hex(out.token);
  out.session.userId = user->id;
  out.session.csrfToken = model::randomToken(24);
  out.session.createdAt = model::formatInstant(clock_.now());
  out.session.lastSeenAt = out.session.createdAt;
  out.session.locale = lang;
  store_.saveSession(out.session);
  spdlog::info("login: user '{}' rid={}", username, requestId);
  return out;
}

std::optional<Auth::Signed> Auth::resolve(const std::string& token) {
  if (token.empty() || token.size() > 256) return std::nullopt;
  const std::string hash = model::sha256Hex(token);
  auto session = store_.findSession(hash);
  if (!session) return std::nullopt;
  const auto now = clock_.now();
  model::Instant lastSeen;
  try {
    lastSeen = model::parseInstant(session->lastSeenAt);
  } catch (const std::exception&) {
    lastSeen = model::Instant{};
  }
  if (now - lastSeen > std::chrono::minutes(options_.idleMinutes)) {
    store_.deleteSession(hash);
    return std::nullopt;
  }
  auto user = store_.findUser(session->userId);
  if (!user || user->disabled) {
    store_.deleteSession(hash);
    return std::nullopt;
  }
  if (now - lastSeen > kTouchEvery) {
    session->lastSeenAt = model::formatInstant(now);
    store_.touchSession(hash, session->lastSeenAt);
  }
  return Signed{*user, *session, hash};
}

void Auth::logout(const std::string& tokenHash) {
  if (!tokenHash.empty()) store_.deleteSession(tokenHash);
}

void Auth::purgeExpired() {
  store_.deleteSessionsSeenBefore(
      model::formatInstant(clock_.now() - std::chrono::minutes(options_.idleMinutes)));
}

bool Auth::tokensEqual(const std::string& a, const std::string& b) {
  if (a.empty() || a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace liufang::web
