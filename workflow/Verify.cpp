#include "workflow/Verify.h"

#include <map>

#include "model/Errors.h"
#include "model/Hash.h"
#include "workflow/Replay.h"

namespace liufang::workflow {
namespace {

// The first field where the stored projection and the replay differ, or "".
std::string projectionDiff(const model::Item& s, const model::Item& r) {
  auto handlers = [](const model::Item& i) {
    std::string out;
    for (const auto& h : i.handlers)
      out += h.party + (h.lead ? "*" : "") + (h.done ? "+" : "") + ",";
    return out;
  };
  auto positions = [](const model::Item& i) {
    std::map<std::string, std::string> out;
    for (const auto& p : i.positions)
      out[p.party] = p.stance + "|" + p.reason + "|" + p.at + "|" + std::to_string(p.userId);
    return out;
  };
#define LIUFANG_CMP(field) \
  if (s.field != r.field) return #field;
  LIUFANG_CMP(communityId)
  LIUFANG_CMP(title)
  LIUFANG_CMP(description)
  LIUFANG_CMP(proposerParty)
  LIUFANG_CMP(proposerUser)
  LIUFANG_CMP(state)
  LIUFANG_CMP(outcome)
  LIUFANG_CMP(response)
  LIUFANG_CMP(decision)
  LIUFANG_CMP(standard)
  LIUFANG_CMP(due)
  LIUFANG_CMP(extensionDue)
  LIUFANG_CMP(extensionReason)
  LIUFANG_CMP(result)
  LIUFANG_CMP(rating)
  LIUFANG_CMP(ratingComment)
  LIUFANG_CMP(urgeCount)
  LIUFANG_CMP(escalated)
  LIUFANG_CMP(reworkCount)
  LIUFANG_CMP(meetingId)
  LIUFANG_CMP(mergedInto)
  LIUFANG_CMP(createdAt)
  LIUFANG_CMP(updatedAt)
  LIUFANG_CMP(assignedAt)
  LIUFANG_CMP(submittedAt)
  LIUFANG_CMP(closedAt)
  LIUFANG_CMP(version)
  LIUFANG_CMP(lastHash)
#undef LIUFANG_CMP
  if (handlers(s) != handlers(r)) return "handlers";
  if (positions(s) != positions(r)) return "positions";
  return "";
}

}  // namespace

VerifyReport verifyStore(model::Store& store, const model::HolidayCalendar& calendar) {
  VerifyReport rep;
  std::map<int64_t, int> offsets;
  for (const auto& c : store.communities()) offsets[c.id] = c.utcOffsetMinutes;

  auto fail = [&](int64_t item, int64_t seq, const std::string& why) {
    rep.ok = false;
    rep.badItem = item;
    rep.badSeq = seq;
    rep.problem = why;
    return rep;
  };

  for (int64_t id : store.itemIds()) {
    auto stored = store.findItem(id);
    if (!stored) return fail(id, 0, "item vanished while verifying");
    const auto log = store.events(id);
    ++rep.items;
    rep.events += static_cast<int64_t>(log.size());
    ++rep.byState[stored->state];

    std::string prev = model::genesisHash(id);
    for (size_t i = 0; i < log.size(); ++i) {
      const auto& e = log[i];
      if (e.seq != static_cast<int64_t>(i) + 1)
        return fail(id, e.seq, "sequence gap: expected seq " + std::to_string(i + 1));
      if (e.prevHash != prev) return fail(id, e.seq, "prev_hash does not match the previous row");
      if (model::eventHash(e) != e.hash)
        return fail(id, e.seq, "hash does not match the row's content");
      prev = e.hash;
    }
    if (log.empty()) return fail(id, 0, "item has no events");

    model::Item replayed;
    try {
      replayed = replayLog(log, id, stored->communityId, offsets[stored->communityId], calendar);
    } catch (const std::exception& ex) {
      // Name the row the machine stopped at: replay row by row to find it.
      for (size_t n = 1; n <= log.size(); ++n) {
        try {
          replayLog({log.begin(), log.begin() + n}, id, stored->communityId,
                    offsets[stored->communityId], calendar);
        } catch (const std::exception&) {
          return fail(id, log[n - 1].seq, std::string("replay failed: ") + ex.what());
        }
      }
      return fail(id, 0, std::string("replay failed: ") + ex.what());
    }
    const std::string diff = projectionDiff(*stored, replayed);
    if (!diff.empty())
      return fail(id, 0, "stored projection differs from the replay in '" + diff + "'");
  }
  return rep;
}

}  // namespace liufang::workflow
