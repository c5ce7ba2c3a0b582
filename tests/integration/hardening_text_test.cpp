// Hardening finding 1: text that would break the record. A NUL byte was stored whole but read
// back cut short, so the projection no longer matched the hash-chained log and `verify` failed
// for good; a JSON list in a text field was stored as pretty-printed JSON. Every text field of
// every event goes through one validation path (workflow/Fields.cpp): these must answer 400,
// name the field, write nothing, and leave `verify` passing.
#include "WebTestKit.h"
#include "model/Calendar.h"
#include "workflow/Verify.h"

namespace liufang::testkit {
namespace {

struct Snapshot {
  std::vector<int64_t> ids;
  int64_t version = 0;
};

Snapshot snapshot(TestServer& s, int64_t item) {
  return {s.store().itemIds(), s.store().findItem(item)->version};
}

TEST(HardeningText, ControlCharactersListsAndBadUtf8AreRefusedThroughTheApi) {
  TestServer server;
  const uint16_t port = server.port();
  const std::vector<std::pair<std::string, std::string>> rep = {
      {"Authorization", "Bearer " + signIn(port, "juweihui")}};
  Reply created = send(port, "POST", "/api/v1/items",
                       R"({"title":"路灯不亮","description":"三号楼前"})", "application/json", rep);
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = created.json()->getValue<int64_t>("id");
  const std::string events = "/api/v1/items/" + std::to_string(id) + "/events";

  struct Case {
    const char* what;
    std::string path, body, label;  // the field's zh-CN label the reason must name
  };
  const std::vector<Case> cases = {
      {"NUL in a title", "/api/v1/items", R"({"title":"a\u0000b","description":"d"})", "标题"},
      {"a control character in a description", "/api/v1/items",
       R"({"title":"t","description":"x\u0007y"})", "描述"},
      {"escape (ESC) in a reason", events, R"({"type":"withdraw","response":"a\u001bb"})",
       "给提出方的答复（回音）"},
      {"a C1 control in a response", events, R"({"type":"withdraw","response":"a\u0085b"})",
       "给提出方的答复（回音）"},
      {"a list as a title", "/api/v1/items", R"({"title":[],"description":"d"})", "标题"},
      {"an object as a response", events, R"({"type":"withdraw","response":{"a":1}})",
       "给提出方的答复（回音）"},
      {"invalid UTF-8 bytes", "/api/v1/items", "{\"title\":\"a\xff\xfe\",\"description\":\"d\"}",
       ""},
      {"an overlong UTF-8 slash", "/api/v1/items",
       "{\"title\":\"a\xc0\xaf\",\"description\":\"d\"}", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    const Snapshot before = snapshot(server, id);
    Reply r = send(port, "POST", c.path, c.body, "application/json", rep);
    EXPECT_EQ(r.status, 400) << r.body;
    if (!c.label.empty()) {
      EXPECT_TRUE(contains(r.body, "「" + c.label) || contains(r.body, c.label + "」")) << r.body;
    }
    const Snapshot after = snapshot(server, id);
    EXPECT_EQ(after.ids, before.ids) << "nothing created";
    EXPECT_EQ(after.version, before.version) << "nothing appended";
  }
  // Tab and newline are text; CR LF from a textarea is kept as a newline.
  Reply ok = send(port, "POST", events, R"({"type":"withdraw","response":"第一行\r\n第二行\t完"})",
                  "application/json", rep);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()->getValue<std::string>("response"), "第一行\n第二行\t完");
  const auto report = workflow::verifyStore(server.store(), model::HolidayCalendar::china());
  EXPECT_TRUE(report.ok) << report.problem;
}

TEST(HardeningText, ANulByteInAFormFieldRerendersTheFormAndWritesNothing) {
  TestServer server;
  Browser rep(server.port());
  rep.login("juweihui");
  // The new-proposal form.
  const auto idsBefore = server.store().itemIds();
  Reply r = rep.post("/items", {{"title", std::string("a\0b", 3)}, {"description", "楼道"}});
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
  EXPECT_TRUE(contains(r.body, "控制字符")) << "the reason is on the page, in Chinese";
  EXPECT_TRUE(contains(r.body, "楼道")) << "the user's text is kept";
  EXPECT_EQ(server.store().itemIds(), idsBefore);
  // An event form on an existing item.
  Reply made = rep.post("/items", {{"title", "占道停车"}, {"description", "小区门口"}});
  ASSERT_EQ(made.status, 303) << made.body.substr(0, 300);
  const int64_t id = itemIdFromLocation(made.header("Location"));
  const int64_t version = server.store().findItem(id)->version;
  Reply e = rep.post("/items/" + std::to_string(id) + "/events",
                     {{"type", "withdraw"}, {"response", std::string("已\0处理", 10)}});
  EXPECT_EQ(e.status, 400) << e.body.substr(0, 300);
  EXPECT_TRUE(contains(e.body, "控制字符"));
  EXPECT_EQ(server.store().findItem(id)->version, version);
  const auto report = workflow::verifyStore(server.store(), model::HolidayCalendar::china());
  EXPECT_TRUE(report.ok) << report.problem;
}

}  // namespace
}  // namespace liufang::testkit
