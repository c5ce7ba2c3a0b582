// The webhook delivery log through the real server: the convener and the district supervisor
// see the community's deliveries with their attempts (zh-CN by default, English on request);
// a representative is refused (403) and has no link to the page.
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include "WebTestKit.h"
#include "workflow/Directory.h"
#include "workflow/Webhooks.h"

namespace liufang::testkit {
namespace {

TEST(WebhookWeb, ConvenerAndSupervisorReadTheDeliveryLogRepresentativesAreRefused) {
  TestServer server;
  const uint16_t port = server.port();
  // A receiver that is not there: the port was free a moment ago, so the attempt fails.
  uint16_t closed = 0;
  {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    closed = s.address().port();
  }
  workflow::setCommunityWebhook(server.store(), server.clock(), "taoyuanju",
                                "http://127.0.0.1:" + std::to_string(closed) + "/hook",
                                "a-secret-of-sixteen-plus");

  const std::string shuji = signIn(port, "shuji");
  auto apiAs = [&](const std::string& path, const std::string& json) {
    return send(port, "POST", path, json, "application/json",
                {{"Authorization", "Bearer " + shuji}});
  };
  Reply created = send(port, "POST", "/api/v1/items",
                       R"({"title":"楼道堆物","description":"三楼楼道堆满杂物"})",
                       "application/json", {{"Authorization", "Bearer " + signIn(port, "juweihui")}});
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = created.json()->getValue<int64_t>("id");
  const std::string events = "/api/v1/items/" + std::to_string(id) + "/events";
  ASSERT_EQ(apiAs(events, R"({"type":"take_up"})").status, 200);
  ASSERT_EQ(apiAs(events, R"({"type":"resolve","decision":"清理"})").status, 200);
  ASSERT_EQ(apiAs(events, R"({"type":"assign","lead":"wuye","standard":"清空","due":"2099-12-31"})")
                .status,
            200);
  EXPECT_EQ(workflow::WebhookDeliverer(server.store(), server.clock()).drain(), 1);

  const std::string row = "id=\"delivery-";
  const std::string link = "href=\"/items/" + std::to_string(id) + "\"";
  Browser convener(port);
  convener.login("shuji");
  Reply page = convener.get("/webhooks");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, row)) << page.body;
  EXPECT_TRUE(contains(page.body, link));
  EXPECT_TRUE(contains(page.body, "推送记录"));
  EXPECT_TRUE(contains(page.body, "待重试")) << "a failed attempt is retried";
  EXPECT_TRUE(contains(page.body, "class=\"attempts\">1<"));
  EXPECT_TRUE(contains(page.body, "密钥已设置"));
  EXPECT_FALSE(contains(page.body, "a-secret-of-sixteen-plus")) << "the secret is never shown";
  EXPECT_TRUE(contains(page.body, "id=\"nav-webhooks\""));
  Reply en = convener.get("/webhooks?lang=en");
  EXPECT_TRUE(contains(en.body, "Webhook deliveries"));
  EXPECT_TRUE(contains(en.body, "Pending"));

  Browser supervisor(port);
  supervisor.login("ducha");
  Reply all = supervisor.get("/webhooks");
  ASSERT_EQ(all.status, 200);
  EXPECT_TRUE(contains(all.body, link)) << "a district supervisor sees every community";

  Browser wuye(port);
  wuye.login("wuye");
  EXPECT_FALSE(contains(wuye.get("/desk").body, "id=\"nav-webhooks\""));
  Reply refused = wuye.get("/webhooks");
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(contains(refused.body, link));
}

TEST(WebhookWeb, TheConvenerSetsTheWebhookOnTheCommunityPageAndNeverSeesTheSecret) {
  TestServer server;
  Browser convener(server.port());
  convener.login("shuji");
  Reply page = convener.get("/community");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "推送未开启")) << page.body;

  // Refused: https, and a short secret; the form comes back with the typed URL kept.
  Reply bad = convener.post("/community/webhook", {{"url", "https://im.example.org/hook"},
                                                   {"secret", "district-bridge-2026"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "id=\"webhook-error\"")) << bad.body;
  EXPECT_TRUE(contains(bad.body, "value=\"https://im.example.org/hook\""));
  EXPECT_EQ(convener.post("/community/webhook", {{"url", "http://im.example.org/hook"},
                                                 {"secret", "short"}})
                .status,
            400);

  const std::string secret = "district-bridge-2026";
  Reply saved = convener.post("/community/webhook",
                              {{"url", "http://im.example.org/hook"}, {"secret", secret}});
  EXPECT_EQ(saved.status, 303);
  const int64_t community = workflow::Directory(server.store()).community("taoyuanju").id;
  auto hook = server.store().webhookOf(community);
  ASSERT_TRUE(hook);
  EXPECT_TRUE(hook->enabled);
  EXPECT_EQ(hook->secret, secret);
  page = convener.get("/community?done=webhook");
  EXPECT_TRUE(contains(page.body, "推送已开启"));
  EXPECT_TRUE(contains(page.body, "value=\"http://im.example.org/hook\""));
  EXPECT_FALSE(contains(page.body, secret)) << "the secret is never shown back";

  // A blank secret keeps the current one; "off" turns it off.
  EXPECT_EQ(convener.post("/community/webhook", {{"url", "http://im.example.org/v2"}, {"secret", ""}})
                .status,
            303);
  hook = server.store().webhookOf(community);
  EXPECT_EQ(hook->url, "http://im.example.org/v2");
  EXPECT_EQ(hook->secret, secret);
  EXPECT_EQ(convener.post("/community/webhook", {{"action", "off"}}).status, 303);
  EXPECT_FALSE(server.store().webhookOf(community)->enabled);
  // Only the convener: a representative's post is refused.
  Browser wuye(server.port());
  wuye.login("wuye");
  wuye.get("/desk");
  EXPECT_EQ(wuye.post("/community/webhook", {{"url", "http://evil.example/"}, {"secret", secret}})
                .status,
            403);
}

}  // namespace
}  // namespace liufang::testkit
