// The store's rosters as a whole: presets in one transaction, party edits that keep old names,
// and the name history.
#include "model/Errors.h"
#include "model/sql/Dialect.h"
#include "model/sql/SqlStore.h"

using namespace Poco::Data::Keywords;

namespace liufang::model::sql {
namespace {

// Runs f between BEGIN IMMEDIATE and COMMIT on c; rolls back if f throws. The caller holds the
// writer slot, so this never waits on SQLite's busy handler behind our own Engine.
template <class F>
void inTransaction(Connection& c, const char* what, F&& f) {
  try {
    c.guarded(what, [&] {
      c.session() << kSqlite.beginWrite, now;
      f();
      c.session() << "COMMIT", now;
    });
  } catch (...) {
    c.rollbackIfOpen();
    throw;
  }
}

}  // namespace

void SqlStore::addRoster(int64_t communityId, std::vector<Party>& parties) {
  std::unique_lock<std::timed_mutex> slot(writer_, std::defer_lock);
  if (!slot.try_lock_for(std::chrono::milliseconds(opts_.busyTimeoutMs)))
    throw StorageError("database is busy: no write slot within busy_timeout");
  auto c = pool_.borrow();
  try {
    inTransaction(*c, "addRoster", [&] {
      for (auto& p : parties) {
        p.communityId = communityId;
        Poco::Int64 id = 0;
        c->session() << "INSERT INTO parties (community_id, code, name, sort_order, short_name, "
                        "colour) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            useRef(p.communityId), useRef(p.code), useRef(p.name), useRef(p.sortOrder),
            useRef(p.shortName), useRef(p.colour), into(id), now;
        p.id = id;
      }
    });
  } catch (const Conflict&) {
    throw Conflict(Msg("A party code of this roster is already taken in this community."));
  } catch (const NotFound&) {
    throw NotFound(Msg("No such community: {1}.").arg(static_cast<long long>(communityId)));
  }
}

void SqlStore::updateParty(const Party& p, const std::string& at) {
  std::unique_lock<std::timed_mutex> slot(writer_, std::defer_lock);
  if (!slot.try_lock_for(std::chrono::milliseconds(opts_.busyTimeoutMs)))
    throw StorageError("database is busy: no write slot within busy_timeout");
  auto c = pool_.borrow();
  bool found = true;
  inTransaction(*c, "updateParty", [&] {
    std::vector<std::string> oldName, oldShort;
    c->session() << "SELECT name, short_name FROM parties WHERE id = ?", useRef(p.id),
        into(oldName), into(oldShort), now;
    if (oldName.empty()) {
      found = false;
      return;
    }
    if (oldName[0] != p.name || oldShort[0] != p.shortName) {
      int rows = 0;
      c->session() << "SELECT COUNT(*) FROM party_names WHERE party_id = ?", useRef(p.id),
          into(rows), now;
      const std::string always;
      if (rows == 0)
        c->session() << "INSERT INTO party_names (party_id, effective_from, name, short_name)"
                        " VALUES (?, ?, ?, ?)",
            useRef(p.id), useRef(always), useRef(oldName[0]), useRef(oldShort[0]), now;
      // Two renames within one instant: the later one wins that instant.
      c->session() << "INSERT INTO party_names (party_id, effective_from, name, short_name)"
                      " VALUES (?, ?, ?, ?) ON CONFLICT (party_id, effective_from) DO UPDATE"
                      " SET name = excluded.name, short_name = excluded.short_name",
          useRef(p.id), useRef(at), useRef(p.name), useRef(p.shortName), now;
    }
    c->session() << "UPDATE parties SET name = ?, short_name = ?, colour = ?, sort_order = ?"
                    " WHERE id = ?",
        useRef(p.name), useRef(p.shortName), useRef(p.colour), useRef(p.sortOrder), useRef(p.id),
        now;
  });
  if (!found) throw NotFound(Msg("No such party: {1}.").arg(static_cast<long long>(p.id)));
}

std::vector<PartyName> SqlStore::partyNames(int64_t communityId) {
  auto c = pool_.borrow();
  return c->guarded("partyNames", [&] {
    Step s(*c, "SELECT " + Columns<PartyName>::sql() +
                   " FROM party_names n JOIN parties p ON p.id = n.party_id"
                   " WHERE p.community_id = ? ORDER BY n.party_id, n.effective_from");
    s.bind(communityId);
    return readRows<PartyName>(s);
  });
}

void SqlStore::addPartyName(const PartyName& n) {
  auto c = pool_.borrow();
  c->guarded("addPartyName", [&] {
    c->session() << "INSERT INTO party_names (party_id, effective_from, name, short_name)"
                    " VALUES (?, ?, ?, ?)",
        useRef(n.partyId), useRef(n.effectiveFrom), useRef(n.name), useRef(n.shortName), now;
  });
}

}  // namespace liufang::model::sql
