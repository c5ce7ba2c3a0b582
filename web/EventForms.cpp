#include "web/EventForms.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <set>
#include <sstream>

#include "model/Errors.h"

namespace liufang::web {
namespace {

using workflow::FieldKind;

// Field names that appear in logged payloads but in no table row's form.
const std::map<std::string, std::string>& extraFieldLabels() {
  static const std::map<std::string, std::string> m = {{"community", "Community"}};
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

bool isList(FieldKind k) { return k == FieldKind::Parties; }

}  // namespace

std::vector<const workflow::EventInfo*> itemFormEvents() {
  std::vector<const workflow::EventInfo*> out;
  for (const auto& d : workflow::itemEvents())
    if (!d.system && !d.from.empty()) out.push_back(&d);
  return out;
}

const workflow::EventInfo* itemFormEvent(const std::string& type) {
  for (const auto* e : itemFormEvents())
    if (e->name == type) return e;
  return nullptr;
}

workflow::Command commandFromForm(const std::string& type, const FormFields& form) {
  workflow::Command cmd(type);
  const auto* def = workflow::findItemEvent(type);
  std::map<std::string, Poco::JSON::Array::Ptr> lists;
  for (const auto& [name, value] : form.all()) {
    if (name == "type" || name == "csrf") continue;
    const auto* f = def ? def->field(name) : nullptr;
    if (f && isList(f->kind)) {
      auto& arr = lists[name];
      if (!arr) arr = new Poco::JSON::Array;
      if (!value.empty()) arr->add(value);
      continue;
    }
    if (value.empty() || cmd.fields->has(name)) continue;
    cmd.fields->set(name, value);
  }
  for (const auto& [name, arr] : lists)
    if (arr->size() > 0) cmd.fields->set(name, arr);
  return cmd;
}

workflow::Command commandFromJson(const Poco::JSON::Object::Ptr& body) {
  if (!body || !body->has("type") || !body->get("type").isString() ||
      body->getValue<std::string>("type").empty())
    throw Invalid("The event type (\"type\") is missing.");
  workflow::Command cmd(body->getValue<std::string>("type"));
  for (const auto& [name, value] : *body)
    if (name != "type") cmd.fields->set(name, value);
  return cmd;
}

std::string stateLabel(const std::string& s) { return workflow::itemStateLabel(s); }
std::string eventLabel(const std::string& t) { return workflow::itemEventLabel(t); }
std::string fieldLabel(const std::string& name) {
  for (const auto& d : workflow::itemEvents())
    if (const auto* f = d.field(name)) return f->label;
  return lookup(extraFieldLabels(), name);
}
std::string lightLabel(const std::string& l) { return lookup(lightLabels(), l); }

const std::vector<std::string>& stateFilterCodes() {
  static const std::vector<std::string> v = {
      "proposal",          "discussion",       "assignment", "deadline",
      "deadline.due_soon", "deadline.overdue", "followup",   "closed"};
  return v;
}

std::vector<std::string> labelMsgids() {
  std::set<std::string> out;
  for (const auto& d : workflow::itemEvents()) {
    out.insert(d.label);
    for (const auto& f : d.fields) {
      out.insert(f.label);
      if (!f.help.empty()) out.insert(f.help);
      out.insert(f.choiceLabels.begin(), f.choiceLabels.end());
    }
  }
  for (const auto& s : workflow::itemStates()) out.insert(stateLabel(s));
  for (const auto& s : stateFilterCodes()) out.insert(stateLabel(s));
  for (const auto& o : {"resolved", "not_adopted", "withdrawn", "merged"})
    out.insert(outcomeLabel(o));
  for (const auto* m : {&lightLabels(), &extraFieldLabels()})
    for (const auto& [k, v] : *m) out.insert(v);
  return {out.begin(), out.end()};
}

Poco::JSON::Object::Ptr eventSchemas(const std::vector<const workflow::StreamKind*>& kinds) {
  using Obj = Poco::JSON::Object;
  using Arr = Poco::JSON::Array;
  Obj::Ptr schemas = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto* kind : kinds) {
    for (const auto* e : kind->events()) {
      if (e->system || e->from.empty()) continue;  // created by POST, or fired by the system
      Obj::Ptr s = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
      s->set("type", "object");
      std::string from;
      for (const auto& f : e->from) from += (from.empty() ? "" : ", ") + f;
      s->set("description", from + "; " + e->who + ". " + e->label);
      Obj::Ptr props = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
      Arr::Ptr required = new Arr;
      Obj::Ptr type = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
      type->set("type", "string");
      Arr::Ptr name = new Arr;
      name->add(e->name);
      type->set("enum", name);
      props->set("type", type);
      required->add("type");
      for (const auto& f : e->fields) {
        if (!f.onForm) continue;
        Obj::Ptr p = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
        switch (f.kind) {
          case FieldKind::Count:
          case FieldKind::ItemRef:
          case FieldKind::MeetingRef:
            p->set("type", "integer");
            p->set("minimum", 1);
            break;
          case FieldKind::Flag:
          case FieldKind::YesNo:
            p->set("type", "boolean");
            break;
          case FieldKind::Parties: {
            p->set("type", "array");
            Obj::Ptr items = new Obj;
            items->set("type", "string");
            p->set("items", items);
            break;
          }
          case FieldKind::ItemRefs: {
            p->set("type", "array");
            Obj::Ptr items = new Obj;
            items->set("type", "integer");
            items->set("minimum", 1);
            p->set("items", items);
            break;
          }
          case FieldKind::Attendance: {
            // [{party, status, delegate?}]
            p->set("type", "array");
            Obj::Ptr items = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
            items->set("type", "object");
            Obj::Ptr ap = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
            Obj::Ptr str = new Obj;
            str->set("type", "string");
            ap->set("party", str);
            Obj::Ptr status = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
            status->set("type", "string");
            Arr::Ptr values = new Arr;
            for (const auto& c : workflow::attendanceStatuses()) values->add(c);
            status->set("enum", values);
            ap->set("status", status);
            ap->set("delegate", str);
            items->set("properties", ap);
            Arr::Ptr req = new Arr;
            req->add("party");
            req->add("status");
            items->set("required", req);
            p->set("items", items);
            break;
          }
          case FieldKind::Date:
            p->set("type", "string");
            p->set("format", "date");
            break;
          case FieldKind::Choice: {
            p->set("type", "string");
            Arr::Ptr values = new Arr;
            for (const auto& c : f.choices) values->add(c);
            p->set("enum", values);
            break;
          }
          default:
            p->set("type", "string");
            p->set("maxLength", static_cast<Poco::Int64>(f.maxChars));
        }
        p->set("description", f.label);
        props->set(f.name, p);
        if (f.required) required->add(f.name);
      }
      s->set("properties", props);
      s->set("required", required);
      const std::string prefix = kind->name() == "item" ? "Event_" : kind->name() + "Event_";
      schemas->set(prefix + e->name, s);
    }
  }
  return schemas;
}

std::string openapiWithEvents(const std::string& doc,
                              const std::vector<const workflow::StreamKind*>& kinds) {
  using Obj = Poco::JSON::Object;
  Poco::JSON::Parser parser;
  Obj::Ptr root;
  try {
    root = parser.parse(doc).extract<Obj::Ptr>();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("web/api/openapi.json is not valid JSON: " + e.displayText());
  }
  auto schemas = root->getObject("components")->getObject("schemas");
  auto command = schemas->getObject("EventCommand");
  Poco::JSON::Array::Ptr oneOf = new Poco::JSON::Array;
  Obj::Ptr mapping = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto generated = eventSchemas(kinds);
  for (const auto& [name, schema] : *generated) {
    schemas->set(name, schema);
    if (name.rfind("Event_", 0) != 0) continue;  // the item's events are EventCommand
    Obj::Ptr ref = new Obj;
    ref->set("$ref", "#/components/schemas/" + name);
    oneOf->add(ref);
    mapping->set(name.substr(6), "#/components/schemas/" + name);
  }
  command->set("oneOf", oneOf);
  Obj::Ptr discriminator = new Obj(Poco::JSON_PRESERVE_KEY_ORDER);
  discriminator->set("propertyName", "type");
  discriminator->set("mapping", mapping);
  command->set("discriminator", discriminator);
  std::ostringstream out;
  root->stringify(out, 2);
  return out.str();
}

}  // namespace liufang::web
