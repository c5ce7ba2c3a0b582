// The HTML side: the lifecycle through the forms, each step as the user whose job it is, and
// every way a form can be refused.
#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

// Raises a proposal through the form as `user`; returns the new item's id.
int64_t proposeViaForm(const std::string& user, const std::string& title,
                       const std::string& description) {
  Browser& b = browserFor(user);
  b.get("/items/new");
  Reply r = b.post("/items", {{"title", title}, {"description", description}});
  EXPECT_EQ(r.status, 303) << r.body;
  return itemIdFromLocation(r.header("Location"));
}

// Fires an event through the item page's form; returns the redirect or error reply.
Reply fire(const std::string& user, int64_t id,
           std::vector<std::pair<std::string, std::string>> fields) {
  Browser& b = browserFor(user);
  Reply page = b.get("/items/" + std::to_string(id));
  EXPECT_EQ(page.status, 200);
  return b.post("/items/" + std::to_string(id) + "/events", std::move(fields));
}

std::string itemPage(const std::string& user, int64_t id) {
  return browserFor(user).get("/items/" + std::to_string(id)).body;
}

TEST(WebPages, LifecycleThroughFormsEachStepByItsOwner) {
  const int64_t id = proposeViaForm("gongzuozhan", "路灯坏了三盏", "幸福路北段路灯不亮");
  ASSERT_GT(id, 0);
  EXPECT_TRUE(contains(itemPage("gongzuozhan", id), "id=\"item-state\">提议<"));

  auto step = [&](const std::string& user, std::vector<std::pair<std::string, std::string>> f,
                  const std::string& expectState) {
    const std::string type = f.front().second;
    // The form is offered to exactly this user before it is used.
    EXPECT_TRUE(contains(itemPage(user, id), "id=\"ev-" + type + "\"")) << user << " " << type;
    Reply r = fire(user, id, std::move(f));
    ASSERT_EQ(r.status, 303) << user << " " << type << "\n" << r.body;
    EXPECT_EQ(r.header("Location"), "/items/" + std::to_string(id) + "?done=" + type);
    const std::string page = browserFor(user).get(r.header("Location")).body;
    EXPECT_TRUE(contains(page, "id=\"flash\"")) << type;
    EXPECT_TRUE(contains(page, "data-state=\"" + expectState + "\"")) << type;
  };
  step("shuji", {{"type", "take_up"}}, "discussion");
  step("gongzuozhan", {{"type", "log_position"}, {"stance", "support"}, {"reason", "尽快修复"}},
       "discussion");
  step("wuye", {{"type", "log_position"}, {"stance", "supplement"}, {"reason", "需要供电局配合"}},
       "discussion");
  step("shuji", {{"type", "resolve"}, {"decision", "物业牵头，业委会协助"}}, "assignment");
  step("shuji",
       {{"type", "assign"},
        {"lead", "wuye"},
        {"co", "yeweihui"},
        {"standard", "三盏灯全部亮起"},
        {"working_days", "5"}},
       "deadline.on_track");
  step("yeweihui", {{"type", "report_progress"}, {"text", "已联系供电局"}, {"done", "true"}},
       "deadline.on_track");
  step("wuye", {{"type", "submit_result"}, {"result", "已全部修复"}}, "followup");
  step("ducha", {{"type", "accept"}, {"note", "现场核实"}}, "closed");
  step("gongzuozhan", {{"type", "rate"}, {"rating", "satisfied"}, {"comment", "很快"}}, "closed");

  const std::string page = itemPage("shuji", id);
  EXPECT_TRUE(contains(page, "id=\"item-state\">办结<"));
  EXPECT_TRUE(contains(page, "id=\"item-result\" class=\"text\">已全部修复<"));
  EXPECT_TRUE(contains(page, "满意"));
  // The positions table and the timeline show who did what.
  EXPECT_TRUE(contains(page, "尽快修复"));
  EXPECT_TRUE(contains(page, "需要供电局配合"));
  EXPECT_TRUE(contains(page, "id=\"event-10\""));  // propose + 9 steps
  EXPECT_TRUE(contains(page, "class=\"ev-party party-badge party-1-wuye\">物业公司<"));
}

TEST(WebPages, FormsAreOfferedOnlyForAllowedEvents) {
  const int64_t id = proposeViaForm("juweihui", "楼道堆物", "3栋楼道堆放杂物");
  // A representative of another party cannot take it up, so sees no form for it.
  const std::string other = itemPage("gongyi", id);
  EXPECT_FALSE(contains(other, "id=\"ev-take_up\""));
  EXPECT_TRUE(contains(other, "id=\"no-actions\""));
  // The proposing party may withdraw; the convener may take up, merge or withdraw.
  EXPECT_TRUE(contains(itemPage("juweihui", id), "id=\"ev-withdraw\""));
  const std::string convener = itemPage("shuji", id);
  EXPECT_TRUE(contains(convener, "id=\"ev-take_up\""));
  EXPECT_FALSE(contains(convener, "id=\"ev-resolve\""));
  EXPECT_FALSE(contains(convener, "id=\"ev-tick\""));
}

TEST(WebPages, RefusedTransitionIs409WithTheReasonOnThePage) {
  const int64_t id = proposeViaForm("gongzuozhan", "健身器材损坏", "东区健身器材松动");
  // resolve is not an event a proposal takes.
  Reply r = fire("shuji", id, {{"type", "resolve"}, {"decision", "修"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(contains(r.body, "id=\"error-page\""));
  EXPECT_TRUE(contains(r.body, "id=\"error-message\">")) << r.body;
  EXPECT_FALSE(contains(r.body, "id=\"error-message\"></p>"));
  EXPECT_TRUE(contains(r.body, "href=\"/items/" + std::to_string(id) + "\""));
}

TEST(WebPages, UnauthorisedEventIs403) {
  const int64_t id = proposeViaForm("gongzuozhan", "快递柜占道", "快递柜占用消防通道");
  Reply r = fire("wuye", id, {{"type", "take_up"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"error-page\""));
  EXPECT_TRUE(contains(itemPage("shuji", id), "data-state=\"proposal\""));
}

TEST(WebPages, UnknownItemIs404) {
  Reply r = browserFor("shuji").get("/items/987654");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(contains(r.body, "id=\"error-page\""));
  EXPECT_EQ(browserFor("shuji").get("/items/abc").status, 404);
  EXPECT_EQ(browserFor("shuji").get("/no/such/page").status, 404);
}

TEST(WebPages, MissingFieldRerendersTheFormWithTypedTextAnd400) {
  const int64_t id = proposeViaForm("gongzuozhan", "垃圾桶不够", "南门垃圾桶太少");
  ASSERT_EQ(fire("shuji", id, {{"type", "take_up"}}).status, 303);
  ASSERT_EQ(fire("shuji", id, {{"type", "resolve"}, {"decision", "增加两个"}}).status, 303);
  // assign without its lead party: the standard the convener typed must survive.
  const std::string typed = "每个单元门口 <一个> 垃圾桶 & \"分类\"";
  Reply r =
      fire("shuji", id,
           {{"type", "assign"}, {"standard", typed}, {"co", "gongyi"}, {"working_days", "3"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"ev-assign-error\""));
  EXPECT_TRUE(contains(r.body, ">" + htmlEscaped(typed) + "</textarea>"));
  EXPECT_TRUE(contains(r.body, "name=\"co\" value=\"gongyi\" checked"));
  EXPECT_TRUE(contains(r.body, "name=\"working_days\" value=\"3\""));

  // The new-proposal form keeps what was typed too.
  Browser& b = browserFor("juweihui");
  b.get("/items/new");
  Reply n = b.post("/items", {{"title", ""}, {"description", "只写了描述"}});
  EXPECT_EQ(n.status, 400);
  EXPECT_TRUE(contains(n.body, "id=\"new-item-error\""));
  EXPECT_TRUE(contains(n.body, ">只写了描述</textarea>"));
}

TEST(WebPages, FormWithoutCsrfTokenIs403) {
  Browser& b = browserFor("gongzuozhan");
  b.get("/items/new");
  Reply r = b.post("/items", {{"title", "无令牌"}, {"description", "x"}}, false);
  EXPECT_EQ(r.status, 403);
  Reply wrong =
      b.post("/items", {{"title", "错令牌"}, {"description", "x"}, {"csrf", "00ff"}}, false);
  EXPECT_EQ(wrong.status, 403);
  // Nothing was created.
  model::ItemQuery q;
  q.text = "无令牌";
  EXPECT_TRUE(sharedServer().store().listItems(q).empty());
}

TEST(WebPages, ScriptInTitleIsEscapedOnListItemAndDeskPages) {
  const std::string title = "<script>alert(1)</script>";
  const int64_t id = proposeViaForm("yeweihui", title, "<img src=x onerror=alert(2)>");
  const std::string escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
  for (const std::string& path : {std::string("/items/") + std::to_string(id),
                                  std::string("/items?q=alert"), std::string("/desk")}) {
    Reply r = browserFor("shuji").get(path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_FALSE(contains(r.body, "<script>alert(1)")) << path;
    EXPECT_FALSE(contains(r.body, "<img src=x")) << path;
    EXPECT_TRUE(contains(r.body, escaped)) << path;
  }
}

TEST(WebPages, SqlMetacharactersAreStoredAndShownVerbatim) {
  const std::string nasty = "O'Brien \"x\"; DROP TABLE items; -- 100% _ \\";
  const int64_t id = proposeViaForm("gongzuozhan", "T " + nasty, "D " + nasty);
  ASSERT_GT(id, 0);
  ASSERT_EQ(fire("shuji", id, {{"type", "take_up"}}).status, 303);
  ASSERT_EQ(fire("gongzuozhan", id,
                 {{"type", "log_position"}, {"stance", "oppose"}, {"reason", "R " + nasty}})
                .status,
            303);
  ASSERT_EQ(fire("shuji", id, {{"type", "resolve"}, {"decision", "C " + nasty}}).status, 303);
  ASSERT_EQ(
      fire(
          "shuji", id,
          {{"type", "assign"}, {"lead", "wuye"}, {"standard", "S " + nasty}, {"working_days", "4"}})
          .status,
      303);
  ASSERT_EQ(fire("wuye", id, {{"type", "report_progress"}, {"text", "P " + nasty}}).status, 303);
  ASSERT_EQ(fire("wuye", id, {{"type", "submit_result"}, {"result", "E " + nasty}}).status, 303);

  const auto item = sharedServer().store().findItem(id);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->title, "T " + nasty);
  EXPECT_EQ(item->description, "D " + nasty);
  EXPECT_EQ(item->decision, "C " + nasty);
  EXPECT_EQ(item->standard, "S " + nasty);
  EXPECT_EQ(item->result, "E " + nasty);
  const std::string page = itemPage("shuji", id);
  for (const char* prefix : {"T ", "D ", "R ", "C ", "S ", "P ", "E "})
    EXPECT_TRUE(contains(page, htmlEscaped(prefix + nasty))) << prefix;
  // The text search treats % and _ literally.
  Reply list = browserFor("shuji").get("/items?q=" + formEncode({{"", "100% _"}}).substr(1));
  EXPECT_TRUE(contains(list.body, "href=\"/items/" + std::to_string(id) + "\""));
}

TEST(WebPages, DeskShowsEachRoleItsWork) {
  const int64_t id = proposeViaForm("gongyi", "志愿者招募", "周末志愿者不足");
  const std::string row = "id=\"row-" + std::to_string(id) + "\"";
  EXPECT_TRUE(contains(browserFor("shuji").get("/desk").body, row));  // waiting for a meeting
  ASSERT_EQ(fire("shuji", id, {{"type", "take_up"}}).status, 303);
  // In discussion: every party without a position has it on its desk.
  EXPECT_TRUE(contains(browserFor("wuye").get("/desk").body, row));
  ASSERT_EQ(
      fire("wuye", id, {{"type", "log_position"}, {"stance", "abstain"}, {"reason", "-"}}).status,
      303);
  const std::string wuyeDesk = browserFor("wuye").get("/desk").body;
  const auto section = wuyeDesk.find("id=\"desk-positions\"");
  const auto next = wuyeDesk.find("id=\"desk-handling\"");
  ASSERT_NE(section, std::string::npos);
  EXPECT_EQ(wuyeDesk.substr(section, next - section).find(row), std::string::npos);
  // The supervisor's desk has its own sections.
  const std::string ducha = browserFor("ducha").get("/desk").body;
  EXPECT_TRUE(contains(ducha, "id=\"desk-overdue\""));
  EXPECT_TRUE(contains(ducha, "id=\"desk-review\""));
}

TEST(WebPages, ItemListFiltersAndPages) {
  Reply all = browserFor("ducha").get("/items");
  EXPECT_EQ(all.status, 200);
  EXPECT_TRUE(contains(all.body, "id=\"filters\""));
  Reply closed = browserFor("ducha").get("/items?state=closed");
  EXPECT_EQ(closed.status, 200);
  EXPECT_FALSE(contains(closed.body, "data-state=\"proposal\""));
  EXPECT_TRUE(contains(closed.body, "data-state=\"closed\""));
  Reply wuye = browserFor("ducha").get("/items?party=wuye&page=1");
  EXPECT_EQ(wuye.status, 200);
  Reply far = browserFor("ducha").get("/items?page=999");
  EXPECT_TRUE(contains(far.body, "id=\"no-items\""));
  EXPECT_TRUE(contains(far.body, "id=\"page-prev\""));
}

TEST(WebPages, SignedOutVisitorIsSentToLogin) {
  Reply r = send(sharedServer().port(), "GET", "/desk");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("Location"), "/login?next=%2Fdesk");
}

}  // namespace
}  // namespace liufang::testkit
