#include "workflow/Ledger.h"

#include <map>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "workflow/ItemEvents.h"

namespace liufang::workflow {
namespace {

constexpr int kPage = 500;

// The community-local date of a stored instant, "" if none.
std::string localDay(const std::string& instant, int offset) {
  if (instant.empty()) return {};
  try {
    return model::localDate(model::parseInstant(instant), offset).str();
  } catch (const std::exception&) {
    return instant;
  }
}

}  // namespace

const std::vector<std::string>& ledgerHeadings() {
  static const std::vector<std::string> h = {
      "No.",        "Agenda item",   "Proposed by", "Lead party", "Co-handling parties",
      "Assigned on", "Time limit",   "State",       "Response given", "Closed on",
      "On time",    "Urges",         "Returns",     "Satisfaction"};
  return h;
}

std::string csvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t k = 0; k < fields.size(); ++k) {
    if (k > 0) out += ',';
    const std::string& f = fields[k];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char ch : f) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

int64_t forEachLedgerRow(model::Store& store, const ScorePeriod& period, const Translate& tr,
                         const std::function<bool(const LedgerRow&)>& row) {
  const model::ScoreScope scope = scopeOf(store, period);
  model::ItemQuery q;
  q.communityId = period.communityId;
  q.createdFrom = scope.fromInstant;
  q.createdTo = scope.toInstant;
  q.limit = kPage;
  // Rosters and offsets read once per community, not per row.
  std::map<int64_t, std::map<std::string, std::string>> names;
  std::map<int64_t, int> offsets;
  auto partyName = [&](int64_t community, const std::string& code) -> std::string {
    if (code.empty()) return {};
    auto it = names.find(community);
    if (it == names.end()) {
      std::map<std::string, std::string> m;
      for (const auto& p : store.parties(community)) m[p.code] = p.name;
      it = names.emplace(community, std::move(m)).first;
    }
    auto n = it->second.find(code);
    return n == it->second.end() ? code : n->second;
  };
  auto offsetOf = [&](int64_t community) {
    auto it = offsets.find(community);
    if (it == offsets.end()) {
      auto c = store.findCommunity(community);
      it = offsets.emplace(community, c ? c->utcOffsetMinutes : 480).first;
    }
    return it->second;
  };
  int64_t given = 0;
  for (;;) {
    const auto items = store.listItems(q);
    for (const auto& i : items) {
      const int off = offsetOf(i.communityId);
      std::string co;
      for (const auto& c : i.co()) co += (co.empty() ? "" : "、") + partyName(i.communityId, c);
      const std::string closed = localDay(i.closedAt, off);
      std::string onTime;
      if (i.state == "closed" && i.outcome == "resolved" && !i.due.empty())
        onTime = tr(closed <= i.due ? "Yes" : "No");
      LedgerRow r = {std::to_string(i.id),
                     i.title,
                     partyName(i.communityId, i.proposerParty),
                     partyName(i.communityId, i.lead()),
                     co,
                     localDay(i.assignedAt, off),
                     i.due,
                     tr(itemStateLabel(i.state)),
                     i.response,
                     closed,
                     onTime,
                     std::to_string(i.urgeCount),
                     std::to_string(i.reworkCount),
                     i.rating.empty() ? "" : tr(ratingLabel(i.rating))};
      ++given;
      if (!row(r)) return given;
    }
    if (static_cast<int>(items.size()) < kPage) return given;
    q.afterId = items.back().id;
  }
}

int64_t writeLedgerCsv(std::ostream& out, model::Store& store, const ScorePeriod& period,
                       const Translate& tr) {
  out << "\xEF\xBB\xBF";  // the BOM: Excel and WPS read the file as UTF-8 only with it
  std::vector<std::string> head;
  for (const auto& h : ledgerHeadings()) head.push_back(tr(h));
  out << csvRecord(head);
  return forEachLedgerRow(store, period, tr, [&](const LedgerRow& r) {
    out << csvRecord(r);
    return static_cast<bool>(out);
  });
}

}  // namespace liufang::workflow
