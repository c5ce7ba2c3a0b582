#include "web/Auth.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "model/Hash.h"
#include "model/Password.h"
#include "web/Http.h"

namespace liufang::web {
namespace {

// An unknown username still costs one Argon2 verification, so response time does not tell
// which usernames exist. Built on first use, inside a hashing slot.
const std::string& dummyHash() {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [] { hash = model::hashPassword(model::randomToken(16)); });
  return hash;
}

thread_local std::string currentClient;

model::Instant parseOr(const std::string& instant, model::Instant fallback) {
  try {
    return model::parseInstant(instant);
  } catch (const std::exception&) {
    return fallback;
  }
}

int slotsFor(int configured) {
  if (configured > 0) return configured;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

Auth::ClientScope::ClientScope(const std::string& address) { currentClient = address; }
Auth::ClientScope::~ClientScope() { currentClient.clear(); }

Auth::Auth(model::Store& store, const model::Clock& clock, Options options)
    : store_(store),
      clock_(clock),
      options_(options),
      names_(options.throttleAfter, options.throttleBaseSeconds, options.throttleMaxSeconds),
      addresses_(options.addressThrottleAfter, options.throttleBaseSeconds,
                 options.throttleMaxSeconds),
      freeSlots_(slotsFor(options.maxConcurrentHashes)) {}

bool Auth::verifyInSlot(const std::string& hash, const std::string& password,
                        const std::string& requestId) {
  {
    std::unique_lock<std::mutex> lock(slotMutex_);
    const auto wait = std::chrono::milliseconds(std::max(0, options_.hashWaitMilliseconds));
    if (!slotFreed_.wait_for(lock, wait, [this] { return freeSlots_ > 0; })) {
      spdlog::warn("login refused: all password-hashing slots busy for {} ms rid={}",
                   options_.hashWaitMilliseconds, requestId);
      throw WebError(503, "busy", "The server is busy. Try again in {1} seconds.", 1);
    }
    --freeSlots_;
  }
  struct Release {
    Auth& a;
    ~Release() {
      {
        std::lock_guard<std::mutex> lock(a.slotMutex_);
        ++a.freeSlots_;
      }
      a.slotFreed_.notify_one();
    }
  } release{*this};
  return model::verifyPassword(hash.empty() ? dummyHash() : hash, password);
}

Auth::SignIn Auth::login(const std::string& username, const std::string& password,
                         const std::string& lang, const std::string& requestId,
                         const std::string& clientAddress) {
  const std::string address = clientAddress.empty() ? currentClient : clientAddress;
  // The address is the forwarded client's when a trusted proxy named one. A proxy's own
  // address (no X-Forwarded-For) speaks for everybody behind it: counting failures by it
  // would let one attacker lock everybody out.
  const bool byAddress = !address.empty() && options_.trustedProxies.count(address) == 0;
  const auto now = clock_.now();
  // Throttled before any lookup or hashing: the answer cannot depend on the account, and a
  // throttled client costs no Argon2 work.
  const int wait =
      std::max(names_.wait(username, now), byAddress ? addresses_.wait(address, now) : 0);
  if (wait > 0) {
    spdlog::warn("login refused: user '{}' from {} throttled for {} s rid={}", logSafe(username),
                 logSafe(address), wait, requestId);
    throw WebError(429, "throttled", "Too many failed sign-ins. Try again in {1} seconds.", wait);
  }
  auto user = store_.findUserByName(username);
  // The same Argon2 work whether the name exists, the account is disabled or all is well.
  const bool matches = verifyInSlot(user ? user->passwordHash : std::string(), password, requestId);
  if (!user || user->disabled || !matches) {
    names_.failed(username, clock_.now());
    if (byAddress) addresses_.failed(address, clock_.now());
    spdlog::warn("login failed: user '{}' from {}{} rid={}", logSafe(username), logSafe(address),
                 !user            ? " (unknown user)"
                 : user->disabled ? " (account disabled)"
                                  : "",
                 requestId);
    throw WebError(401, "unauthorized", "Wrong username or password.");
  }
  // The address keeps its count: one valid account must not reset the budget of a client
  // trying many names.
  names_.succeeded(username);

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
  spdlog::info("login: user '{}' from {} rid={}", logSafe(username), logSafe(address), requestId);
  return out;
}

std::optional<Auth::Signed> Auth::resolve(const std::string& token) {
  if (token.empty() || token.size() > 256) return std::nullopt;
  const std::string hash = model::sha256Hex(token);
  auto found = store_.findSessionWithUser(hash);
  if (!found) return std::nullopt;
  auto& [session, user] = *found;
  const auto now = clock_.now();
  const auto lastSeen = parseOr(session.lastSeenAt, model::Instant{});
  const auto created = parseOr(session.createdAt, model::Instant{});
  const auto idle = std::chrono::minutes(options_.idleMinutes);
  if (now - lastSeen > idle || now - created > std::chrono::hours(options_.absoluteHours) ||
      user.disabled) {
    store_.deleteSession(hash);
    return std::nullopt;
  }
  // Refreshing last_seen on every request would turn every page view into a write; refreshing
  // it after a tenth of the idle limit (at most a minute) keeps a user whose requests come
  // within nine tenths of the limit signed in, whatever the limit.
  const auto touchEvery = std::min<std::chrono::seconds>(
      std::chrono::seconds(60), std::chrono::duration_cast<std::chrono::seconds>(idle) / 10);
  if (now - lastSeen >= touchEvery) {
    session.lastSeenAt = model::formatInstant(now);
    store_.touchSession(hash, session.lastSeenAt);
  }
  return Signed{std::move(user), std::move(session), hash};
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
