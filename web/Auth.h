#pragma once
// Sign-in, sessions and login throttling. Passwords are Argon2id (model/Password.h); session
// tokens come from libsodium's CSPRNG and only their SHA-256 is stored, so a copy of the
// database does not hand out live sessions.
#include <optional>
#include <string>

#include "model/Clock.h"
#include "model/Store.h"
#include "model/Types.h"

namespace liufang::web {

class Auth {
 public:
  struct Options {
    int idleMinutes = 30;
    int throttleAfter = 5;
    int throttleBaseSeconds = 2;
    int throttleMaxSeconds = 900;
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

  // store and clock must outlive this object.
  Auth(model::Store& store, const model::Clock& clock, Options options);

  // Checks the password and opens a session. Throws WebError 429 (with the seconds to wait)
  // while the account is throttled, WebError 401 for an unknown user, a wrong password or a
  // disabled account (the same answer for all three). Failures are logged with the username
  // and requestId, never with the password.
  SignIn login(const std::string& username, const std::string& password, const std::string& lang,
               const std::string& requestId);

  // The live session for a raw token, its idle timer refreshed; nullopt if the token is
  // unknown, idle for longer than the limit (the session is then deleted) or the user is gone
  // or disabled.
  std::optional<Signed> resolve(const std::string& token);

  // Ends the session (no-op if it does not exist).
  void logout(const std::string& tokenHash);

  // Deletes sessions idle for longer than the limit.
  void purgeExpired();

  // Seconds an account with `failures` consecutive failures, the last at lastFailedAt, must
  // still wait before another attempt; 0 when it may try now. The delay doubles with each
  // failure past throttleAfter and is capped at throttleMaxSeconds.
  int throttleWait(int failures, const std::string& lastFailedAt) const;

  // Constant-time comparison for CSRF tokens; false if either is empty.
  static bool tokensEqual(const std::string& a, const std::string& b);

  const Options& options() const { return options_; }

 private:
  model::Store& store_;
  const model::Clock& clock_;
  Options options_;
};

}  // namespace liufang::web
