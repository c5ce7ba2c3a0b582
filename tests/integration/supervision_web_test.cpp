// The supervision desk (/supervision), its JSON (/api/v1/scoreboard), the items behind a figure
// and the ledger (/ledger, /ledger.csv) on the demo, through the real server.
#include <regex>

#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

// The value of `key` in the first href="...key=VALUE..." of the page, HTML-unescaped.
std::string firstHref(const std::string& page, const std::string& containing) {
  static const std::regex re("href=\"([^\"]+)\"");
  for (std::sregex_iterator it(page.begin(), page.end(), re), end; it != end; ++it) {
    std::string h = (*it)[1];
    if (h.find(containing) == std::string::npos) continue;
    for (size_t p; (p = h.find("&amp;")) != std::string::npos;) h.replace(p, 5, "&");
    return h;
  }
  return {};
}

TEST(SupervisionDesk, ShowsCountsScoreboardsAndChartsThatExplainThemselves) {
  Browser& b = browserFor("ducha");
  Reply r = b.get("/supervision");
  ASSERT_EQ(r.status, 200) << r.body;
  for (const char* s : {"督查台", "回音率", "按期办结率", "逾期件数", "平均办理时长", "退回率",
                        "催办次数", "满意率", "计算方法", "id=\"light-chart\"", "<svg",
                        "role=\"img\"", "<title id=", "id=\"trend-chart\"", "id=\"party-chart\"",
                        "各牵头方成绩单", "/ledger.csv?"})
    EXPECT_TRUE(contains(r.body, s)) << s;
  EXPECT_FALSE(contains(r.body, "<script"));
  // The response rate's link lists exactly the items its numerator counts.
  const std::string href = firstHref(r.body, "set=responded");
  ASSERT_FALSE(href.empty());
  Reply list = b.get(href);
  ASSERT_EQ(list.status, 200);
  auto api = b.get("/api/v1/scoreboard");
  ASSERT_EQ(api.status, 200) << api.body;
  const auto total = api.json()->getObject("total")->getObject("figures")->getObject(
      "response_rate");
  const int64_t responded = total->getValue<int64_t>("numerator");
  EXPECT_GT(responded, 0);
  std::regex row("class=\"item-row\"");
  const auto rows = std::distance(std::sregex_iterator(list.body.begin(), list.body.end(), row),
                                  std::sregex_iterator());
  EXPECT_EQ(rows, responded) << href;
}

TEST(SupervisionDesk, JsonCarriesNumeratorDenominatorRuleAndItemLinks) {
  Reply r = send(sharedServer().port(), "GET", "/api/v1/scoreboard?from=2017-01-01&to=2026-12-31",
                 "", "", {{"Authorization", "Bearer " + tokenFor("ducha")}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.json();
  EXPECT_EQ(o->getObject("period")->getValue<std::string>("from"), "2017-01-01");
  auto communities = o->getArray("communities");
  ASSERT_GE(communities->size(), 1u);
  auto fig = communities->getObject(0)->getObject("figures")->getObject("on_time_rate");
  EXPECT_EQ(fig->getValue<std::string>("unit"), "percent");
  EXPECT_TRUE(fig->has("numerator"));
  EXPECT_TRUE(fig->has("denominator"));
  EXPECT_FALSE(fig->getValue<std::string>("rule").empty());
  const std::string items = fig->getValue<std::string>("numerator_items");
  EXPECT_TRUE(contains(items, "/api/v1/items?from=2017-01-01&to=2026-12-31")) << items;
  Reply listed = send(sharedServer().port(), "GET", items, "", "",
                      {{"Authorization", "Bearer " + tokenFor("ducha")}});
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(static_cast<int64_t>(listed.json()->getArray("items")->size()),
            fig->getValue<int64_t>("numerator"));
  EXPECT_TRUE(o->getObject("lights")->has("red"));
  EXPECT_GE(o->getArray("months")->size(), 1u);
}

TEST(SupervisionDesk, RefusedToARepresentativeAndBadDatesExplained) {
  EXPECT_EQ(browserFor("wuye").get("/supervision").status, 403);
  EXPECT_EQ(browserFor("wuye").get("/ledger.csv").status, 403);
  Reply bad = browserFor("ducha").get("/supervision?from=2026-13-01");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "2026-13-01"));
  Reply reversed = browserFor("ducha").get("/supervision?from=2026-05-01&to=2026-04-01");
  EXPECT_EQ(reversed.status, 400);
}

TEST(Ledger, CsvHasBomCrlfChineseHeaderAndOneRowPerItem) {
  Browser& b = browserFor("ducha");
  Reply r = b.get("/ledger.csv?from=2017-01-01&to=2026-12-31");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(r.header("Content-Type"), "text/csv"));
  EXPECT_TRUE(contains(r.header("Content-Disposition"), "attachment"));
  ASSERT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(r.body.substr(3, r.body.find("\r\n") - 3),
            "编号,议题,提出方,牵头方,协办方,交办日期,办理时限,状态,回音,办结日期,是否按期,"
            "催办次数,退回次数,满意度");
  const auto items = sharedServer().store().itemIds().size();
  // Records end in CRLF; a field with a line break inside would be quoted, and the demo has
  // none, so the CRLF count is the record count.
  size_t records = 0;
  for (size_t p = 0; (p = r.body.find("\r\n", p)) != std::string::npos; p += 2) ++records;
  EXPECT_EQ(records, items + 1);
  Reply page = b.get("/ledger?from=2017-01-01&to=2026-12-31");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "id=\"ledger\""));
  EXPECT_TRUE(contains(page.body, "<th scope=\"col\">满意度</th>"));
}

}  // namespace
}  // namespace liufang::testkit
