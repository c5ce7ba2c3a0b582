// The residents' side over real HTTP: the public request form (tracking number, honeypot, rate
// limit, length caps), the moderation queue, the tracking page, the public board (no personal
// data, filters, hide/show), its Atom feed (parsed as XML) and the poster's QR codes.
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/XML/XMLException.h>
#include <gtest/gtest.h>

#include <regex>

#include "WebTestKit.h"
#include "workflow/Engine.h"

namespace liufang {
namespace {

using testkit::Browser;
using testkit::contains;
using testkit::formEncode;
using testkit::Reply;
using testkit::send;

// The demo's personal data: the contacts residents left, and the people who sign in.
const std::vector<std::string> kPersonal = {"13800138000", "13912345678", "王阿姨", "陈女士",
                                            "李红梅",      "张秀英",      "刘经理", "孙督查"};

web::ServerConfig limited() {
  web::ServerConfig cfg;
  cfg.requestsPerAddressPerHour = 3;
  return cfg;
}

// One server for this file: its own rate-limit table and clock.
testkit::TestServer& server() {
  static testkit::TestServer s(limited());
  return s;
}

// A resident's POST to the public form from `address` (the test is the trusted local proxy).
Reply submit(const std::vector<std::pair<std::string, std::string>>& fields,
             const std::string& address) {
  return send(server().port(), "POST", "/request/taoyuanju", formEncode(fields),
              "application/x-www-form-urlencoded", {{"X-Forwarded-For", address}});
}

std::string numberFrom(const Reply& r) {
  static const std::regex re(R"(/track/([A-Z0-9]+-\d{4}-\d{4}))");
  std::smatch m;
  const std::string loc = r.header("Location");
  return std::regex_search(loc, m, re) ? m[1].str() : "";
}

Reply get(const std::string& path) { return send(server().port(), "GET", path); }

TEST(ResidentsWeb, AResidentSubmitsWithoutSigningInAndFollowsTheRequest) {
  Reply form = get("/request/taoyuanju");
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, "name=\"website\"")) << "the honeypot is on the form";
  Reply r = submit({{"title", "东门路灯不亮"},
                    {"description", "东门口两盏灯坏了。"},
                    {"contact", "赵先生 13700001111"},
                    {"website", ""}},
                   "203.0.113.10");
  ASSERT_EQ(r.status, 303) << r.body;
  const std::string number = numberFrom(r);
  ASSERT_TRUE(std::regex_match(number, std::regex(R"(TYJ-\d{4}-\d{4})"))) << number;
  Reply page = get("/track/" + number + "?new=1");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, number));
  EXPECT_TRUE(contains(page.body, "东门路灯不亮"));
  EXPECT_TRUE(contains(page.body, "id=\"track-no-reply\""));
  EXPECT_FALSE(contains(page.body, "13700001111")) << "the contact is never public";
  EXPECT_EQ(get("/track/TYJ-1999-0001").status, 404);
  EXPECT_EQ(get("/request/nowhere").status, 404);
}

TEST(ResidentsWeb, AMissingFieldKeepsTheTextAndTooLongIsRefused) {
  Reply r = submit({{"title", ""}, {"description", "写了很长的说明，不想丢。"}}, "203.0.113.11");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "写了很长的说明，不想丢。"));
  EXPECT_TRUE(contains(r.body, "id=\"request-error\""));
  // Longer than the 100 characters a title may have: 400 with the text kept.
  r = submit({{"title", std::string(101, 'x')}, {"description", "d"}}, "203.0.113.12");
  EXPECT_EQ(r.status, 400);
  // A body over requests.max_body_bytes: 413, nothing stored.
  const size_t before = server().store().requestIds().size();
  r = submit({{"title", "t"}, {"description", std::string(20000, 'y')}}, "203.0.113.13");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(server().store().requestIds().size(), before);
}

TEST(ResidentsWeb, AFilledHoneypotGetsAnAnswerButNothingIsStored) {
  const size_t before = server().store().requestIds().size();
  Reply r = submit({{"title", "cheap pills"}, {"description", "buy now"}, {"website", "http://x"}},
                   "203.0.113.20");
  EXPECT_EQ(r.status, 303);
  EXPECT_FALSE(numberFrom(r).empty()) << "a plausible answer";
  EXPECT_EQ(server().store().requestIds().size(), before);
}

TEST(ResidentsWeb, OneAddressIsLimitedPerHourAndOthersAreNot) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(
        submit({{"title", "t" + std::to_string(i)}, {"description", "d"}}, "198.51.100.7").status,
        303);
  Reply r = submit({{"title", "fourth"}, {"description", "still kept"}}, "198.51.100.7");
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("Retry-After").empty());
  EXPECT_TRUE(contains(r.body, "still kept"));
  EXPECT_EQ(submit({{"title", "t"}, {"description", "d"}}, "198.51.100.8").status, 303);
  // An hour later the address may submit again.
  server().clock().advance(std::chrono::minutes(61));
  EXPECT_EQ(submit({{"title", "t"}, {"description", "d"}}, "198.51.100.7").status, 303);
}

TEST(ResidentsWeb, TheConvenerScreensAndAnswersAndOnlyTheConvenerSeesContacts) {
  Browser shuji(server().port());
  shuji.login("shuji");
  Reply queue = shuji.get("/requests");
  ASSERT_EQ(queue.status, 200);
  EXPECT_TRUE(contains(queue.body, "王阿姨 13800138000"));
  Browser juweihui(server().port());
  juweihui.login("juweihui");
  Reply q2 = juweihui.get("/requests");
  ASSERT_EQ(q2.status, 200);
  EXPECT_FALSE(contains(q2.body, "13800138000")) << "contacts are the convener's only";
  Browser wuye(server().port());
  wuye.login("wuye");
  EXPECT_EQ(wuye.get("/requests").status, 403);

  Reply r =
      submit({{"title", "垃圾桶满了"}, {"description", "北门垃圾桶两天没清。"}}, "203.0.113.30");
  const std::string number = numberFrom(r);
  const auto req = server().store().findRequestByNumber(number);
  ASSERT_TRUE(req);
  const std::string path = "/requests/" + std::to_string(req->id) + "/events";
  // A reply left blank: the queue again, 400, nothing changed.
  Reply blank = shuji.post(path, {{"type", "answer"}, {"reply", ""}});
  EXPECT_EQ(blank.status, 400);
  EXPECT_EQ(server().store().findRequest(req->id)->state, "submitted");
  Reply ok = shuji.post(path, {{"type", "answer"}, {"reply", "物业已于今日清运。"}});
  EXPECT_EQ(ok.status, 303) << ok.body;
  Reply page = get("/track/" + number);
  EXPECT_TRUE(contains(page.body, "物业已于今日清运。"));
  EXPECT_TRUE(contains(page.body, "data-state=\"answered\""));
  // Answered is final: a second answer is refused with the reason (409).
  EXPECT_EQ(shuji.post(path, {{"type", "answer"}, {"reply", "again"}}).status, 409);
}

TEST(ResidentsWeb, TheBoardAndItsFeedShowNoPersonalDataAndTheFeedIsXml) {
  // The demo's request with a name and a phone in its contact, screened into a proposal that
  // the meeting then decides: it reaches the board.
  Browser shuji(server().port());
  shuji.login("shuji");
  Reply r = submit({{"title", "单元楼道灯常亮"},
                    {"description", "5栋楼道灯白天也亮，浪费电。"},
                    {"contact", "钱女士 13611112222"}},
                   "203.0.113.40");
  const auto req = server().store().findRequestByNumber(numberFrom(r));
  ASSERT_TRUE(req);
  Reply screened = shuji.post("/requests/" + std::to_string(req->id) + "/events",
                              {{"type", "screen"},
                               {"title", "5栋楼道灯常亮"},
                               {"description", "居民点单反映"},
                               {"party", "dangwei"},
                               {"reply", "已转为议题"}});
  ASSERT_EQ(screened.status, 303) << screened.body;
  const int64_t itemId = server().store().findRequest(req->id)->itemId;
  ASSERT_GT(itemId, 0);
  workflow::Engine engine(server().store(), server().clock());
  const auto me = workflow::Actor::fromUser(*server().store().findUserByName("shuji"));
  engine.apply(itemId, workflow::Command("take_up"), me);
  engine.apply(itemId, workflow::Command("resolve").set("decision", "物业加装光控开关。"), me);

  Reply board = get("/board/taoyuanju");
  ASSERT_EQ(board.status, 200);
  EXPECT_TRUE(contains(board.body, "5栋楼道灯常亮"));
  EXPECT_TRUE(contains(board.body, "物业加装光控开关。"));
  EXPECT_TRUE(contains(board.body, "tag-escalated")) << "挂牌督办 items are marked";
  Reply feed = get("/board/taoyuanju/atom.xml");
  ASSERT_EQ(feed.status, 200);
  EXPECT_TRUE(contains(feed.header("Content-Type"), "application/atom+xml"));
  Reply track = get("/track/" + req->number);
  for (const auto* body : {&board.body, &feed.body, &track.body}) {
    for (const auto& p : kPersonal) EXPECT_FALSE(contains(*body, p)) << p;
    EXPECT_FALSE(contains(*body, "13611112222"));
    EXPECT_FALSE(contains(*body, "钱女士"));
  }
  EXPECT_TRUE(contains(track.body, "物业加装光控开关。")) << "the item's progress is followed";

  Poco::XML::DOMParser parser;
  Poco::AutoPtr<Poco::XML::Document> doc;
  ASSERT_NO_THROW(doc = parser.parseString(feed.body)) << feed.body;
  EXPECT_EQ(doc->documentElement()->localName(), "feed");
  EXPECT_EQ(doc->documentElement()->namespaceURI(), "http://www.w3.org/2005/Atom");
  Poco::AutoPtr<Poco::XML::NodeList> entries =
      doc->getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry");
  EXPECT_GE(entries->length(), 6u);

  // Filters: a state and a lead party narrow the list; a bad month is ignored, not an error.
  Reply closed = get("/board/taoyuanju?state=closed");
  EXPECT_FALSE(contains(closed.body, "5栋楼道灯常亮"));
  EXPECT_TRUE(contains(closed.body, "楼道杂物堆放存在消防隐患"));
  Reply wuye = get("/board/taoyuanju?party=wuye");
  EXPECT_TRUE(contains(wuye.body, "3栋2单元电梯频繁故障"));
  EXPECT_FALSE(contains(wuye.body, "建设老年人助餐点"));
  EXPECT_EQ(get("/board/taoyuanju?month=x%27--").status, 200);
}

TEST(ResidentsWeb, TheConvenerKeepsAnItemOffTheBoardWithALoggedReason) {
  Browser shuji(server().port());
  shuji.login("shuji");
  model::ItemQuery q;
  q.text = "建设老年人助餐点";
  const auto items = server().store().listItems(q);
  ASSERT_EQ(items.size(), 1u);
  const std::string path = "/board/taoyuanju/items/" + std::to_string(items[0].id) + "/visibility";
  ASSERT_TRUE(contains(get("/board/taoyuanju").body, "建设老年人助餐点"));
  Browser wuye(server().port());
  wuye.login("wuye");
  EXPECT_EQ(wuye.post(path, {{"hidden", "1"}, {"reason", "x"}}).status, 403);
  EXPECT_EQ(shuji.post(path, {{"hidden", "1"}, {"reason", ""}}).status, 400);
  EXPECT_EQ(shuji.post(path, {{"hidden", "1"}, {"reason", "涉及个人隐私，待处理"}}).status, 303);
  EXPECT_FALSE(contains(get("/board/taoyuanju").body, "建设老年人助餐点"));
  EXPECT_FALSE(contains(get("/board/taoyuanju/atom.xml").body, "建设老年人助餐点"));
  EXPECT_TRUE(contains(shuji.get("/board/taoyuanju").body, "涉及个人隐私，待处理"));
  EXPECT_EQ(shuji.post(path, {{"hidden", "1"}, {"reason", "again"}}).status, 409);
  EXPECT_EQ(shuji.post(path, {{"hidden", "0"}, {"reason", "已处理"}}).status, 303);
  EXPECT_TRUE(contains(get("/board/taoyuanju").body, "建设老年人助餐点"));
  EXPECT_EQ(server().store().boardExclusion(items[0].id), std::nullopt);
}

TEST(ResidentsWeb, ThePosterCarriesTwoQrCodes) {
  Reply r = send(server().port(), "GET", "/board/taoyuanju/poster", {}, {},
                 {{"Host", "liufang.example.org"}});
  ASSERT_EQ(r.status, 200);
  size_t svgs = 0;
  for (size_t at = r.body.find("<svg"); at != std::string::npos; at = r.body.find("<svg", at + 1))
    ++svgs;
  EXPECT_EQ(svgs, 2u);
  EXPECT_TRUE(contains(r.body, "http://liufang.example.org/request/taoyuanju"));
  EXPECT_TRUE(contains(r.body, "http://liufang.example.org/board/taoyuanju"));
  EXPECT_TRUE(contains(r.body, "h1v1h-1z")) << "modules are drawn";
}

}  // namespace
}  // namespace liufang
