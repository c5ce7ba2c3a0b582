// The JSON API: the lifecycle with curl-like calls, and the error object for every refusal.
#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

using Poco::JSON::Object;

int64_t proposeViaApi(const std::string& user, const std::string& title) {
  Reply r = api("POST", "/api/v1/items",
                jsonString({{"title", title}, {"description", "API: " + title}}), user);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json()->getValue<int64_t>("id");
}

Reply event(const std::string& user, int64_t id, const std::string& json) {
  return api("POST", "/api/v1/items/" + std::to_string(id) + "/events", json, user);
}

std::string errorCode(const Reply& r) {
  return r.json()->getObject("error")->getValue<std::string>("code");
}

TEST(WebApi, LifecycleThroughJsonEachStepByItsOwner) {
  const int64_t id = proposeViaApi("juweihui", "电梯异响");
  struct Step {
    const char* user;
    const char* body;
    const char* state;
    const char* light;
  };
  const Step steps[] = {
      {"shuji", R"({"type":"take_up"})", "discussion", ""},
      {"juweihui", R"({"type":"log_position","stance":"support","reason":"老人多"})", "discussion",
       ""},
      {"shuji", R"({"type":"resolve","decision":"物业联系维保"})", "assignment", ""},
      {"shuji",
       R"({"type":"assign","lead":"wuye","co":["gongzuozhan"],"standard":"无异响","working_days":10})",
       "deadline", "green"},
      {"gongzuozhan", R"({"type":"report_progress","text":"已协调","done":true})", "deadline",
       "green"},
      {"ducha", R"({"type":"urge","note":"请加快"})", "deadline", "green"},
      {"wuye", R"({"type":"submit_result","result":"更换曳引轮"})", "followup", ""},
      {"ducha", R"({"type":"return_for_rework","reason":"仍有异响","due":"2099-01-05"})",
       "deadline", "green"},
      // Rework reopens every part, so the co-handling party reports again.
      {"gongzuozhan", R"({"type":"report_progress","text":"再次协调","done":true})", "deadline",
       "green"},
      {"wuye", R"({"type":"submit_result","result":"再次检修"})", "followup", ""},
      {"ducha", R"({"type":"accept"})", "closed", ""},
      {"juweihui", R"({"type":"rate","rating":"dissatisfied","comment":"慢"})", "closed", ""},
      {"ducha", R"({"type":"reopen","reason":"居民不满意"})", "discussion", ""},
  };
  Object::Ptr accepted;
  for (const auto& s : steps) {
    // The caller sees the event among those allowed before firing it.
    Reply before = api("GET", "/api/v1/items/" + std::to_string(id), {}, s.user);
    ASSERT_EQ(before.status, 200);
    Poco::JSON::Parser p;
    const std::string type = p.parse(s.body).extract<Object::Ptr>()->getValue<std::string>("type");
    EXPECT_TRUE(contains(before.body, "\"" + type + "\"")) << s.user << " " << type;
    Reply r = event(s.user, id, s.body);
    ASSERT_EQ(r.status, 200) << s.user << " " << s.body << "\n" << r.body;
    auto item = r.json();
    EXPECT_EQ(item->getValue<std::string>("state"), s.state) << s.body;
    EXPECT_EQ(item->getValue<std::string>("light"), s.light) << s.body;
    if (type == "accept") accepted = item;
  }
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->getValue<std::string>("lead"), "wuye");
  EXPECT_EQ(accepted->getArray("co")->getElement<std::string>(0), "gongzuozhan");
  EXPECT_EQ(accepted->getValue<std::string>("due"), "2099-01-05");
  EXPECT_EQ(accepted->getValue<std::string>("outcome"), "resolved");
  EXPECT_EQ(accepted->getValue<std::string>("result"), "再次检修");
  Reply final = api("GET", "/api/v1/items/" + std::to_string(id), {}, "shuji");
  auto item = final.json();
  EXPECT_EQ(item->getValue<std::string>("title"), "电梯异响");
  auto positions = item->getArray("positions");
  ASSERT_EQ(positions->size(), 1u);
  auto events = item->getArray("events");
  ASSERT_EQ(events->size(), 14u);
  auto first = events->getObject(0);
  EXPECT_EQ(first->getValue<int>("seq"), 1);
  EXPECT_EQ(first->getValue<std::string>("type"), "propose");
  EXPECT_EQ(first->getValue<std::string>("actor"), "juweihui");
  EXPECT_EQ(first->getValue<std::string>("party"), "juweihui");
  EXPECT_EQ(first->getObject("fields")->getValue<std::string>("title"), "电梯异响");
  auto rated = events->getObject(12);
  EXPECT_EQ(rated->getValue<std::string>("type"), "rate");
  EXPECT_EQ(rated->getObject("fields")->getValue<std::string>("rating"), "dissatisfied");
  auto last = events->getObject(13);
  EXPECT_EQ(last->getValue<std::string>("from"), "closed");
  EXPECT_EQ(last->getValue<std::string>("to"), "discussion");
}

TEST(WebApi, ListFiltersByStatePartyAndText) {
  const int64_t id = proposeViaApi("gongyi", "独特标题XYZ123");
  Reply r = api("GET", "/api/v1/items?state=proposal&party=gongyi&q=XYZ123", {}, "ducha");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = r.json();
  EXPECT_EQ(body->getValue<int>("total"), 1);
  EXPECT_EQ(body->getArray("items")->getObject(0)->getValue<int64_t>("id"), id);
  Reply none = api("GET", "/api/v1/items?state=closed&q=XYZ123", {}, "ducha");
  EXPECT_EQ(none.json()->getValue<int>("total"), 0);
}

TEST(WebApi, NoTokenIs401) {
  Reply r = api("GET", "/api/v1/items");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(errorCode(r), "unauthorized");
  Reply bad = send(sharedServer().port(), "GET", "/api/v1/items", {}, {},
                   {{"Authorization", "Bearer 0123456789abcdef"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(api("POST", "/api/v1/items/1/events", R"({"type":"take_up"})").status, 401);
}

TEST(WebApi, WrongPasswordIs401) {
  Reply r = send(sharedServer().port(), "POST", "/api/v1/session",
                 R"({"username":"ducha","password":"nope"})", "application/json");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(errorCode(r), "unauthorized");
  // ...and a success resets the count (the shared token for ducha is fetched later).
  EXPECT_EQ(send(sharedServer().port(), "POST", "/api/v1/session",
                 R"({"username":"ducha","password":"taoyuanju-2026"})", "application/json")
                .status,
            200);
}

TEST(WebApi, EveryRefusalHasItsStatusCodeAndMessage) {
  const int64_t id = proposeViaApi("wuye", "消防通道");
  // 409 refused: not an event a proposal takes; the message says why, in the asked language.
  Reply refused = event("shuji", id, R"({"type":"accept"})");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(errorCode(refused), "refused");
  EXPECT_FALSE(refused.json()->getObject("error")->getValue<std::string>("message").empty());
  // 403 forbidden: a representative may not take up.
  Reply forbidden = event("gongyi", id, R"({"type":"take_up"})");
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(errorCode(forbidden), "forbidden");
  // 404 not_found.
  Reply missing = api("GET", "/api/v1/items/99999999", {}, "shuji");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(errorCode(missing), "not_found");
  EXPECT_EQ(event("shuji", 99999999, R"({"type":"take_up"})").status, 404);
  // 400 invalid: a missing field, an unknown event, a body that is not JSON.
  ASSERT_EQ(event("shuji", id, R"({"type":"take_up"})").status, 200);
  Reply noReason = event("wuye", id, R"({"type":"log_position","stance":"support"})");
  EXPECT_EQ(noReason.status, 400);
  EXPECT_EQ(errorCode(noReason), "invalid");
  EXPECT_EQ(errorCode(event("shuji", id, R"({"type":"fly_away"})")), "invalid");
  EXPECT_EQ(errorCode(event("shuji", id, "not json")), "invalid");
  EXPECT_EQ(event("shuji", id, R"({"stance":"support"})").status, 400);
  // A representative may not speak for another party.
  Reply other = event(
      "wuye", id, R"({"type":"log_position","stance":"support","reason":"x","party":"yeweihui"})");
  EXPECT_TRUE(other.status == 403 || other.status == 400) << other.body;
  // English messages on request.
  Reply en = api("POST", "/api/v1/items/" + std::to_string(id) + "/events?lang=en",
                 R"({"type":"accept"})", "shuji");
  EXPECT_EQ(en.status, 409);
  const std::string msg = en.json()->getObject("error")->getValue<std::string>("message");
  EXPECT_TRUE(std::all_of(msg.begin(), msg.end(), [](char c) { return (c & 0x80) == 0; })) << msg;
}

TEST(WebApi, SqlMetacharactersRoundTripVerbatim) {
  const std::string nasty = "'; DROP TABLE items; -- \"%_\\ 中文";
  Reply r = api("POST", "/api/v1/items",
                jsonString({{"title", nasty}, {"description", nasty + nasty}}), "gongzuozhan");
  ASSERT_EQ(r.status, 201) << r.body;
  const int64_t id = r.json()->getValue<int64_t>("id");
  auto item = api("GET", "/api/v1/items/" + std::to_string(id), {}, "shuji").json();
  EXPECT_EQ(item->getValue<std::string>("title"), nasty);
  EXPECT_EQ(item->getValue<std::string>("description"), nasty + nasty);
}

TEST(WebApi, BearerTokenWorksOnPagesWithoutCsrf) {
  const std::string token = tokenFor("shuji");
  Reply page =
      send(sharedServer().port(), "GET", "/desk", {}, {}, {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(page.status, 200);
  Reply post = send(sharedServer().port(), "POST", "/items",
                    formEncode({{"title", "令牌提交"}, {"description", "d"}, {"party", "dangwei"}}),
                    {}, {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(post.status, 303) << post.body;
}

TEST(WebApi, OpenApiDocumentDescribesEndpointsAndEvents) {
  Reply r = api("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = r.json();
  EXPECT_EQ(doc->getValue<std::string>("openapi").substr(0, 2), "3.");
  auto paths = doc->getObject("paths");
  for (const char* p : {"/session", "/items", "/items/{id}", "/items/{id}/events"})
    EXPECT_TRUE(paths->has(p)) << p;
  auto schemas = doc->getObject("components")->getObject("schemas");
  for (const char* e : {"take_up", "log_position", "assign", "decide_extension", "rate", "reopen"})
    EXPECT_TRUE(schemas->has(std::string("Event_") + e)) << e;
}

}  // namespace
}  // namespace liufang::testkit
