// The event tables are the one home of each event: these tests fail when an event lacks a
// label, a translation, a form, an API schema, a permission rule or a decoder, and when a
// reason the engine or the store can give has no zh-CN text.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "model/Clock.h"
#include "web/EventForms.h"
#include "web/I18n.h"
#include "workflow/Engine.h"
#include "workflow/ItemEvents.h"
#include "workflow/ItemKind.h"

namespace liufang {
namespace {

namespace fs = std::filesystem;

std::string translated(const web::I18n& i18n, const std::string& msgid) {
  return i18n.tr("zh_CN", msgid);
}

// The served OpenAPI document, built the way the server builds it.
Poco::JSON::Object::Ptr servedSchemas(const std::vector<const workflow::StreamKind*>& kinds) {
  std::ifstream in(std::string(LIUFANG_SOURCE_DIR) + "/web/api/openapi.json");
  std::stringstream doc;
  doc << in.rdbuf();
  Poco::JSON::Parser parser;
  auto root =
      parser.parse(web::openapiWithEvents(doc.str(), kinds)).extract<Poco::JSON::Object::Ptr>();
  return root->getObject("components")->getObject("schemas");
}

TEST(EventTable, EveryEventHasLabelFormSchemaPermissionAndDecoder) {
  const web::I18n i18n;
  // The kinds as the server registers them (an engine needs a store only to write).
  std::vector<std::unique_ptr<workflow::StreamKind>> owned = workflow::builtinKinds();
  std::vector<const workflow::StreamKind*> kinds;
  for (const auto& k : owned) kinds.push_back(k.get());
  const auto schemas = servedSchemas(kinds);
  const auto command = schemas->getObject("EventCommand");
  ASSERT_TRUE(command->has("oneOf"));

  size_t events = 0;
  for (const auto* kind : kinds) {
    for (const auto* e : kind->events()) {
      SCOPED_TRACE(kind->name() + "." + e->name);
      ++events;
      EXPECT_FALSE(e->label.empty());
      EXPECT_NE(translated(i18n, e->label), e->label) << "no zh-CN label";
      EXPECT_FALSE(e->who.empty()) << "who may fire it is not said";
      for (const auto& f : e->fields) {
        EXPECT_NE(translated(i18n, f.label), f.label)
            << "field " << f.name << " has no zh-CN label";
        if (!f.help.empty()) {
          EXPECT_NE(translated(i18n, f.help), f.help) << f.name << " help";
        }
        for (const auto& c : f.choiceLabels) EXPECT_NE(translated(i18n, c), c) << c;
        EXPECT_EQ(f.choices.size(), f.choiceLabels.size()) << f.name;
      }
      if (e->from.empty() || e->system) continue;  // created by POST, or the system's own
      const std::string schema =
          (kind->name() == "item" ? std::string("Event_") : kind->name() + "Event_") + e->name;
      EXPECT_TRUE(schemas->has(schema)) << "no API schema " << schema;
      for (const auto& f : e->fields) {
        if (!f.onForm || !schemas->has(schema)) continue;
        EXPECT_TRUE(schemas->getObject(schema)->getObject("properties")->has(f.name))
            << schema << " lacks " << f.name;
      }
    }
  }
  EXPECT_GE(events, 20u);

  // The item kind's rows, with their functions: a permission rule and a decoder each.
  for (const auto& d : workflow::itemEvents()) {
    SCOPED_TRACE(d.name);
    EXPECT_TRUE(static_cast<bool>(d.deny)) << "no permission rule";
    if (!d.from.empty()) {
      EXPECT_TRUE(static_cast<bool>(d.decode)) << "no decoder into the statechart";
      if (!d.system) {
        EXPECT_NE(web::itemFormEvent(d.name), nullptr) << "no form";
      }
    }
  }
}

TEST(EventTable, EveryStateAndRefusalHintIsTranslated) {
  const web::I18n i18n;
  for (const auto& s : workflow::itemStates()) {
    EXPECT_NE(translated(i18n, workflow::itemStateLabel(s)), workflow::itemStateLabel(s)) << s;
    for (const auto& d : workflow::itemEvents()) {
      const Msg why = workflow::itemStateRefusal(s, d.name);
      EXPECT_NE(translated(i18n, why.id()), why.id());
      for (const auto& a : why.args()) {
        if (!a.translate || a.text.empty()) continue;
        EXPECT_NE(translated(i18n, a.text), a.text) << s << " x " << d.name;
      }
    }
  }
}

// Every string literal thrown as a liufang::Error (or built as a Msg, or refused by a machine)
// in model/, workflow/ and web/ must have a zh-CN translation: the catalog is the one text
// source, so a new reason without one would reach Chinese users in English.
TEST(EventTable, EveryReasonInTheSourceHasAZhTranslation) {
  const web::I18n i18n;
  const std::regex literal(
      R"re((?:\bMsg|\bInvalid|\bRefused|\bForbidden|\bNotFound|\bConflict|fieldError|refuse\(\s*\*?\w+,)\s*\(?\s*"((?:[^"\\]|\\.)*)"(?:\s*"((?:[^"\\]|\\.)*)")?)re");
  std::set<std::string> missing;
  size_t seen = 0;
  for (const char* dir : {"model", "workflow", "web"}) {
    for (const auto& entry : fs::directory_iterator(std::string(LIUFANG_SOURCE_DIR) + "/" + dir)) {
      const auto ext = entry.path().extension();
      if (ext != ".cpp" && ext != ".h") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      const std::string s = text.str();
      for (std::sregex_iterator it(s.begin(), s.end(), literal), end; it != end; ++it) {
        std::string id = (*it)[1].str() + (*it)[2].str();
        // Undo the C++ escapes the catalog does not have.
        id = std::regex_replace(id, std::regex(R"(\\")"), "\"");
        if (id.empty() || id == "...") continue;
        ++seen;
        if (translated(i18n, id) == id)
          missing.insert(entry.path().filename().string() + ": " + id);
      }
    }
  }
  EXPECT_GT(seen, 50u) << "the scan found too few reasons to be looking in the right place";
  for (const auto& m : missing) ADD_FAILURE() << "no zh-CN translation: " << m;
}

}  // namespace
}  // namespace liufang
