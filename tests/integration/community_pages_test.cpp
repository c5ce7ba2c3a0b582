// The convener's community setup (/community) against the real server: only the convener,
// rosters from presets, renaming that keeps old events' names, party colours, and the party
// representatives' accounts (add with a generated password, disable, enable, reset).
#include <regex>

#include "WebTestKit.h"
#include "workflow/Directory.h"

namespace liufang::testkit {
namespace {

TEST(CommunityPages, OnlyTheConvenerMayOpenOrPost) {
  TestServer server;
  Browser rep(server.port());
  rep.login("wuye");
  EXPECT_EQ(rep.get("/community").status, 403);
  EXPECT_EQ(rep.post("/community/parties", {{"code", "x"}, {"name", "X"}}).status, 403);
  EXPECT_EQ(rep.post("/community/users/wuye", {{"action", "disable"}}).status, 403);
  Browser supervisor(server.port());
  supervisor.login("ducha");
  EXPECT_EQ(supervisor.get("/community").status, 403);
  // Nor anyone without the session's CSRF token.
  Browser shuji(server.port());
  shuji.login("shuji");
  EXPECT_EQ(shuji.post("/community/parties", {{"code", "x"}, {"name", "X"}}, false).status, 403);
  EXPECT_EQ(server.store().parties(1).size(), 6u);
  EXPECT_TRUE(workflow::Directory(server.store()).user("wuye").disabled == false);
}

TEST(CommunityPages, RenamingKeepsTheOldNameOnOldEventsAndColoursFollow) {
  TestServer server;
  Browser shuji(server.port());
  shuji.login("shuji");
  Reply page = shuji.get("/community");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "party-badge party-1-wuye")) << page.body;
  Reply css = shuji.get("/parties.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_TRUE(contains(css.body, ".party-1-wuye{background:#b35c00}")) << css.body;

  // An item where the property company spoke before the renaming.
  int64_t spoken = 0;
  for (int64_t id : server.store().itemIds())
    for (const auto& e : server.store().events(model::StreamRef{"item", id}))
      if (e.actorParty == "wuye" && e.type == "log_position") spoken = id;
  ASSERT_GT(spoken, 0);

  server.clock().advance(std::chrono::seconds(60));
  Reply bad = shuji.post("/community/parties/wuye", {{"name", "幸福物业服务中心"},
                                                     {"short_name", "幸福物业"},
                                                     {"colour", "orange"},
                                                     {"order", "5"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "不是颜色")) << bad.body;
  EXPECT_TRUE(contains(bad.body, "value=\"幸福物业服务中心\"")) << "typed name kept";
  EXPECT_EQ(server.store().parties(1)[4].name, "物业公司") << "nothing written";

  Reply ok = shuji.post("/community/parties/wuye", {{"name", "幸福物业服务中心"},
                                                    {"short_name", "幸福物业"},
                                                    {"colour", "#123ABC"},
                                                    {"order", "5"}});
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_TRUE(contains(shuji.get("/parties.css").body, ".party-1-wuye{background:#123abc}"));

  const std::string item = shuji.get("/items/" + std::to_string(spoken)).body;
  // The timeline shows the name the party had when it spoke; the roster rows the new one.
  EXPECT_TRUE(contains(item, "party-1-wuye\">物业公司</span>")) << item;
  EXPECT_TRUE(contains(item, "party-1-wuye\"></span>幸福物业服务中心</th>")) << item;
  const auto names = server.store().partyNames(1);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0].name, "物业公司");
  EXPECT_EQ(names[1].name, "幸福物业服务中心");

  // A code already on the roster: 409 and the add form keeps what was typed.
  Reply taken = shuji.post("/community/parties", {{"code", "wuye"}, {"name", "第二物业"}});
  EXPECT_EQ(taken.status, 409);
  EXPECT_TRUE(contains(taken.body, "value=\"第二物业\"")) << taken.body;
  EXPECT_TRUE(contains(taken.body, "id=\"add-party-error\""));
}

// A 三方联动 community set up through the pages: preset, accounts, sign-ins.
TEST(CommunityPages, SanfangPresetAndAccountsThroughThePages) {
  TestServer server;
  workflow::Directory dir(server.store());
  dir.addCommunity("xingfu", "幸福小区");
  workflow::NewUser nu;
  nu.username = "xf-shuji";
  nu.communityCode = "xingfu";
  nu.convener = true;
  dir.addUser(nu, kPassword);
  const int64_t cid = dir.community("xingfu").id;

  Browser convener(server.port());
  convener.login("xf-shuji");
  Reply page = convener.get("/community");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "id=\"preset-form\"")) << "an empty roster offers presets";
  Reply none = convener.post("/community/preset", {});
  EXPECT_EQ(none.status, 400);
  ASSERT_EQ(convener.post("/community/preset", {{"preset", "sanfang"}}).status, 303);
  const auto roster = server.store().parties(cid);
  ASSERT_EQ(roster.size(), 3u);
  EXPECT_EQ(roster[0].code, "zhibu");
  EXPECT_EQ(roster[0].name, "小区党支部");
  EXPECT_EQ(roster[2].code, "wuye");
  Reply again = convener.post("/community/preset", {{"preset", "liufang"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_FALSE(contains(convener.get("/community").body, "id=\"preset-form\""));

  // An account without a party: the form again, the username kept.
  Reply noParty = convener.post("/community/users", {{"username", "xf-wuye"}});
  EXPECT_EQ(noParty.status, 400);
  EXPECT_TRUE(contains(noParty.body, "value=\"xf-wuye\"")) << noParty.body;

  // Generated password, shown once on the answer page.
  Reply added = convener.post("/community/users", {{"username", "xf-wuye"},
                                                   {"display_name", "周经理"},
                                                   {"party", "wuye"}});
  ASSERT_EQ(added.status, 200) << added.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(added.body, m, std::regex("class=\"password\">([^<]+)<")));
  const std::string password = m[1];
  EXPECT_EQ(password.size(), 19u);
  EXPECT_FALSE(contains(convener.get("/community").body, password)) << "shown once only";
  Browser wuye(server.port());
  wuye.login("xf-wuye", password);
  EXPECT_EQ(dir.user("xf-wuye").party, "wuye");

  // A password the policy refuses: the message in that account's row.
  Reply weak =
      convener.post("/community/users/xf-wuye", {{"action", "password"}, {"password", "123"}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_TRUE(contains(weak.body, "密码至少需要")) << weak.body;

  // Disabling ends the session and refuses sign-in; enabling lets the same password in again.
  ASSERT_EQ(convener.post("/community/users/xf-wuye", {{"action", "disable"}}).status, 303);
  EXPECT_EQ(wuye.get("/desk").status, 303) << "the session has ended";
  Browser again2(server.port());
  again2.get("/login");
  EXPECT_NE(again2.post("/login", {{"username", "xf-wuye"}, {"password", password}}).status, 303);
  ASSERT_EQ(convener.post("/community/users/xf-wuye", {{"action", "enable"}}).status, 303);
  Browser back(server.port());
  back.login("xf-wuye", password);
  // The convener may not disable their own account.
  EXPECT_EQ(convener.post("/community/users/xf-shuji", {{"action", "disable"}}).status, 400);
  // Nor touch another community's account.
  EXPECT_EQ(convener.post("/community/users/wuye", {{"action", "disable"}}).status, 404);
}

}  // namespace
}  // namespace liufang::testkit
