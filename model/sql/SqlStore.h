#pragma once
// The Store over Poco::Data and SQLite. Its methods are defined by concern:
//   model/SqlStore.cpp              opening, schema version, the writer slot, settings
//   model/sql/SqlStoreItems.cpp     item reads, listItems, streams and their events
//   model/sql/SqlStoreDirectory.cpp communities, parties, users, meetings
//   model/sql/SqlStoreSessions.cpp  web sessions, login throttling
//   model/sql/SqlStoreScores.cpp    scoreboard aggregates
//   model/sql/SqlStoreResidents.cpp residents' requests, the public board
//   model/sql/SqlStoreRoster.cpp    whole rosters, party edits, party name history
//   model/sql/SqlStoreWebhooks.cpp  webhook configuration, outbox claims, delivery log
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/Store.h"
#include "model/sql/Connection.h"
#include "model/sql/ReadRows.h"

namespace liufang::model::sql {

// Every method borrows a pooled connection for its duration; see model::Store for contracts.
class SqlStore : public Store {
 public:
  // Opens the pool and migrates the database (see openSqliteStore).
  explicit SqlStore(const StoreOptions& opts);

  int schemaVersion() override;
  std::unique_ptr<WriteTx> beginWrite() override;

  // ---- items (read side)
  std::optional<Item> findItem(int64_t id) override;
  std::vector<Item> listItems(const ItemQuery& q, int64_t* total) override;
  std::vector<int64_t> itemIds() override;
  std::vector<EventRecord> events(const StreamRef& stream) override;
  std::vector<int64_t> streamIds(const std::string& kind) override;
  std::vector<std::pair<std::string, int64_t>> countByState(int64_t communityId) override;
  std::vector<int64_t> staleDeadlineItems(int64_t communityId, const std::string& today,
                                          const std::string& soonBefore) override;
  std::vector<int64_t> ladderCandidates(int64_t communityId, int fromTier, int toTier,
                                        const std::string& dueBefore) override;

  // ---- scoreboard aggregates (SqlStoreScores.cpp)
  std::vector<ScoreCounts> scoreCounts(const ScoreScope& scope,
                                       const HolidayCalendar& calendar) override;
  std::vector<StateCount> stateCounts(const ScoreScope& scope) override;
  void prepareScores(const HolidayCalendar& calendar) override;
  int64_t scoreSummaryDrift() override;

  // ---- communities and rosters
  int64_t addCommunity(Community& cm) override;
  std::vector<Community> communities() override;
  std::optional<Community> findCommunity(int64_t id) override;
  void setDueSoonDays(int64_t communityId, int days) override;
  std::vector<LadderTier> ladder(int64_t communityId) override;
  void setLadder(int64_t communityId, const std::vector<LadderTier>& tiers) override;
  int64_t addParty(Party& p) override;
  std::vector<Party> parties(int64_t communityId) override;

  // ---- rosters as a whole, party edits and name history (SqlStoreRoster.cpp)
  void addRoster(int64_t communityId, std::vector<Party>& parties) override;
  void updateParty(const Party& p, const std::string& at) override;
  std::vector<PartyName> partyNames(int64_t communityId) override;
  void addPartyName(const PartyName& n) override;

  // ---- users
  int64_t addUser(User& u) override;
  void updateUser(const User& u) override;
  std::optional<User> findUser(int64_t id) override;
  std::optional<User> findUserByName(const std::string& username) override;
  std::vector<User> users() override;

  // ---- meetings
  int64_t addMeeting(Meeting& m) override;
  std::optional<Meeting> findMeeting(int64_t id) override;
  std::vector<int64_t> meetingIds() override;
  std::vector<int64_t> meetingsWithItem(int64_t itemId) override;
  void backfillMeetingStreams() override;
  void updateCommunitySettings(const Community& c) override;
  std::vector<Meeting> meetings(int64_t communityId) override;

  // ---- login throttling
  void recordLoginFailure(int64_t userId, const std::string& at) override;
  void clearLoginFailures(int64_t userId) override;
  std::pair<int, std::string> loginFailures(int64_t userId) override;

  // ---- web sessions
  void saveSession(const WebSession& s) override;
  std::optional<WebSession> findSession(const std::string& tokenHash) override;
  void touchSession(const std::string& tokenHash, const std::string& at) override;
  void deleteSession(const std::string& tokenHash) override;
  void deleteSessionsSeenBefore(const std::string& at) override;
  std::optional<std::pair<WebSession, User>> findSessionWithUser(
      const std::string& tokenHash) override;
  void deleteSessionsOfUser(int64_t userId) override;

  std::vector<std::pair<std::string, std::string>> settings() override;
  std::string instanceFlag(const std::string& name) override;
  void setInstanceFlag(const std::string& name, const std::string& value) override;

  // ---- residents: requests, prefixes, the public board (SqlStoreResidents.cpp)
  std::optional<Request> findRequest(int64_t id) override;
  std::optional<Request> findRequestByNumber(const std::string& number) override;
  std::vector<int64_t> requestIds() override;
  std::vector<Request> listRequests(const RequestQuery& q) override;
  std::string requestContact(int64_t requestId) override;
  std::string requestPrefix(int64_t communityId) override;
  void setRequestPrefix(int64_t communityId, const std::string& prefix) override;
  std::string peekRequestNumber(int64_t communityId, int year) override;
  std::vector<Item> boardItems(const BoardQuery& q) override;
  std::vector<BoardExclusion> boardExclusions(int64_t communityId) override;
  std::optional<BoardExclusion> boardExclusion(int64_t itemId) override;
  void setBoardHidden(int64_t itemId, bool hidden, const std::string& reason, int64_t userId,
                      const std::string& at) override;

  // ---- inbox (SqlStoreInbox.cpp)
  int unreadNotices(int64_t userId, int cap) override;
  std::vector<Notice> notices(int64_t userId, int limit) override;
  void markNoticesRead(int64_t userId, int64_t noticeId) override;

  // ---- outgoing webhook (SqlStoreWebhooks.cpp)
  void setWebhook(const WebhookConfig& config) override;
  void disableWebhook(int64_t communityId, const std::string& at) override;
  std::optional<WebhookConfig> webhookOf(int64_t communityId) override;
  std::vector<WebhookDelivery> claimDueDeliveries(const std::string& now,
                                                  const std::string& leaseUntil,
                                                  int limit) override;
  void recordWebhookAttempt(const WebhookOutcome& outcome) override;
  std::vector<WebhookDelivery> webhookDeliveries(int64_t communityId, int limit) override;
  std::vector<WebhookAttempt> webhookAttempts(int64_t communityId, int64_t fromId) override;
  // ---- deadline calendar feed (SqlStoreCalendar.cpp)
  void saveCalendarLink(int64_t userId, const std::string& tokenHash,
                        const std::string& at) override;
  void deleteCalendarLink(int64_t userId) override;
  std::optional<CalendarLink> calendarLink(int64_t userId) override;
  std::optional<int64_t> fetchCalendarLink(const std::string& tokenHash,
                                           const std::string& at) override;
  std::vector<DueItem> dueItems(const DueScope& scope, int limit) override;

 private:
  // The pragmas in effect on c, as settings() reports them.
  static std::vector<std::pair<std::string, std::string>> settingsOf(Connection& c);
  // The user matching `condition` (a fixed SQL fragment with one ?) bound to value.
  std::optional<User> findUserWhere(const std::string& condition, const Param& value);
  // Fills handlers and positions of already-read items, up to 500 ids per query. The IN list
  // is padded (repeating the last id) to one of a few sizes, so its statements stay cached.
  static void attachChildren(Connection& c, std::vector<Item>& items);

  StoreOptions opts_;
  ConnectionPool pool_;
  std::timed_mutex writer_;  // one write transaction per process at a time
};

}  // namespace liufang::model::sql
