#pragma once
// Sign-in, sessions and login throttling. Passwords are Argon2id (model/Password.h); session
// tokens come from libsodium's CSPRNG and only their SHA-256 is stored, so a copy of the
// database does not hand out live sessions.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "model/Clock.h"
#include "model/Store.h"
#include "model/Types.h"
#include "web/LoginThrottle.h"

namespace liufang::web {

class Auth {
 public:
  struct Options {
    int idleMinutes = 30;
    int absoluteHours = 12;
    int throttleAfter = 5;  // per username, whether or not the account exists
    int throttleBaseSeconds = 2;
    int throttleMaxSeconds = 900;
    int addressThrottleAfter = 20;  // per client address, over all usernames
    int maxConcurrentHashes = 0;    // 0: one per CPU core
    int hashWaitMilliseconds = 3000;
    // Trusted proxies (http.trusted_proxies) speak for many clients: not throttled as one.
    std::set<std::string> trustedProxies;
  };

  // A fresh sign-in: the raw token goes to the client (cookie or JSON) and nowhere else.
  struct SignIn {
    std::string token;
    model::WebSession session;
    model::User user;
  };

  // A request's live session.
  struct Signed {
    model::User user;
    model::WebSession session;
    std::string tokenHash;
  };

  // Names the client address of the request being dispatched on this thread, for callers of
  // login() that do not pass one (the dispatcher sets it around every request).
  class ClientScope {
   public:
    explicit ClientScope(const std::string& address);
    ~ClientScope();
    ClientScope(const ClientScope&) = delete;
    ClientScope& operator=(const ClientScope&) = delete;
  };

  // store and clock must outlive this object.
  Auth(model::Store& store, const model::Clock& clock, Options options);

  // Checks the password and opens a session. Throws WebError 429 (with the seconds to wait)
  // while the username or the client address (unless a proxy's) is throttled; the same for unknown
  // and existing names. Throws WebError 503 (retry after 1 s) when no password-hashing slot frees
  // up within the configured wait. Throws WebError 401 for an unknown user, a wrong password or a
  // disabled account (the same answer, and the same Argon2 work, for all three). Failures are
  // logged with the (escaped) username, client address and requestId, never the password.
  // clientAddress empty: the address of the ClientScope on this thread.
  SignIn login(const std::string& username, const std::string& password, const std::string& lang,
               const std::string& requestId, const std::string& clientAddress = {});

  // The live session for a raw token with its user (one SQL statement), its idle timer
  // refreshed; nullopt if the token is unknown, idle for longer than the idle limit, older
  // than the absolute lifetime (the session is then deleted) or the user is gone or disabled.
  std::optional<Signed> resolve(const std::string& token);

  // Ends the session (no-op if it does not exist).
  void logout(const std::string& tokenHash);

  // Deletes sessions idle for longer than the limit. (Sessions past their absolute lifetime
  // are deleted when next presented, and by this once idle.)
  void purgeExpired();

  // Constant-time comparison for CSRF tokens; false if either is empty.
  static bool tokensEqual(const std::string& a, const std::string& b);

  const Options& options() const { return options_; }

 private:
  // Runs one Argon2id check inside a hashing slot; throws WebError 503 if none frees up.
  bool verifyInSlot(const std::string& hash, const std::string& password,
                    const std::string& requestId);

  model::Store& store_;
  const model::Clock& clock_;
  Options options_;
  LoginThrottle names_;
  LoginThrottle addresses_;

  // A counting semaphore: Argon2id holds 64 MiB for each check, so the number of checks at
  // once bounds the memory sign-ins can take.
  std::mutex slotMutex_;
  std::condition_variable slotFreed_;
  int freeSlots_;
};

}  // namespace liufang::web
