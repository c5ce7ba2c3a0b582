// The store's directory: communities and their rosters (parties), users, meetings.
#include <Poco/Nullable.h>

#include "model/Errors.h"
#include "model/sql/Connection.h"
#include "model/sql/MeetingRows.h"
#include "model/sql/Migrations.h"
#include "model/sql/SqlStore.h"
#include "model/sql/Dialect.h"

// Every statement here executes at once (`now` or execute()), so binding by reference (useRef)
// is safe for const fields too; Poco's use() refuses const references outright.
using namespace Poco::Data::Keywords;

namespace liufang::model::sql {
namespace {

// users.community_id is NULL for "no community" (0 in User).
Poco::Nullable<Poco::Int64> optionalId(int64_t id) {
  return id == 0 ? Poco::Nullable<Poco::Int64>() : Poco::Nullable<Poco::Int64>(id);
}

}  // namespace

// ---- communities and rosters

int64_t SqlStore::addCommunity(Community& cm) {
  auto c = pool_.borrow();
  try {
    return c->guarded("addCommunity", [&] {
      Poco::Int64 id = 0;
      c->session() << "INSERT INTO communities (code, name, time_zone, utc_offset_minutes)"
                      " VALUES (?, ?, ?, ?) RETURNING id",
          useRef(cm.code), useRef(cm.name), useRef(cm.timeZone), useRef(cm.utcOffsetMinutes),
          into(id), now;
      return cm.id = id;
    });
  } catch (const Conflict&) {
    throw Conflict(Msg("The community code \"{1}\" is already taken.").arg(cm.code));
  }
}

void SqlStore::setDueSoonDays(int64_t communityId, int days) {
  auto c = pool_.borrow();
  const size_t changed = c->guarded("setDueSoonDays", [&] {
    Poco::Int64 cid = communityId;
    Statement st(c->session());
    st << "UPDATE communities SET due_soon_days = ? WHERE id = ?", useRef(days), useRef(cid);
    return st.execute();
  });
  if (changed == 0)
    throw NotFound(Msg("No such community: {1}.").arg(static_cast<long long>(communityId)));
}

std::vector<Community> SqlStore::communities() {
  auto c = pool_.borrow();
  return c->guarded("communities", [&] {
    Step s(*c, "SELECT " + Columns<Community>::sql() + " FROM communities ORDER BY id");
    return readRows<Community>(s);
  });
}

std::optional<Community> SqlStore::findCommunity(int64_t id) {
  auto c = pool_.borrow();
  return c->guarded("findCommunity", [&]() -> std::optional<Community> {
    Step s(*c, "SELECT " + Columns<Community>::sql() + " FROM communities WHERE id = ?");
    s.bind(id);
    return readOne<Community>(s);
  });
}

std::vector<LadderTier> SqlStore::ladder(int64_t communityId) {
  auto c = pool_.borrow();
  return c->guarded("ladder", [&] {
    std::vector<LadderTier> out;
    Step s(*c, "SELECT days, action, colour FROM ladder_tiers WHERE community_id = ?1"
               " ORDER BY days");
    s.bind(communityId);
    while (s.row()) {
      LadderTier t;
      s.read(0, t.days);
      s.read(1, t.action);
      s.read(2, t.colour);
      out.push_back(std::move(t));
    }
    return out;
  });
}

void SqlStore::setLadder(int64_t communityId, const std::vector<LadderTier>& tiers) {
  if (!findCommunity(communityId))
    throw NotFound(Msg("No such community: {1}.").arg(static_cast<long long>(communityId)));
  auto c = pool_.borrow();
  c->guarded("setLadder", [&] {
    // One transaction: a reader sees the old ladder or the new one, never half of it.
    Poco::Int64 cid = communityId;
    c->session() << "BEGIN IMMEDIATE", now;
    try {
      c->session() << "DELETE FROM ladder_tiers WHERE community_id = ?", useRef(cid), now;
      for (const auto& t : tiers) {
        LadderTier row = t;
        c->session() << "INSERT INTO ladder_tiers (community_id, days, action, colour)"
                        " VALUES (?, ?, ?, ?)",
            useRef(cid), useRef(row.days), useRef(row.action), useRef(row.colour), now;
      }
      c->session() << "COMMIT", now;
    } catch (...) {
      c->rollbackIfOpen();
      throw;
    }
  });
}

int64_t SqlStore::addParty(Party& p) {
  auto c = pool_.borrow();
  try {
    return c->guarded("addParty", [&] {
      Poco::Int64 id = 0;
      c->session() << "INSERT INTO parties (community_id, code, name, sort_order, short_name, "
                      "colour) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
          useRef(p.communityId), useRef(p.code), useRef(p.name), useRef(p.sortOrder),
          useRef(p.shortName), useRef(p.colour), into(id), now;
      return p.id = id;
    });
  } catch (const Conflict&) {
    throw Conflict(Msg("The party code \"{1}\" is already taken in this community.").arg(p.code));
  } catch (const NotFound&) {
    throw NotFound(Msg("No such community: {1}.").arg(static_cast<long long>(p.communityId)));
  }
}

std::vector<Party> SqlStore::parties(int64_t communityId) {
  auto c = pool_.borrow();
  return c->guarded("parties", [&] {
    Step s(*c, "SELECT " + Columns<Party>::sql() +
                   " FROM parties WHERE community_id = ? ORDER BY sort_order, id");
    s.bind(communityId);
    return readRows<Party>(s);
  });
}

// ---- users

int64_t SqlStore::addUser(User& u) {
  auto c = pool_.borrow();
  try {
    return c->guarded("addUser", [&] {
      Poco::Int64 id = 0;
      auto community = optionalId(u.communityId);
      c->session() << "INSERT INTO users (username, display_name, community_id, party, "
                      "convener, representative, supervisor, disabled, password_hash, locale)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          useRef(u.username), useRef(u.displayName), useRef(community), useRef(u.party),
          useRef(u.convener), useRef(u.representative), useRef(u.supervisor), useRef(u.disabled),
          useRef(u.passwordHash), useRef(u.locale), into(id), now;
      return u.id = id;
    });
  } catch (const Conflict&) {
    throw Conflict(Msg("The username \"{1}\" is already taken.").arg(u.username));
  }
}

void SqlStore::updateUser(const User& u) {
  auto c = pool_.borrow();
  size_t changed = 0;
  try {
    changed = c->guarded("updateUser", [&] {
      auto community = optionalId(u.communityId);
      Statement st(c->session());
      st << "UPDATE users SET username = ?, display_name = ?, community_id = ?, party = ?, "
            "convener = ?, representative = ?, supervisor = ?, disabled = ?, "
            "password_hash = ?, locale = ? WHERE id = ?",
          useRef(u.username), useRef(u.displayName), useRef(community), useRef(u.party),
          useRef(u.convener), useRef(u.representative), useRef(u.supervisor), useRef(u.disabled),
          useRef(u.passwordHash), useRef(u.locale), useRef(u.id);
      return st.execute();
    });
  } catch (const Conflict&) {
    throw Conflict(Msg("The username \"{1}\" is already taken.").arg(u.username));
  }
  if (changed == 0) throw NotFound(Msg("No such user: {1}.").arg(static_cast<long long>(u.id)));
}

std::optional<User> SqlStore::findUser(int64_t id) {
  return findUserWhere("id = ?", Param{Poco::Int64{id}});
}

std::optional<User> SqlStore::findUserByName(const std::string& username) {
  return findUserWhere("username = ?", Param{username});
}

std::vector<User> SqlStore::users() {
  auto c = pool_.borrow();
  return c->guarded("users", [&] {
    std::vector<User> out;
    c->session() << "SELECT " + Columns<User>::sql() + " FROM users ORDER BY id", into(out), now;
    return out;
  });
}

std::optional<User> SqlStore::findUserWhere(const std::string& condition, const Param& value) {
  auto c = pool_.borrow();
  return c->guarded("findUser", [&]() -> std::optional<User> {
    Step s(*c, "SELECT " + Columns<User>::sql() + " FROM users WHERE " + condition);
    const std::vector<Param> params{value};  // outlives the Step: strings bind by pointer
    bindParams(s, params);
    return readOne<User>(s);
  });
}

// ---- meetings

int64_t SqlStore::addMeeting(Meeting& m) {
  auto c = pool_.borrow();
  try {
    return c->guarded("addMeeting", [&] {
      Poco::Int64 id = 0;
      c->session() << "INSERT INTO meetings (community_id, title, kind, date, location, "
                      "minutes, published) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
          useRef(m.communityId), useRef(m.title), useRef(m.kind), useRef(m.date),
          useRef(m.location), useRef(m.minutes), useRef(m.published), into(id), now;
      return m.id = id;
    });
  } catch (const NotFound&) {
    throw NotFound(Msg("No such community: {1}.").arg(static_cast<long long>(m.communityId)));
  }
}

std::optional<Meeting> SqlStore::findMeeting(int64_t id) {
  auto c = pool_.borrow();
  return c->guarded("findMeeting", [&] { return readMeeting(*c, id); });
}

std::vector<int64_t> SqlStore::meetingIds() {
  auto c = pool_.borrow();
  return c->guarded("meetingIds", [&] {
    std::vector<Poco::Int64> ids;
    c->session() << "SELECT id FROM meetings ORDER BY id", into(ids), now;
    return std::vector<int64_t>(ids.begin(), ids.end());
  });
}

std::vector<int64_t> SqlStore::meetingsWithItem(int64_t itemId) {
  auto c = pool_.borrow();
  return c->guarded("meetingsWithItem", [&] {
    Step s(*c, "SELECT DISTINCT meeting_id FROM meeting_agenda WHERE item_id = ? ORDER BY 1");
    s.bind(itemId);
    std::vector<int64_t> out;
    while (s.row()) {
      int64_t id = 0;
      s.read(0, id);
      out.push_back(id);
    }
    return out;
  });
}

void SqlStore::backfillMeetingStreams() {
  auto c = pool_.borrow();
  c->guarded("backfillMeetingStreams", [&] {
    c->session() << kSqlite.beginWrite, now;
    try {
      sql::backfillMeetingStreams(*c);
      c->session() << "COMMIT", now;
    } catch (...) {
      c->rollbackIfOpen();
      throw;
    }
  });
}

void SqlStore::updateCommunitySettings(const Community& cm) {
  auto c = pool_.borrow();
  const size_t changed = c->guarded("updateCommunitySettings", [&] {
    Statement st(c->session());
    st << "UPDATE communities SET quorum_rule = ?, convening_party = ?, meeting_rule = ?, "
          "meeting_time = ?, meeting_place = ?, resolve_outside_meeting = ? WHERE id = ?",
        useRef(cm.quorumRule), useRef(cm.conveningParty), useRef(cm.meetingRule),
        useRef(cm.meetingTime), useRef(cm.meetingPlace), useRef(cm.resolveOutsideMeeting),
        useRef(cm.id);
    return st.execute();
  });
  if (changed == 0)
    throw NotFound(Msg("No such community: {1}.").arg(static_cast<long long>(cm.id)));
}

// communityId 0: every community's meetings.
std::vector<Meeting> SqlStore::meetings(int64_t communityId) {
  auto c = pool_.borrow();
  return c->guarded("meetings", [&] {
    const std::string sql = "SELECT " + Columns<Meeting>::sql() + " FROM meetings";
    if (communityId == 0) {
      Step s(*c, sql + " ORDER BY date DESC, id DESC");
      return readRows<Meeting>(s);
    }
    Step s(*c, sql + " WHERE community_id = ? ORDER BY date DESC, id DESC");
    s.bind(communityId);
    return readRows<Meeting>(s);
  });
}

}  // namespace liufang::model::sql
