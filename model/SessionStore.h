#pragma once
// Sign-in state: web sessions and login throttling, kept in the database so app nodes hold
// no authoritative state. Part of model::Store (Store.h).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "model/Types.h"

namespace liufang::model {

// A signed-in browser or API client. The token itself is never stored, only its hash.
struct WebSession {
  std::string tokenHash;
  int64_t userId = 0;
  std::string csrfToken;
  std::string createdAt;
  std::string lastSeenAt;
  std::string locale;
};

// Web sessions and login failures.
class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Login throttling: failures since the last success, and when the last one happened.
  virtual void recordLoginFailure(int64_t userId, const std::string& at) = 0;
  virtual void clearLoginFailures(int64_t userId) = 0;
  virtual std::pair<int, std::string> loginFailures(int64_t userId) = 0;

  // ---- web sessions (kept in the database so app nodes hold no authoritative state)
  virtual void saveSession(const WebSession& s) = 0;
  virtual std::optional<WebSession> findSession(const std::string& tokenHash) = 0;
  virtual void touchSession(const std::string& tokenHash, const std::string& at) = 0;
  virtual void deleteSession(const std::string& tokenHash) = 0;
  virtual void deleteSessionsSeenBefore(const std::string& at) = 0;
  // The session and its user, read together because every signed-in request needs both;
  // nullopt if either is missing. model::Store reads them one after the other unless the
  // implementation does better (the SQL store does it in one statement).
  virtual std::optional<std::pair<WebSession, User>> findSessionWithUser(
      const std::string& tokenHash) = 0;
  // Ends every session of one user (after a password change or reset, or disabling).
  virtual void deleteSessionsOfUser(int64_t userId) = 0;
};

}  // namespace liufang::model
