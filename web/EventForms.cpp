#include "web/EventForms.h"

#include <Poco/JSON/Array.h>

#include <map>

#include "model/Errors.h"

namespace liufang::web {
namespace {

using K = FieldKind;

const std::map<std::string, std::string>& stateLabels() {
  static const std::map<std::string, std::string> m = {
      {"proposal", "Proposal"},
      {"discussion", "Discussion"},
      {"assignment", "Assignment"},
      {"deadline", "Being handled"},
      {"deadline.on_track", "Being handled (on track)"},
      {"deadline.due_soon", "Being handled (due soon)"},
      {"deadline.overdue", "Being handled (overdue)"},
      {"followup", "Under review"},
      {"closed", "Closed"},
  };
  return m;
}

const std::map<std::string, std::string>& eventLabels() {
  static const std::map<std::string, std::string> m = {
      {"propose", "Raise a proposal"},
      {"take_up", "Take up in a meeting"},
      {"log_position", "Log our position"},
      {"defer", "Defer to a later meeting"},
      {"dismiss", "Dismiss"},
      {"withdraw", "Withdraw"},
      {"merge", "Merge into another item"},
      {"resolve", "Record the decision"},
      {"assign", "Assign"},
      {"report_progress", "Report progress"},
      {"request_extension", "Request an extension"},
      {"decide_extension", "Decide the extension request"},
      {"urge", "Urge"},
      {"escalate", "Escalate"},
      {"tick", "Deadline check"},
      {"submit_result", "Submit the result"},
      {"accept", "Accept the result"},
      {"return_for_rework", "Return for rework"},
      {"rate", "Rate the response"},
      {"reopen", "Reopen"},
  };
  return m;
}

const std::map<std::string, std::string>& fieldLabels() {
  static const std::map<std::string, std::string> m = {
      {"title", "Title"},
      {"description", "Description"},
      {"party", "Party"},
      {"meeting", "Meeting"},
      {"stance", "Stance"},
      {"reason", "Reason"},
      {"response", "Response to the proposer"},
      {"into", "Merge into item number"},
      {"decision", "Decision"},
      {"lead", "Lead party"},
      {"co", "Co-handling parties"},
      {"standard", "Standard"},
      {"due", "Due date"},
      {"working_days", "Or: working days from today"},
      {"text", "Progress"},
      {"done", "Our part is done"},
      {"approve", "Approve"},
      {"note", "Note"},
      {"result", "Result"},
      {"rating", "Rating"},
      {"comment", "Comment"},
      {"now", "Time"},
      {"community", "Community"},
  };
  return m;
}

const std::map<std::string, std::string>& stanceLabels() {
  static const std::map<std::string, std::string> m = {
      {"support", "Support"},
      {"oppose", "Oppose"},
      {"abstain", "Abstain"},
      {"supplement", "Supplement"},
  };
  return m;
}

const std::map<std::string, std::string>& ratingLabels() {
  static const std::map<std::string, std::string> m = {
      {"satisfied", "Satisfied"},
      {"basically_satisfied", "Basically satisfied"},
      {"dissatisfied", "Dissatisfied"},
  };
  return m;
}

const std::map<std::string, std::string>& outcomeLabels() {
  static const std::map<std::string, std::string> m = {
      {"resolved", "Resolved"},
      {"not_adopted", "Not adopted"},
      {"withdrawn", "Withdrawn"},
      {"merged", "Merged"},
  };
  return m;
}

const std::map<std::string, std::string>& lightLabels() {
  static const std::map<std::string, std::string> m = {
      {"green", "On track"},
      {"yellow", "Due soon"},
      {"red", "Overdue"},
  };
  return m;
}

std::string lookup(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? key : it->second;
}

}  // namespace

const std::vector<EventSpec>& eventSpecs() {
  static const std::vector<EventSpec> specs = {
      {"take_up", {{"meeting", K::Select, false, "meetings"}}},
      {"log_position", {{"stance", K::Select, true, "stances"}, {"reason", K::Textarea, true, ""}}},
      {"defer", {{"reason", K::Textarea, true, ""}}},
      {"dismiss", {{"response", K::Textarea, true, ""}}},
      {"withdraw", {{"response", K::Textarea, true, ""}}},
      {"merge", {{"into", K::Number, true, ""}, {"response", K::Textarea, true, ""}}},
      {"resolve", {{"decision", K::Textarea, true, ""}}},
      {"assign",
       {{"lead", K::Select, true, "parties"},
        {"co", K::Checkboxes, false, "parties"},
        {"standard", K::Textarea, true, ""},
        {"due", K::Date, false, ""},
        {"working_days", K::Number, false, ""}}},
      {"report_progress", {{"text", K::Textarea, true, ""}, {"done", K::Checkbox, false, ""}}},
      {"request_extension", {{"reason", K::Textarea, true, ""}, {"due", K::Date, true, ""}}},
      {"decide_extension", {{"approve", K::YesNo, true, ""}, {"note", K::Textarea, false, ""}}},
      {"urge", {{"note", K::Textarea, true, ""}}},
      {"escalate", {{"note", K::Textarea, true, ""}}},
      {"submit_result", {{"result", K::Textarea, true, ""}}},
      {"accept", {{"note", K::Textarea, false, ""}}},
      {"return_for_rework", {{"reason", K::Textarea, true, ""}, {"due", K::Date, true, ""}}},
      {"rate", {{"rating", K::Select, true, "ratings"}, {"comment", K::Textarea, false, ""}}},
      {"reopen", {{"reason", K::Textarea, true, ""}}},
  };
  return specs;
}

const EventSpec* eventSpec(const std::string& type) {
  for (const auto& s : eventSpecs())
    if (s.type == type) return &s;
  return nullptr;
}

workflow::Command commandFromForm(const std::string& type, const FormFields& form) {
  workflow::Command cmd(type);
  Poco::JSON::Array::Ptr co = new Poco::JSON::Array;
  bool sawCo = false;
  for (const auto& [name, value] : form.all()) {
    if (name == "type" || name == "csrf") continue;
    if (name == "co") {
      sawCo = true;
      if (!value.empty()) co->add(value);
      continue;
    }
    if (value.empty() || cmd.fields->has(name)) continue;
    cmd.fields->set(name, value);
  }
  if (sawCo && co->size() > 0) cmd.fields->set("co", co);
  return cmd;
}

workflow::Command commandFromJson(const Poco::JSON::Object::Ptr& body) {
  if (!body || !body->has("type") || !body->get("type").isString() ||
      body->getValue<std::string>("type").empty())
    throw Invalid("缺少事件类型 type", "The event type (\"type\") is missing.");
  workflow::Command cmd(body->getValue<std::string>("type"));
  for (const auto& [name, value] : *body)
    if (name != "type") cmd.fields->set(name, value);
  return cmd;
}

std::string stateLabel(const std::string& s) { return lookup(stateLabels(), s); }
std::string eventLabel(const std::string& t) { return lookup(eventLabels(), t); }
std::string fieldLabel(const std::string& f) { return lookup(fieldLabels(), f); }
std::string stanceLabel(const std::string& s) { return lookup(stanceLabels(), s); }
std::string ratingLabel(const std::string& r) { return lookup(ratingLabels(), r); }
std::string outcomeLabel(const std::string& o) { return lookup(outcomeLabels(), o); }
std::string lightLabel(const std::string& l) { return lookup(lightLabels(), l); }

const std::vector<std::string>& stanceCodes() {
  static const std::vector<std::string> v = {"support", "oppose", "abstain", "supplement"};
  return v;
}
const std::vector<std::string>& ratingCodes() {
  static const std::vector<std::string> v = {"satisfied", "basically_satisfied", "dissatisfied"};
  return v;
}
const std::vector<std::string>& stateFilterCodes() {
  static const std::vector<std::string> v = {
      "proposal",          "discussion",       "assignment", "deadline",
      "deadline.due_soon", "deadline.overdue", "followup",   "closed"};
  return v;
}

std::vector<std::string> labelMsgids() {
  std::vector<std::string> out;
  for (const auto* m : {&stateLabels(), &eventLabels(), &fieldLabels(), &stanceLabels(),
                        &ratingLabels(), &outcomeLabels(), &lightLabels()})
    for (const auto& [k, v] : *m) out.push_back(v);
  return out;
}

}  // namespace liufang::web
