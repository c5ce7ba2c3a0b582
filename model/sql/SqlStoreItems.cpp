// The store's item reads: one item, listed and counted items, and the event streams.
#include <algorithm>
#include <cstdint>
#include <map>

#include "model/sql/Dialect.h"
#include "model/sql/SqlStore.h"

// Every statement here executes at once (`now` or execute()), so binding by reference (useRef)
// is safe for const fields too; Poco's use() refuses const references outright.
using namespace Poco::Data::Keywords;

namespace liufang::model::sql {
namespace {

// The WHERE clause of an item query, from fixed fragments; every value is a parameter. The
// keyset bounds (afterId, beforeId) are left to the caller: counts ignore them.
void itemFilter(const ItemQuery& q, std::string& where, std::vector<Param>& params) {
  where = " WHERE 1 = 1";
  const std::string esc = std::string(" ESCAPE '") + kLikeEscape + "'";
  if (q.communityId != 0) {
    where += " AND i.community_id = ?";
    params.emplace_back(Poco::Int64{q.communityId});
  }
  if (!q.state.empty()) {
    // top_state (migration 003) is indexed; "state = ? OR state LIKE 'x.%'" could use no index.
    where += q.state.find('.') != std::string::npos ? " AND i.state = ?" : " AND i.top_state = ?";
    params.emplace_back(q.state);
  }
  if (q.extensionPending) where += " AND i.extension_due <> ''";
  if (!q.party.empty()) {
    where +=
        " AND (i.proposer_party = ? OR EXISTS (SELECT 1 FROM item_handlers h"
        " WHERE h.item_id = i.id AND h.party = ?))";
    params.emplace_back(q.party);
    params.emplace_back(q.party);
  }
  if (!q.handledBy.empty()) {
    where += " AND EXISTS (SELECT 1 FROM item_handlers h WHERE h.item_id = i.id AND h.party = ?)";
    params.emplace_back(q.handledBy);
  }
  if (!q.awaitingPositionOf.empty()) {
    where += " AND NOT EXISTS (SELECT 1 FROM positions p WHERE p.item_id = i.id AND p.party = ?)";
    params.emplace_back(q.awaitingPositionOf);
  }
  if (!q.text.empty()) {
    const std::string like = std::string(" ") + kSqlite.likeOperator + " ?" + esc;
    where += " AND (i.title" + like + " OR i.description" + like + ")";
    const std::string pattern = "%" + likeLiteral(q.text) + "%";
    params.emplace_back(pattern);
    params.emplace_back(pattern);
  }
}

}  // namespace

std::optional<Item> SqlStore::findItem(int64_t id) {
  auto c = pool_.borrow();
  return c->guarded("findItem", [&]() -> std::optional<Item> {
    std::vector<Item> items;
    {
      Step s(*c, "SELECT " + Columns<Item>::sql() + " FROM items WHERE id = ?");
      s.bind(id);
      items = readRows<Item>(s);
    }
    if (items.empty()) return std::nullopt;
    attachChildren(*c, items);
    return std::move(items.front());
  });
}

std::vector<Item> SqlStore::listItems(const ItemQuery& q, int64_t* total) {
  std::string where;
  std::vector<Param> params;
  itemFilter(q, where, params);
  std::string page = where;
  std::vector<Param> pageParams = params;
  if (q.afterId > 0) {
    page += " AND i.id < ?";
    pageParams.emplace_back(Poco::Int64{q.afterId});
  }
  if (q.beforeId > 0) {
    page += " AND i.id > ?";
    pageParams.emplace_back(Poco::Int64{q.beforeId});
  }
  // The page before beforeId is read upwards from it, then turned round (newest first).
  const bool backwards = q.beforeId > 0 && q.afterId == 0;
  // limit <= 0: no limit (the largest int64 rather than dialect-specific syntax).
  const Poco::Int64 limit = q.limit > 0 ? q.limit : INT64_MAX;
  const Poco::Int64 offset = q.offset > 0 ? q.offset : 0;
  pageParams.emplace_back(limit);
  pageParams.emplace_back(offset);

  auto c = pool_.borrow();
  return c->guarded("listItems", [&] {
    std::vector<Item> items;
    {
      Step s(*c, "SELECT " + Columns<Item>::sql() + " FROM items i" + page + " ORDER BY i.id " +
                     (backwards ? "ASC" : "DESC") + " LIMIT ? OFFSET ?");
      bindParams(s, pageParams);
      items = readRows<Item>(s);
    }
    if (backwards) std::reverse(items.begin(), items.end());
    if (total) {
      Step s(*c, q.countCap > 0
                     ? "SELECT COUNT(*) FROM (SELECT 1 FROM items i" + where + " LIMIT ?)"
                     : "SELECT COUNT(*) FROM items i" + where);
      bindParams(s, params);
      const Poco::Int64 cap = q.countCap + 1;
      if (q.countCap > 0) s.bind(cap);
      *total = 0;
      if (s.row()) s.read(0, *total);
    }
    attachChildren(*c, items);
    return items;
  });
}

std::vector<int64_t> SqlStore::itemIds() {
  auto c = pool_.borrow();
  return c->guarded("itemIds", [&] {
    std::vector<Poco::Int64> ids;
    c->session() << "SELECT id FROM items ORDER BY id", into(ids), now;
    return std::vector<int64_t>(ids.begin(), ids.end());
  });
}

std::vector<EventRecord> SqlStore::events(const StreamRef& stream) {
  // The item page and the API read a log on every view: a cached statement (ReadRows.h).
  static const std::string sql =
      "SELECT " + Columns<EventRecord>::sql() +
      " FROM stream_events WHERE kind = ? AND stream_id = ? ORDER BY seq";
  auto c = pool_.borrow();
  return c->guarded("events", [&] {
    Step s(*c, sql);
    s.bind(stream.kind).bind(stream.id);
    return readRows<EventRecord>(s);
  });
}

std::vector<int64_t> SqlStore::streamIds(const std::string& kind) {
  auto c = pool_.borrow();
  return c->guarded("streamIds", [&] {
    std::vector<Poco::Int64> ids;
    c->session() << "SELECT DISTINCT stream_id FROM stream_events WHERE kind = ?"
                    " ORDER BY stream_id",
        useRef(kind), into(ids), now;
    return std::vector<int64_t>(ids.begin(), ids.end());
  });
}

std::vector<std::pair<std::string, int64_t>> SqlStore::countByState(int64_t communityId) {
  auto c = pool_.borrow();
  return c->guarded("countByState", [&] {
    std::vector<std::string> states;
    std::vector<Poco::Int64> counts;
    Poco::Int64 cid = communityId;
    if (communityId == 0)
      c->session() << "SELECT state, COUNT(*) FROM items GROUP BY state ORDER BY state",
          into(states), into(counts), now;
    else
      c->session() << "SELECT state, COUNT(*) FROM items WHERE community_id = ?"
                      " GROUP BY state ORDER BY state",
          useRef(cid), into(states), into(counts), now;
    std::vector<std::pair<std::string, int64_t>> out;
    for (size_t i = 0; i < states.size(); ++i) out.emplace_back(states[i], counts[i]);
    return out;
  });
}

std::vector<int64_t> SqlStore::staleDeadlineItems(int64_t communityId, const std::string& today,
                                                  const std::string& soonBefore) {
  auto c = pool_.borrow();
  return c->guarded("staleDeadlineItems", [&] {
    // One range per (state, due) boundary on items_by_community_state_due; due = '' (never
    // set) is left alone, as deadlineLightFor leaves it on track.
    static const char* const kSql =
        "SELECT id FROM items WHERE community_id = ?1 AND state = 'deadline.on_track'"
        "   AND due > '' AND due < ?3"
        " UNION ALL SELECT id FROM items WHERE community_id = ?1"
        "   AND state = 'deadline.due_soon' AND due > '' AND due < ?2"
        " UNION ALL SELECT id FROM items WHERE community_id = ?1"
        "   AND state = 'deadline.due_soon' AND due >= ?3"
        " UNION ALL SELECT id FROM items WHERE community_id = ?1"
        "   AND state = 'deadline.overdue' AND due >= ?2";
    Step s(*c, kSql);
    const Poco::Int64 cid = communityId;
    s.bind(cid).bind(today).bind(soonBefore);
    std::vector<int64_t> ids;
    while (s.row()) {
      int64_t id = 0;
      s.read(0, id);
      ids.push_back(id);
    }
    return ids;
  });
}

// Fills handlers and positions of already-read items, up to 500 ids per query. The IN list
// is padded (repeating the last id) to one of a few sizes, so its statements stay cached.
void SqlStore::attachChildren(Connection& c, std::vector<Item>& items) {
  if (items.empty()) return;
  std::map<int64_t, Item*> byId;
  for (auto& i : items) byId[i.id] = &i;
  constexpr size_t kSizes[] = {1, 4, 20, 100, 500};
  for (size_t start = 0; start < items.size();) {
    const size_t left = items.size() - start;
    size_t width = kSizes[0];
    for (size_t w : kSizes)
      if ((width = w) >= left) break;
    const size_t end = start + std::min(left, width);
    std::string in = "?";
    for (size_t k = 1; k < width; ++k) in += ", ?";
    auto bindIds = [&](Step& s) {
      for (size_t k = 0; k < width; ++k) s.bind(items[std::min(start + k, end - 1)].id);
    };
    {
      Step s(c, "SELECT " + Columns<HandlerRow>::sql() + " FROM item_handlers WHERE item_id IN (" +
                    in + ") ORDER BY item_id, ord");
      bindIds(s);
      for (auto& r : readRows<HandlerRow>(s)) byId[r.itemId]->handlers.push_back(std::move(r.h));
    }
    {
      Step s(c, "SELECT " + Columns<PositionRow>::sql() + " FROM positions WHERE item_id IN (" +
                    in + ") ORDER BY item_id, ord");
      bindIds(s);
      for (auto& r : readRows<PositionRow>(s)) byId[r.itemId]->positions.push_back(std::move(r.p));
    }
    start = end;
  }
}

}  // namespace liufang::model::sql
