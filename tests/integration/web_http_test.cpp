// Sign-in, sessions, language, headers, limits: the HTTP behaviour around the pages.
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <thread>

#include "WebTestKit.h"
#include "model/Password.h"
#include "web/EventForms.h"
#include "web/I18n.h"

namespace liufang::testkit {
namespace {

TEST(WebHttp, LoginPageIsChineseWithSecurityHeaders) {
  Reply r = send(sharedServer().port(), "GET", "/login");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "<html lang=\"zh-CN\">"));
  EXPECT_TRUE(contains(r.body, "登录"));
  EXPECT_TRUE(contains(r.body, "id=\"login\""));
  EXPECT_TRUE(contains(r.body, "name=\"username\""));
  EXPECT_TRUE(contains(r.body, "name=\"password\""));
  EXPECT_FALSE(contains(r.body, "<script"));
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("Referrer-Policy"), "same-origin");
  const std::string csp = r.header("Content-Security-Policy");
  EXPECT_TRUE(contains(csp, "script-src 'self'"));
  EXPECT_TRUE(contains(csp, "frame-ancestors 'none'"));
  EXPECT_FALSE(contains(csp, "unsafe-inline"));
  EXPECT_FALSE(r.header("X-Request-Id").empty());
}

TEST(WebHttp, StaticCssIsCachedWithEtag) {
  Reply r = send(sharedServer().port(), "GET", "/static/site.css");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.header("Content-Type"), "text/css"));
  EXPECT_TRUE(contains(r.header("Cache-Control"), "max-age="));
  const std::string etag = r.header("ETag");
  ASSERT_FALSE(etag.empty());
  Reply again =
      send(sharedServer().port(), "GET", "/static/site.css", {}, {}, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(send(sharedServer().port(), "GET", "/static/nope.css").status, 404);
}

TEST(WebHttp, LoginSetsStrictHttpOnlySessionCookie) {
  Browser b(sharedServer().port());
  b.get("/login");
  Reply r = send(sharedServer().port(), "POST", "/login",
                 formEncode({{"username", "juweihui"},
                             {"password", kPassword},
                             {"csrf", b.csrf()},
                             {"next", "/items"}}),
                 {}, {{"Cookie", "lf_login=" + b.cookie("lf_login")}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), "/items");
  std::string sessionCookie;
  for (const auto& c : r.headerAll("Set-Cookie"))
    if (c.rfind("lf_session=", 0) == 0) sessionCookie = c;
  ASSERT_FALSE(sessionCookie.empty());
  EXPECT_TRUE(contains(sessionCookie, "HttpOnly"));
  EXPECT_TRUE(contains(sessionCookie, "SameSite=Strict"));
  EXPECT_TRUE(contains(sessionCookie, "path=/"));
}

TEST(WebHttp, LoginWithoutCsrfIs403) {
  Reply r = send(sharedServer().port(), "POST", "/login",
                 formEncode({{"username", "juweihui"}, {"password", kPassword}}));
  EXPECT_EQ(r.status, 403);
}

TEST(WebHttp, WrongPasswordIs401AndKeepsTheUsername) {
  Browser b(sharedServer().port());
  b.get("/login");
  Reply r = b.post("/login", {{"username", "gongyi"}, {"password", "not-it"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(contains(r.body, "id=\"login-error\""));
  EXPECT_TRUE(contains(r.body, "value=\"gongyi\""));
  EXPECT_TRUE(b.cookie("lf_session").empty());
  // A success clears the failure count, so the shared browsers are not throttled later.
  b.login("gongyi");
}

TEST(WebHttp, LoginIsThrottledAfterFiveFailures) {
  model::User u;
  u.username = "throttled-user";
  u.displayName = "T";
  u.communityId = 0;
  u.supervisor = true;
  u.passwordHash = model::hashPassword("right-password");
  sharedServer().store().addUser(u);
  Browser b(sharedServer().port());
  b.get("/login");
  for (int i = 0; i < 5; ++i) {
    Reply r = b.post("/login", {{"username", "throttled-user"}, {"password", "wrong"}});
    ASSERT_EQ(r.status, 401) << "attempt " << i + 1;
  }
  // The sixth attempt is refused before the password is even checked, right or not.
  Reply r = b.post("/login", {{"username", "throttled-user"}, {"password", "right-password"}});
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("Retry-After").empty());
  EXPECT_TRUE(b.cookie("lf_session").empty());
  Reply viaApi =
      send(sharedServer().port(), "POST", "/api/v1/session",
           R"({"username":"throttled-user","password":"right-password"})", "application/json");
  EXPECT_EQ(viaApi.status, 429);
  EXPECT_EQ(viaApi.json()->getObject("error")->getValue<std::string>("code"), "throttled");
}

TEST(WebHttp, LogoutEndsTheSession) {
  Browser b(sharedServer().port());
  b.login("yeweihui");
  const std::string token = b.cookie("lf_session");
  Reply out = b.post("/logout", {});
  EXPECT_EQ(out.status, 303);
  // The old token no longer works even if a copy of the cookie survived.
  Reply r =
      send(sharedServer().port(), "GET", "/desk", {}, {}, {{"Cookie", "lf_session=" + token}});
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(contains(r.header("Location"), "/login"));
}

TEST(WebHttp, IdleSessionExpires) {
  TestServer own;
  Browser b(own.port());
  b.login("ducha");
  EXPECT_EQ(b.get("/desk").status, 200);
  own.clock().advance(std::chrono::minutes(20));
  EXPECT_EQ(b.get("/desk").status, 200);  // activity refreshes the idle timer
  own.clock().advance(std::chrono::minutes(31));
  Reply r = b.get("/desk");
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(contains(r.header("Location"), "/login"));
}

TEST(WebHttp, EnglishSwitchShowsEnglishPerUser) {
  Browser english(sharedServer().port());
  english.login("wuye");
  Reply r = english.get("/desk?lang=en");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(r.body, "My desk"));
  EXPECT_FALSE(contains(r.body, "我的待办"));
  // The choice sticks in a cookie; another user at the same moment still reads Chinese.
  EXPECT_TRUE(contains(english.get("/items").body, "All items"));
  EXPECT_TRUE(contains(browserFor("shuji").get("/desk").body, "我的待办"));
  // The switch link goes back to Chinese and returns to the same page.
  Reply back = english.get("/lang?to=zh_CN&next=%2Fitems");
  EXPECT_EQ(back.status, 303);
  EXPECT_EQ(back.header("Location"), "/items");
  EXPECT_TRUE(contains(english.get("/items").body, "全部议题"));
  // Open redirects are not followed.
  EXPECT_EQ(english.get("/lang?to=en&next=%2F%2Fevil.example").header("Location"), "/");
}

TEST(WebHttp, CatalogTranslatesEveryUiString) {
  web::I18n i18n;
  EXPECT_TRUE(i18n.untranslated().empty()) << i18n.untranslated().front();
  for (const auto& msgid : web::labelMsgids()) EXPECT_NE(i18n.tr("zh_CN", msgid), msgid) << msgid;
  EXPECT_EQ(i18n.tr("en", "My desk"), "My desk");
  EXPECT_EQ(i18n.tr("zh_CN", "My desk"), "我的待办");
}

TEST(WebHttp, OversizedBodyIs413WithAndWithoutContentLength) {
  const uint16_t port = sharedServer().port();
  // Announced size far over the limit: refused before any of it is read.
  {
    SCOPED_TRACE("announced");
    Poco::Net::HTTPClientSession s("127.0.0.1", port);
    Poco::Net::HTTPRequest req("POST", "/api/v1/session", Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength(8 * 1024 * 1024);
    s.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    s.receiveResponse(resp);
    EXPECT_EQ(resp.getStatus(), 413);
  }
  // Chunked, so no size is announced: the read itself is capped.
  {
    SCOPED_TRACE("chunked");
    Poco::Net::HTTPClientSession s("127.0.0.1", port);
    Poco::Net::HTTPRequest req("POST", "/items", Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/x-www-form-urlencoded");
    req.setChunkedTransferEncoding(true);
    std::ostream& out = s.sendRequest(req);
    const std::string block(64 * 1024, 'a');
    for (int i = 0; i < 17 && out; ++i) out << block;
    out.flush();
    Poco::Net::HTTPResponse resp;
    s.receiveResponse(resp);
    EXPECT_EQ(resp.getStatus(), 413);
  }
  // The API answers in JSON.
  Reply r =
      send(port, "POST", "/api/v1/items", std::string(1024 * 1024 + 10, ' '), "application/json");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()->getObject("error")->getValue<std::string>("code"), "too_large");
}

TEST(WebHttp, ManyKeepAliveClientsAreServedAtOnce) {
  // More open keep-alive connections than Poco's default pool of 16 threads: with the
  // default pool the 17th would wait until one of these closed.
  constexpr int kClients = 40;
  const uint16_t port = sharedServer().port();
  std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
  for (int i = 0; i < kClients; ++i) {
    auto s = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port);
    s->setKeepAlive(true);
    s->setTimeout(Poco::Timespan(5, 0));
    Poco::Net::HTTPRequest req("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    s->sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::string body;
    Poco::StreamCopier::copyToString(s->receiveResponse(resp), body);
    ASSERT_EQ(resp.getStatus(), 200) << "client " << i;
    sessions.push_back(std::move(s));
  }
  // Every connection is still open and answers a second request.
  for (auto& s : sessions) {
    Poco::Net::HTTPRequest req("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
    s->sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::string body;
    Poco::StreamCopier::copyToString(s->receiveResponse(resp), body);
    EXPECT_EQ(resp.getStatus(), 200);
  }
}

}  // namespace
}  // namespace liufang::testkit
