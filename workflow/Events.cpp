#include "workflow/Events.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <boost/intrusive_ptr.hpp>
#include <map>
#include <sstream>

#include "model/Errors.h"
#include "workflow/ItemMachine.h"

namespace liufang::workflow {
namespace {

const std::map<std::string, std::pair<std::string, std::string>>& stateLabels() {
  static const std::map<std::string, std::pair<std::string, std::string>> labels = {
      {"proposal", {"提议", "Proposal"}},
      {"discussion", {"讨论", "Discussion"}},
      {"assignment", {"交办", "Assignment"}},
      {"deadline", {"限时办理", "Being handled"}},
      {"deadline.on_track", {"限时办理（正常）", "Being handled (on track)"}},
      {"deadline.due_soon", {"限时办理（临期）", "Being handled (due soon)"}},
      {"deadline.overdue", {"限时办理（逾期）", "Being handled (overdue)"}},
      {"followup", {"跟踪督查", "Follow-up"}},
      {"closed", {"办结", "Closed"}},
  };
  return labels;
}

const std::map<std::string, std::string>& fieldLabels() {
  static const std::map<std::string, std::string> labels = {
      {"title", "标题"},       {"description", "内容"},
      {"party", "所属方"},     {"meeting", "会议"},
      {"stance", "意见"},      {"reason", "理由"},
      {"response", "答复"},    {"into", "合并到"},
      {"decision", "决议"},    {"lead", "牵头方"},
      {"co", "协办方"},        {"standard", "办理标准"},
      {"due", "办理期限"},     {"working_days", "工作日数"},
      {"text", "进展"},        {"done", "完成"},
      {"approve", "是否同意"}, {"note", "说明"},
      {"result", "办理结果"},  {"rating", "评价"},
      {"comment", "评语"},     {"now", "时间"}};
  return labels;
}

std::string label(const std::string& field) {
  auto it = fieldLabels().find(field);
  return it == fieldLabels().end() ? field : it->second;
}

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

size_t codePoints(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

// Reads fields leniently (forms send everything as text) and writes the canonical payload.
class FieldReader {
 public:
  FieldReader(const Poco::JSON::Object& in, Poco::JSON::Object::Ptr out) : in_(in), out_(out) {}

  std::string text(const std::string& key) const {
    if (!in_.has(key)) return {};
    const auto& v = in_.get(key);
    if (v.isEmpty()) return {};
    try {
      return trim(v.convert<std::string>());
    } catch (const Poco::Exception&) {
      throw Invalid("「" + label(key) + "」格式不正确。", "Field '" + key + "' is malformed.");
    }
  }

  std::string required(const std::string& key, size_t maxChars = 5000) {
    std::string v = text(key);
    if (v.empty())
      throw Invalid("请填写「" + label(key) + "」。", "Missing required field '" + key + "'.");
    return checked(key, v, maxChars);
  }

  std::string optional(const std::string& key, size_t maxChars = 5000) {
    std::string v = text(key);
    if (!v.empty()) checked(key, v, maxChars);
    return v;
  }

  std::string oneOf(const std::string& key, const std::vector<std::string>& allowed) {
    std::string v = required(key, 100);
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw Invalid("「" + label(key) + "」只能是：" + list + "。",
                    "Field '" + key + "' must be one of: " + list + ".");
    }
    return v;
  }

  std::string date(const std::string& key, bool require = true) {
    std::string v = require ? required(key, 20) : text(key);
    if (v.empty()) return v;
    auto d = model::Date::parse(v);
    if (!d)
      throw Invalid("「" + label(key) + "」须为日期，格式 YYYY-MM-DD。",
                    "Field '" + key + "' must be a date YYYY-MM-DD.");
    out_->set(key, d->str());
    return d->str();
  }

  int64_t integer(const std::string& key, bool require) {
    std::string v = text(key);
    if (v.empty()) {
      if (require)
        throw Invalid("请填写「" + label(key) + "」。", "Missing required field '" + key + "'.");
      return 0;
    }
    try {
      size_t used = 0;
      long long n = std::stoll(v, &used);
      if (used != v.size() || n <= 0) throw std::invalid_argument(v);
      out_->set(key, static_cast<Poco::Int64>(n));
      return n;
    } catch (const std::exception&) {
      throw Invalid("「" + label(key) + "」须为正整数。",
                    "Field '" + key + "' must be a positive whole number.");
    }
  }

  bool boolean(const std::string& key, bool require) {
    bool b = false;
    if (in_.has(key) && in_.get(key).isBoolean()) {
      b = in_.get(key).extract<bool>();
    } else {
      std::string v = text(key);
      std::transform(v.begin(), v.end(), v.begin(), ::tolower);
      if (v.empty() && require)
        throw Invalid("请选择「" + label(key) + "」。", "Missing required field '" + key + "'.");
      if (v == "true" || v == "1" || v == "on" || v == "yes")
        b = true;
      else if (!(v.empty() || v == "false" || v == "0" || v == "off" || v == "no"))
        throw Invalid("「" + label(key) + "」须为是或否。",
                      "Field '" + key + "' must be true or false.");
    }
    out_->set(key, b);
    return b;
  }

  // A list of party codes: a JSON array, or text separated by commas / spaces.
  std::vector<std::string> list(const std::string& key) {
    std::vector<std::string> items;
    if (in_.has(key)) {
      const auto& v = in_.get(key);
      if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
        auto arr = v.extract<Poco::JSON::Array::Ptr>();
        for (size_t i = 0; i < arr->size(); ++i) items.push_back(trim(arr->get(i).toString()));
      } else if (!v.isEmpty()) {
        std::string s = v.convert<std::string>();
        std::replace_if(
            s.begin(), s.end(), [](char c) { return c == ',' || c == ';'; }, ' ');
        std::istringstream words(s);
        for (std::string w; words >> w;) items.push_back(w);
      }
    }
    items.erase(std::remove(items.begin(), items.end(), std::string()), items.end());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& i : items) arr->add(i);
    out_->set(key, arr);
    return items;
  }

  void put(const std::string& key, const std::string& v) { out_->set(key, v); }

 private:
  std::string checked(const std::string& key, const std::string& v, size_t maxChars) {
    if (codePoints(v) > maxChars)
      throw Invalid(
          "「" + label(key) + "」不能超过 " + std::to_string(maxChars) + " 个字。",
          "Field '" + key + "' is longer than " + std::to_string(maxChars) + " characters.");
    out_->set(key, v);
    return v;
  }

  const Poco::JSON::Object& in_;
  Poco::JSON::Object::Ptr out_;
};

std::string pstr(const Poco::JSON::Object& p, const std::string& k) {
  return p.has(k) && !p.get(k).isEmpty() ? p.get(k).convert<std::string>() : std::string();
}
int64_t pint(const Poco::JSON::Object& p, const std::string& k) {
  return p.has(k) && !p.get(k).isEmpty() ? p.get(k).convert<Poco::Int64>() : 0;
}
bool pbool(const Poco::JSON::Object& p, const std::string& k) {
  return p.has(k) && !p.get(k).isEmpty() && p.get(k).convert<bool>();
}
std::vector<std::string> plist(const Poco::JSON::Object& p, const std::string& k) {
  std::vector<std::string> out;
  if (auto arr = p.getArray(k))
    for (size_t i = 0; i < arr->size(); ++i) out.push_back(arr->get(i).toString());
  return out;
}

}  // namespace

const std::vector<EventSpec>& eventSpecs() {
  static const std::vector<EventSpec> specs = {
      {"propose", "提出议题", "propose", {}},
      {"take_up", "提交会议讨论", "take up", {"proposal"}},
      {"log_position", "表态", "log position", {"discussion"}},
      {"defer", "暂缓", "defer", {"discussion"}},
      {"dismiss", "不予采纳", "dismiss", {"discussion"}},
      {"withdraw", "撤回", "withdraw", {"proposal"}},
      {"merge", "合并", "merge", {"proposal"}},
      {"resolve", "形成决议", "resolve", {"discussion"}},
      {"assign", "交办", "assign", {"assignment"}},
      {"report_progress", "报告进展", "report progress", {"deadline"}},
      {"request_extension", "申请延期", "request extension", {"deadline"}},
      {"decide_extension", "审批延期", "decide extension", {"deadline"}},
      {"urge", "催办", "urge", {"deadline"}},
      {"escalate", "挂牌督办", "escalate", {"deadline"}},
      {"tick", "时限检查", "tick", {"deadline"}},
      {"submit_result", "提交办理结果", "submit result", {"deadline"}},
      {"accept", "验收办结", "accept", {"followup"}},
      {"return_for_rework", "退回重办", "return for rework", {"followup"}},
      {"rate", "评价", "rate", {"closed"}},
      {"reopen", "重新启动", "reopen", {"closed"}},
  };
  return specs;
}

const EventSpec* findEvent(const std::string& name) {
  for (const auto& s : eventSpecs())
    if (s.name == name) return &s;
  return nullptr;
}

bool acceptedIn(const std::string& event, const std::string& state) {
  const EventSpec* spec = findEvent(event);
  if (!spec) return false;
  const std::string top = state.substr(0, state.find('.'));
  return std::find(spec->from.begin(), spec->from.end(), top) != spec->from.end();
}

std::string eventLabelZh(const std::string& event) {
  const EventSpec* spec = findEvent(event);
  return spec ? spec->zh : event;
}

std::string stateLabelZh(const std::string& state) {
  auto it = stateLabels().find(state);
  return it == stateLabels().end() ? state : it->second.first;
}

std::string stateLabelEn(const std::string& state) {
  auto it = stateLabels().find(state);
  return it == stateLabels().end() ? state : it->second.second;
}

std::pair<std::string, std::string> stateRefusal(const std::string& state,
                                                 const std::string& event) {
  static const std::map<std::string, std::pair<std::string, std::string>> hints = {
      {"proposal",
       {"提议须先提交会议讨论，或撤回、合并。",
        "A proposal must first be taken up in a meeting, or withdrawn or merged."}},
      {"discussion",
       {"讨论中的事项可以表态、暂缓、不予采纳或形成决议。",
        "An item in discussion takes positions, defer, dismiss or resolve."}},
      {"assignment",
       {"已形成决议的事项须先交办。", "A resolved item must first be assigned to a lead party."}},
      {"deadline",
       {"办理中的事项可以报告进展、申请或审批延期、催办、挂牌督办或提交办理结果。",
        "An item being handled takes progress reports, extensions, urging, escalation or its "
        "result."}},
      {"followup",
       {"已提交结果的事项由督查员验收或退回重办。",
        "A submitted result is accepted or returned for rework by a supervisor."}},
      {"closed",
       {"事项已办结，只能评价或重新启动。", "A closed item can only be rated or reopened."}},
  };
  const std::string top = state.substr(0, state.find('.'));
  auto it = hints.find(top);
  std::string zh =
      "事项处于「" + stateLabelZh(top) + "」阶段，不能「" + eventLabelZh(event) + "」。";
  std::string en = "An item in " + top + " does not accept " + event + ".";
  if (it != hints.end()) {
    zh += it->second.first;
    en += " " + it->second.second;
  }
  return {zh, en};
}

Poco::JSON::Object::Ptr normalizeFields(const std::string& event, const Poco::JSON::Object& fields,
                                        const FieldContext& ctx) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  FieldReader f(fields, out);
  const std::vector<std::string> stances = {"support", "oppose", "abstain", "supplement"};
  const std::vector<std::string> ratings = {"satisfied", "basically_satisfied", "dissatisfied"};

  if (event == "propose") {
    f.required("title", 200);
    f.required("description", 5000);
    std::string party = f.optional("party", 64);
    if (party.empty()) {
      if (ctx.actorParty.empty())
        throw Invalid("请选择「所属方」。", "Missing required field 'party'.");
      f.put("party", ctx.actorParty);
    }
  } else if (event == "take_up") {
    f.integer("meeting", false);
  } else if (event == "log_position") {
    std::string party = f.optional("party", 64);
    if (party.empty()) f.put("party", ctx.actorParty);
    f.oneOf("stance", stances);
    f.required("reason");
  } else if (event == "defer" || event == "reopen") {
    f.required("reason");
  } else if (event == "dismiss" || event == "withdraw") {
    f.required("response");
  } else if (event == "merge") {
    f.integer("into", true);
    f.required("response");
  } else if (event == "resolve") {
    f.required("decision");
  } else if (event == "assign") {
    f.required("lead", 64);
    f.list("co");
    f.required("standard");
    std::string due = f.date("due", false);
    int64_t days = 0;
    if (!f.text("working_days").empty()) days = f.integer("working_days", true);
    if (due.empty() && days == 0)
      throw Invalid("请填写「办理期限」或「工作日数」。",
                    "Give either 'due' (a date) or 'working_days'.");
    if (due.empty()) {
      if (days > 3650) throw Invalid("「工作日数」太大。", "'working_days' is too large.");
      f.put("due", ctx.calendar->addWorkingDays(ctx.today, static_cast<int>(days)).str());
    }
  } else if (event == "report_progress") {
    f.put("party", ctx.actorParty);
    f.required("text");
    f.boolean("done", false);
  } else if (event == "request_extension") {
    f.required("reason");
    f.date("due");
  } else if (event == "decide_extension") {
    f.boolean("approve", true);
    f.optional("note");
  } else if (event == "urge" || event == "escalate") {
    f.required("note");
  } else if (event == "tick") {
    f.put("now", ctx.at);
  } else if (event == "submit_result") {
    f.required("result");
  } else if (event == "accept") {
    f.optional("note");
  } else if (event == "return_for_rework") {
    f.required("reason");
    f.date("due");
  } else if (event == "rate") {
    f.oneOf("rating", ratings);
    f.optional("comment");
  } else {
    throw Invalid("未知事件「" + event + "」。", "Unknown event '" + event + "'.");
  }
  return out;
}

model::Item itemFromProposal(const Poco::JSON::Object& payload, int64_t communityId, int64_t userId,
                             const std::string& at) {
  model::Item item;
  item.communityId = communityId;
  item.title = pstr(payload, "title");
  item.description = pstr(payload, "description");
  item.proposerParty = pstr(payload, "party");
  item.proposerUser = userId;
  item.state = "proposal";
  item.createdAt = at;
  item.updatedAt = at;
  return item;
}

std::string processEvent(ItemMachine& machine, const std::string& type, const Poco::JSON::Object& p,
                         const StepInput& in) {
  boost::intrusive_ptr<const sc::event_base> ev;  // events are ref-counted
  if (type == "take_up") {
    boost::intrusive_ptr<EvTakeUp> e = new EvTakeUp;
    e->meeting = pint(p, "meeting");
    ev = e;
  } else if (type == "log_position") {
    boost::intrusive_ptr<EvLogPosition> e = new EvLogPosition;
    e->party = pstr(p, "party"), e->stance = pstr(p, "stance"), e->reason = pstr(p, "reason");
    ev = e;
  } else if (type == "defer") {
    boost::intrusive_ptr<EvDefer> e = new EvDefer;
    e->reason = pstr(p, "reason");
    ev = e;
  } else if (type == "dismiss") {
    boost::intrusive_ptr<EvDismiss> e = new EvDismiss;
    e->response = pstr(p, "response");
    ev = e;
  } else if (type == "withdraw") {
    boost::intrusive_ptr<EvWithdraw> e = new EvWithdraw;
    e->response = pstr(p, "response");
    ev = e;
  } else if (type == "merge") {
    boost::intrusive_ptr<EvMerge> e = new EvMerge;
    e->into = pint(p, "into"), e->response = pstr(p, "response");
    ev = e;
  } else if (type == "resolve") {
    boost::intrusive_ptr<EvResolve> e = new EvResolve;
    e->decision = pstr(p, "decision");
    ev = e;
  } else if (type == "assign") {
    boost::intrusive_ptr<EvAssign> e = new EvAssign;
    e->lead = pstr(p, "lead"), e->co = plist(p, "co"), e->standard = pstr(p, "standard");
    e->due = pstr(p, "due");
    ev = e;
  } else if (type == "report_progress") {
    boost::intrusive_ptr<EvReportProgress> e = new EvReportProgress;
    e->party = pstr(p, "party"), e->text = pstr(p, "text"), e->done = pbool(p, "done");
    ev = e;
  } else if (type == "request_extension") {
    boost::intrusive_ptr<EvRequestExtension> e = new EvRequestExtension;
    e->reason = pstr(p, "reason"), e->due = pstr(p, "due");
    ev = e;
  } else if (type == "decide_extension") {
    boost::intrusive_ptr<EvDecideExtension> e = new EvDecideExtension;
    e->approve = pbool(p, "approve"), e->note = pstr(p, "note");
    ev = e;
  } else if (type == "urge") {
    boost::intrusive_ptr<EvUrge> e = new EvUrge;
    e->note = pstr(p, "note");
    ev = e;
  } else if (type == "escalate") {
    boost::intrusive_ptr<EvEscalate> e = new EvEscalate;
    e->note = pstr(p, "note");
    ev = e;
  } else if (type == "tick") {
    ev = new EvTick;
  } else if (type == "submit_result") {
    boost::intrusive_ptr<EvSubmitResult> e = new EvSubmitResult;
    e->result = pstr(p, "result");
    ev = e;
  } else if (type == "accept") {
    boost::intrusive_ptr<EvAccept> e = new EvAccept;
    e->note = pstr(p, "note");
    ev = e;
  } else if (type == "return_for_rework") {
    boost::intrusive_ptr<EvReturnForRework> e = new EvReturnForRework;
    e->reason = pstr(p, "reason"), e->due = pstr(p, "due");
    ev = e;
  } else if (type == "rate") {
    boost::intrusive_ptr<EvRate> e = new EvRate;
    e->rating = pstr(p, "rating"), e->comment = pstr(p, "comment");
    ev = e;
  } else if (type == "reopen") {
    boost::intrusive_ptr<EvReopen> e = new EvReopen;
    e->reason = pstr(p, "reason");
    ev = e;
  } else {
    throw Invalid("未知事件「" + type + "」。", "Unknown event '" + type + "'.");
  }
  machine.step(in, *ev);
  if (machine.wasRefused) throw Refused(machine.refusalZh, machine.refusalEn);
  return machine.stateName();
}

std::string canonicalJson(const Poco::JSON::Object& payload) {
  std::ostringstream out;
  payload.stringify(out, 0, -1);
  return out.str();
}

Poco::JSON::Object::Ptr parsePayload(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    auto v = parser.parse(text);
    auto obj = v.extract<Poco::JSON::Object::Ptr>();
    if (!obj) throw StorageError("payload is not a JSON object");
    return obj;
  } catch (const Poco::Exception& e) {
    throw StorageError("payload is not valid JSON: " + e.displayText());
  }
}

}  // namespace liufang::workflow
