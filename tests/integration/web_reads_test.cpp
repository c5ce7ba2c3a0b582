// Lists over HTTP on a server of their own: keyset paging of the JSON API (next_after) and of
// the item list page (after=/before= links), capped totals, and the desk's count badge.
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <set>

#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

class WebReads : public ::testing::Test {
 protected:
  void SetUp() override {
    communityId_ = server_.store().communities().front().id;
    Reply r =
        send(server_.port(), "POST", "/api/v1/session",
             jsonString({{"username", "ducha"}, {"password", kPassword}}), "application/json", {});
    ASSERT_EQ(r.status, 200) << r.body;
    token_ = r.json()->getValue<std::string>("token");
  }

  // Stores n proposals straight through the store (no event log: lists do not read it).
  void addProposals(int n) {
    for (int k = 0; k < n; ++k) {
      model::Item i;
      i.communityId = communityId_;
      i.title = "bulk " + std::to_string(k);
      i.state = "proposal";
      i.proposerParty = "wuye";
      i.version = 1;
      auto tx = server_.store().beginWrite();
      tx->insertItem(i);
      tx->commit();
    }
  }

  Reply get(const std::string& path) {
    return send(server_.port(), "GET", path, {}, {}, {{"Authorization", "Bearer " + token_}});
  }

  std::vector<int64_t> allProposals() {
    model::ItemQuery q;
    q.state = "proposal";
    q.limit = 0;
    std::vector<int64_t> ids;
    for (const auto& i : server_.store().listItems(q)) ids.push_back(i.id);
    return ids;
  }

  TestServer server_;
  int64_t communityId_ = 0;
  std::string token_;
};

TEST_F(WebReads, ApiPagesByNextAfterWithoutGapsOrRepeats) {
  addProposals(11);
  const auto expected = allProposals();
  std::vector<int64_t> walked;
  std::string path = "/api/v1/items?state=proposal&limit=4";
  for (int pages = 0; pages < 20; ++pages) {
    Reply r = get(path);
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = r.json();
    EXPECT_EQ(body->getValue<int64_t>("total"), static_cast<int64_t>(expected.size()));
    EXPECT_TRUE(body->getValue<bool>("total_exact"));
    auto items = body->getArray("items");
    for (size_t k = 0; k < items->size(); ++k)
      walked.push_back(items->getObject(static_cast<unsigned>(k))->getValue<int64_t>("id"));
    if (!body->has("next_after")) break;
    EXPECT_EQ(items->size(), 4u);
    path = "/api/v1/items?state=proposal&limit=4&after=" +
           std::to_string(body->getValue<int64_t>("next_after"));
  }
  EXPECT_EQ(walked, expected);
}

TEST_F(WebReads, ApiRefusesAMalformedAfter) {
  Reply r = get("/api/v1/items?after=abc");
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(WebReads, ItemListPageLinksThePagesByKeyset) {
  addProposals(45);
  Browser b(server_.port());
  b.login("ducha");
  Reply first = b.get("/items?state=proposal");
  ASSERT_EQ(first.status, 200);
  std::smatch m;
  const std::regex next("id=\"page-next\" href=\"([^\"]+)\"");
  ASSERT_TRUE(std::regex_search(first.body, m, next)) << first.body;
  std::string href = m[1];
  for (size_t at; (at = href.find("&amp;")) != std::string::npos;) href.replace(at, 5, "&");
  EXPECT_NE(href.find("after="), std::string::npos) << href;
  Reply second = b.get(href);
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(contains(second.body, "id=\"page-prev\""));
  EXPECT_NE(second.body.find("before="), std::string::npos);
  // The first row of page 2 is the one after the last row of page 1: no overlap.
  const std::regex row("<tr[^>]*data-id=\"([0-9]+)\"");
  std::set<std::string> one, two;
  for (std::sregex_iterator it(first.body.begin(), first.body.end(), row), end; it != end; ++it)
    one.insert((*it)[1]);
  for (std::sregex_iterator it(second.body.begin(), second.body.end(), row), end; it != end; ++it)
    two.insert((*it)[1]);
  for (const auto& id : two) EXPECT_EQ(one.count(id), 0u) << id;
}

TEST_F(WebReads, DeskCountIsABadgePastNinetyNine) {
  addProposals(120);
  Browser b(server_.port());
  b.login("shuji");
  Reply desk = b.get("/desk");
  ASSERT_EQ(desk.status, 200);
  const auto at = desk.body.find("id=\"desk-proposals\"");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(desk.body.find("<span class=\"count\">99+</span>", at), std::string::npos);
}

}  // namespace
}  // namespace liufang::testkit
