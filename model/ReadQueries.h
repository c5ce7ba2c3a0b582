#pragma once
// Item lists and counts for pages, the JSON API and exports: filtered, paged by keyset and
// counted up to a cap, each answered by an index. Part of model::Store (Store.h).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/Types.h"

namespace liufang::model {

// Filters for listing items, newest (highest id) first. Empty strings, zeros and false mean
// "any". Every filter is answered by an index (migration 003), so a page costs what it shows,
// not what the database holds; only `text` (a substring search) and `party` on a rare party
// scan rows until the page is full.
struct ItemQuery {
  int64_t communityId = 0;
  std::string
      state;  // top-level state (proposal, discussion, ...) or a full one (deadline.overdue)
  std::string party;  // proposer, lead or co-handling party code
  std::string text;   // substring of title or description (matched literally, no wildcards)
  // Lead or co-handling party (not the proposer): a party's to-do list.
  std::string handledBy;
  // A party that has logged no position on the item (combine with state "discussion").
  std::string awaitingPositionOf;
  bool extensionPending = false;  // an extension request waits for a decision
  int limit = 50;                 // <= 0: no limit
  int offset = 0;                 // skips rows: cost grows with it; prefer afterId
  // Keyset paging: only items listed after this id (id < afterId, the next page) or before it
  // (id > beforeId, the previous page; still returned newest first). 0: from the start.
  int64_t afterId = 0;
  int64_t beforeId = 0;
  // For listItems' total: 0 counts every match (cost grows with the matches); N > 0 stops
  // counting at N + 1, so a total above N means "more than N".
  int64_t countCap = 0;
};

// Listing and counting items.
class ReadQueries {
 public:
  virtual ~ReadQueries() = default;

  // Items matching q, newest first; total (if given) receives the count without paging
  // (afterId, beforeId, limit and offset ignored), capped per q.countCap.
  virtual std::vector<Item> listItems(const ItemQuery& q, int64_t* total = nullptr) = 0;
  // Counts of items per full state name, for one community or all (0).
  virtual std::vector<std::pair<std::string, int64_t>> countByState(int64_t communityId) = 0;
  // Ids of a community's items in Deadline whose stored light is not the one `today` calls
  // for, where an item is overdue when due < today, due soon when today <= due < soonBefore,
  // else on track (dates ISO "YYYY-MM-DD"): on_track with due < soonBefore, due_soon with
  // due < today or due >= soonBefore, overdue with due >= today. Three index range scans
  // (migration 006): the cost grows with the items returned, not with the items held.
  virtual std::vector<int64_t> staleDeadlineItems(int64_t communityId, const std::string& today,
                                                  const std::string& soonBefore) = 0;
};

}  // namespace liufang::model
