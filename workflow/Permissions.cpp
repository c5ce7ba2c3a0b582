#include "workflow/Permissions.h"

#include "model/Errors.h"
#include "workflow/Events.h"

namespace liufang::workflow {
namespace {

bool handles(const model::Item& item, const std::string& party, bool leadOnly) {
  if (party.empty()) return false;
  for (const auto& h : item.handlers)
    if (h.party == party && (h.lead || !leadOnly)) return true;
  return false;
}

// Returns {zh, en} of why not, or empty strings when allowed.
std::pair<std::string, std::string> denial(const std::string& event, const model::Item& item,
                                           const Actor& a) {
  if (event == "tick")
    return a.system ? std::pair<std::string, std::string>{}
                    : std::pair<std::string, std::string>{"时限检查由系统执行。",
                                                          "Only the system fires tick."};
  if (a.system) return {"系统只能执行时限检查。", "The system may only fire tick."};
  if (a.communityId != 0 && a.communityId != item.communityId)
    return {"您不属于该事项所在的社区。", "You do not belong to this item's community."};

  const bool convener = a.convener;
  const bool rep = a.representative && !a.party.empty();
  const std::string who = "「" + eventLabelZh(event) + "」";

  if (event == "propose") {
    if (convener) return {};
    if (rep && a.party == item.proposerParty) return {};
    if (rep) return {"只能以本方名义提出议题。", "You may only propose for your own party."};
    return {"只有召集人或各方代表可以提出议题。",
            "Only the convener or a party representative may propose."};
  }
  if (event == "take_up" || event == "defer" || event == "dismiss" || event == "merge" ||
      event == "resolve" || event == "assign" || event == "decide_extension") {
    if (convener) return {};
    return {who + "只能由召集人执行。", "Only the convener may " + event + "."};
  }
  if (event == "withdraw") {
    if (convener || (rep && a.party == item.proposerParty)) return {};
    return {"只有提议方或召集人可以撤回。",
            "Only the proposing party or the convener may withdraw."};
  }
  if (event == "log_position") {
    if (rep) return {};
    return {"只有各方代表可以为本方表态。", "Only a party representative may log a position."};
  }
  if (event == "report_progress") {
    if (rep && handles(item, a.party, false)) return {};
    return {"只有牵头方或协办方可以报告进展。",
            "Only the lead or a co-handling party may report progress."};
  }
  if (event == "request_extension" || event == "submit_result") {
    if (rep && handles(item, a.party, true)) return {};
    return {who + "只能由牵头方执行。", "Only the lead party may " + event + "."};
  }
  if (event == "urge" || event == "escalate" || event == "accept" || event == "return_for_rework") {
    if (a.supervisor) return {};
    return {who + "只能由督查员执行。", "Only a supervisor may " + event + "."};
  }
  if (event == "rate") {
    if (rep && a.party == item.proposerParty) return {};
    if (a.userId != 0 && a.userId == item.proposerUser) return {};
    return {"只有提议方可以评价。", "Only the proposing party may rate the item."};
  }
  if (event == "reopen") {
    if (convener) return {};
    if (a.supervisor && item.rating == "dissatisfied") return {};
    if (a.supervisor)
      return {"督查员只能重新启动提议方不满意的事项。",
              "A supervisor may reopen only an item its proposer was dissatisfied with."};
    return {"只有召集人可以重新启动。", "Only the convener may reopen."};
  }
  return {"未知事件。", "Unknown event."};
}

}  // namespace

void authorize(const std::string& event, const model::Item& item, const Actor& actor) {
  auto [zh, en] = denial(event, item, actor);
  if (!zh.empty()) throw Forbidden(zh, en);
}

bool mayFire(const std::string& event, const model::Item& item, const Actor& actor) {
  return denial(event, item, actor).first.empty();
}

}  // namespace liufang::workflow
