#pragma once
// The directory: communities and their rosters (parties), users, meetings. workflow::Directory
// is its one writer. Part of model::Store (Store.h).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/Types.h"

namespace liufang::model {

// Communities, parties, users and meeting records.
class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  // ---- communities and rosters
  virtual int64_t addCommunity(Community& c) = 0;  // Conflict on duplicate code
  virtual std::vector<Community> communities() = 0;
  virtual std::optional<Community> findCommunity(int64_t id) = 0;
  // Sets a community's "due soon" threshold in working days; NotFound if no such community.
  virtual void setDueSoonDays(int64_t communityId, int days) = 0;
  // A community's escalation ladder, by days ascending; empty when it has none of its own.
  virtual std::vector<LadderTier> ladder(int64_t communityId) = 0;
  // Replaces it (empty: back to the default) in one transaction.
  virtual void setLadder(int64_t communityId, const std::vector<LadderTier>& tiers) = 0;
  virtual int64_t addParty(Party& p) = 0;  // Conflict on duplicate code in the community
  virtual std::vector<Party> parties(int64_t communityId) = 0;  // by sortOrder

  // ---- users
  virtual int64_t addUser(User& u) = 0;  // Conflict on duplicate username
  virtual void updateUser(const User& u) = 0;
  virtual std::optional<User> findUser(int64_t id) = 0;
  virtual std::optional<User> findUserByName(const std::string& username) = 0;
  virtual std::vector<User> users() = 0;

  // ---- meetings
  // The meetings row alone, without a log: only for importing an export and for tests of the
  // upgrade. The Engine (kind "meeting") writes meetings.
  virtual int64_t addMeeting(Meeting& m) = 0;
  // The meeting with its agenda, attendance, signatures and errata; nullopt if none.
  virtual std::optional<Meeting> findMeeting(int64_t id) = 0;
  // The community's meetings (rows without their child rows), newest first; 0: every one.
  virtual std::vector<Meeting> meetings(int64_t communityId) = 0;
  // The ids of the meetings whose agenda holds item `itemId`, ascending.
  virtual std::vector<int64_t> meetingsWithItem(int64_t itemId) = 0;
  // Gives every meeting without a log its genesis rows (see migration 004), in one
  // transaction: for databases and exports from before meetings were streams.
  virtual void backfillMeetingStreams() = 0;
  // Writes a community's meeting settings (quorum rule ... resolve_outside_meeting). Throws
  // NotFound.
  virtual void updateCommunitySettings(const Community& c) = 0;
};

}  // namespace liufang::model
