#include "workflow/Verify.h"

#include <set>

#include "model/Errors.h"
#include "model/Hash.h"
#include "workflow/ItemKind.h"

namespace liufang::workflow {

VerifyReport verifyStore(model::Store& store, const model::HolidayCalendar& calendar) {
  VerifyReport rep;
  std::map<int64_t, int> offsets;
  for (const auto& c : store.communities()) offsets[c.id] = c.utcOffsetMinutes;

  for (const auto& kind : builtinKinds()) {
    const std::string& k = kind->name();
    auto fail = [&](int64_t id, int64_t seq, const std::string& why) {
      rep.ok = false;
      rep.badKind = k;
      rep.badItem = id;
      rep.badSeq = seq;
      rep.problem = why;
      return rep;
    };
    // Projections without a log and logs without a projection are both wrong.
    std::set<int64_t> ids;
    for (int64_t id : kind->ids(store)) ids.insert(id);
    for (int64_t id : store.streamIds(k)) ids.insert(id);

    for (int64_t id : ids) {
      auto stored = kind->load(store, id);
      if (!stored) return fail(id, 0, "the log has no stored projection");
      const auto log = store.events(model::StreamRef{k, id});
      ++rep.streams[k];
      if (k == "item") {
        ++rep.items;
        ++rep.byState[kind->stateOf(*stored)];
      }
      rep.events += static_cast<int64_t>(log.size());

      std::string prev = model::genesisHash(model::StreamRef{k, id});
      for (size_t i = 0; i < log.size(); ++i) {
        const auto& e = log[i];
        if (e.seq != static_cast<int64_t>(i) + 1)
          return fail(id, e.seq, "sequence gap: expected seq " + std::to_string(i + 1));
        if (e.prevHash != prev) return fail(id, e.seq, "prev_hash does not match the previous row");
        if (model::eventHash(e) != e.hash)
          return fail(id, e.seq, "hash does not match the row's content");
        prev = e.hash;
      }
      if (log.empty()) return fail(id, 0, k + " has no events");

      const int64_t community = kind->communityOf(*stored);
      std::any replayed;
      try {
        replayed = kind->replay(log, id, community, offsets[community], calendar);
      } catch (const std::exception& ex) {
        // Name the row the machine stopped at: replay row by row to find it.
        for (size_t n = 1; n <= log.size(); ++n) {
          try {
            kind->replay({log.begin(), log.begin() + static_cast<std::ptrdiff_t>(n)}, id, community,
                         offsets[community], calendar);
          } catch (const std::exception&) {
            return fail(id, log[n - 1].seq, std::string("replay failed: ") + ex.what());
          }
        }
        return fail(id, 0, std::string("replay failed: ") + ex.what());
      }
      const std::string diff = kind->diff(*stored, replayed);
      if (!diff.empty())
        return fail(id, 0, "stored projection differs from the replay in '" + diff + "'");
    }
  }
  // The desk's running totals are derived from the items; once built they must equal a
  // recount (a database never shown a desk has none yet, and that is fine).
  if (!store.instanceFlag("score_summary").empty()) {
    if (const int64_t drift = store.scoreSummaryDrift(); drift != 0) {
      rep.ok = false;
      rep.badKind = "score_summary";
      rep.problem = std::to_string(drift) +
                    " rows of the desk's running totals differ from a recount of the items";
    }
  }
  return rep;
}

}  // namespace liufang::workflow
