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
  virtual int64_t addParty(Party& p) = 0;  // Conflict on duplicate code in the community
  virtual std::vector<Party> parties(int64_t communityId) = 0;  // by sortOrder

  // ---- users
  virtual int64_t addUser(User& u) = 0;  // Conflict on duplicate username
  virtual void updateUser(const User& u) = 0;
  virtual std::optional<User> findUser(int64_t id) = 0;
  virtual std::optional<User> findUserByName(const std::string& username) = 0;
  virtual std::vector<User> users() = 0;

  // ---- meetings
  virtual int64_t addMeeting(Meeting& m) = 0;
  virtual void updateMeeting(const Meeting& m) = 0;
  virtual std::optional<Meeting> findMeeting(int64_t id) = 0;
  virtual std::vector<Meeting> meetings(int64_t communityId) = 0;  // newest first
};

}  // namespace liufang::model
