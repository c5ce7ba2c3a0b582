// Findings of the outside security test, HTTP side: open redirects through `next`, request
// framing (Transfer-Encoding with Content-Length), TLS deployments (Secure cookies, HSTS) and
// the CSP, and log lines forged through request values. Each test talks to the real server.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include "WebTestKit.h"
#include "web/Http.h"

namespace liufang::testkit {
namespace {

// The whole answer to one raw request on a fresh connection (the server closes it or the
// read times out), so malformed framing can be sent exactly as an attacker would.
std::string rawExchange(uint16_t port, const std::string& request) {
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", port));
  s.setReceiveTimeout(Poco::Timespan(5, 0));
  s.sendBytes(request.data(), static_cast<int>(request.size()));
  std::string out;
  char buf[4096];
  try {
    for (;;) {
      const int n = s.receiveBytes(buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  } catch (const Poco::Exception&) {
    // a timeout or reset ends the answer; the test looks at what arrived
  }
  return out;
}

// Header names and cookie attributes are case-insensitive (Poco writes "Close", "secure").
bool icontains(const std::string& haystack, const std::string& needle) {
  return Poco::toLower(haystack).find(Poco::toLower(needle)) != std::string::npos;
}

// next values as they appear in the query string, each a known way to leave the site.
const char* const kEscapes[] = {
    "/%09/evil.example",                 // tab: browsers drop it and see //evil.example
    "%2F%09%2Fevil.example",             // the same, encoded
    "/%5Cevil.example",                  // backslash: browsers read /\ as //
    "%2F%5C%2Fevil.example",             // /\/
    "%2F%252F%252Fevil.example",         // "/%2F%2F..." decodes to ///evil.example
    "%2F%255Cevil.example",              // "/%5C..." decodes to /\evil.example
    "%2F%2509%2Fevil.example",           // "/%09/..." decodes to a tab
    "https:%2F%2Fevil.example",          // absolute URL
    "%2F%2Fevil.example",                // protocol-relative
    "%2F%0D%0ALocation:%20http:%2F%2F",  // header splitting
    "evil.example",                      // not a path
    "%2F%7F%2Fevil.example",             // DEL
};

TEST(HardeningRedirect, LanguageSwitchRefusesEveryKnownEscape) {
  for (const char* next : kEscapes) {
    Reply r = send(sharedServer().port(), "GET", std::string("/lang?to=en&next=") + next);
    EXPECT_EQ(r.status, 303) << next;
    EXPECT_EQ(r.header("Location"), "/") << next;
  }
}

TEST(HardeningRedirect, LanguageSwitchKeepsLocalPaths) {
  const std::pair<const char*, const char*> cases[] = {
      {"%2Fitems%3Fstate%3Dproposal", "/items?state=proposal"},
      {"%2Fitems%2F3", "/items/3"},
      {"%2F", "/"},
      {"%2Fdesk", "/desk"},
  };
  for (const auto& [sent, location] : cases) {
    Reply r = send(sharedServer().port(), "GET", std::string("/lang?to=en&next=") + sent);
    EXPECT_EQ(r.header("Location"), location) << sent;
  }
}

TEST(HardeningRedirect, SignInRefusesEveryKnownEscape) {
  // One signed-in browser: the login form redirects a signed-in user to next at once, through
  // the same check as the post-login redirect.
  Browser& b = browserFor("juweihui");
  for (const char* next : kEscapes) {
    Reply r = b.get(std::string("/login?next=") + next);
    EXPECT_EQ(r.status, 303) << next;
    EXPECT_EQ(r.header("Location"), "/desk") << next;
  }
  // And the redirect right after signing in (the form's hidden field).
  Browser fresh(sharedServer().port());
  fresh.get("/login");
  Reply r = fresh.post(
      "/login", {{"username", "gongyi"}, {"password", kPassword}, {"next", "/\t/evil.example"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), "/desk");
}

TEST(HardeningRedirect, SafeNextTable) {
  const std::pair<std::string, std::string> cases[] = {
      {"/desk", "/desk"},
      {"/", "/"},
      {"/items?state=proposal&q=%E4%B8%AD", "/items?state=proposal&q=%E4%B8%AD"},
      {"/items/3#top", "/items/3#top"},
      {"", "F"},
      {"desk", "F"},
      {"//evil.example", "F"},
      {"/\\evil.example", "F"},
      {"/\t/evil.example", "F"},
      {"/x\\y", "F"},
      {"/%2F/evil.example", "F"},
      {"/%5Cevil.example", "F"},
      {"/%09/evil.example", "F"},
      {"/a%0Ab", "F"},
      {"/a%", "F"},  // a malformed escape is no path we wrote
      {"https://evil.example", "F"},
      {std::string("/") + std::string(3000, 'a'), "F"},
  };
  for (const auto& [next, expected] : cases) EXPECT_EQ(web::safeNext(next, "F"), expected) << next;
}

TEST(HardeningFraming, ChunkedWithContentLengthIs400AndCloses) {
  const std::string answer = rawExchange(sharedServer().port(),
                                         "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                                         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  EXPECT_TRUE(icontains(answer, "Connection: close")) << answer;
}

TEST(HardeningFraming, UnknownTransferEncodingIs400) {
  const std::string answer = rawExchange(
      sharedServer().port(), "POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
}

TEST(HardeningFraming, PlainChunkedBodyStillWorks) {
  const std::string body = R"({"username":"nobody-here","password":"x"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const std::string answer =
      rawExchange(sharedServer().port(),
                  "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n" +
                      std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << answer;
}

TEST(HardeningTls, CspForbidsPluginsAndBaseRewrites) {
  Reply r = send(sharedServer().port(), "GET", "/login");
  const std::string csp = r.header("Content-Security-Policy");
  EXPECT_TRUE(contains(csp, "object-src 'none'")) << csp;
  EXPECT_TRUE(contains(csp, "base-uri 'none'")) << csp;
  // Plain HTTP (the default): no HSTS, no Secure cookies a browser would then drop.
  EXPECT_TRUE(r.header("Strict-Transport-Security").empty());
  for (const auto& c : r.headerAll("Set-Cookie")) EXPECT_FALSE(icontains(c, "Secure")) << c;
}

TEST(HardeningTls, HttpsSettingMarksCookiesSecureAndSendsHsts) {
  web::ServerConfig cfg;
  cfg.https = true;
  TestServer server(cfg);
  Browser b(server.port());
  Reply form = b.get("/login");
  EXPECT_EQ(form.header("Strict-Transport-Security"), "max-age=31536000");
  ASSERT_FALSE(form.headerAll("Set-Cookie").empty());
  for (const auto& c : form.headerAll("Set-Cookie")) EXPECT_TRUE(icontains(c, "Secure")) << c;
  Reply in = b.post("/login", {{"username", "juweihui"}, {"password", kPassword}});
  ASSERT_EQ(in.status, 303) << in.body;
  bool sawSession = false;
  for (const auto& c : in.headerAll("Set-Cookie")) {
    EXPECT_TRUE(icontains(c, "Secure")) << c;
    sawSession = sawSession || c.rfind("lf_session=", 0) == 0;
  }
  EXPECT_TRUE(sawSession);
  Reply lang = b.get("/lang?to=en&next=%2Fdesk");
  for (const auto& c : lang.headerAll("Set-Cookie")) EXPECT_TRUE(icontains(c, "Secure")) << c;
  EXPECT_FALSE(lang.header("Strict-Transport-Security").empty());
}

// Captures the server's log lines (the messages, unformatted) while alive.
class LogCapture {
 public:
  LogCapture()
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256)),
        previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("capture", sink_);
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::vector<std::string> messages() {
    std::vector<std::string> out;
    for (const auto& m : sink_->last_raw()) out.emplace_back(m.payload.data(), m.payload.size());
    return out;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

bool hasControl(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

TEST(HardeningLogs, LogSafeEscapesEveryLineBreaker) {
  const std::pair<std::string, std::string> cases[] = {
      {"plain 中文", "plain 中文"},
      {"a\nb", "a\\nb"},
      {"a\r\nb", "a\\r\\nb"},
      {"tab\there", "tab\\there"},
      {"esc\x1b[31m", "esc\\x1b[31m"},
      {"del\x7f", "del\\x7f"},
      {"nel\xc2\x85x", "nel\\u0085x"},           // U+0085 NEXT LINE
      {"ls\xe2\x80\xa8x", "ls\\u2028x"},         // U+2028 LINE SEPARATOR
      {"ps\xe2\x80\xa9x", "ps\\u2029x"},         // U+2029 PARAGRAPH SEPARATOR
      {"back\\slash\\n", "back\\\\slash\\\\n"},  // a literal "\n" stays tellable
  };
  for (const auto& [raw, logged] : cases) EXPECT_EQ(web::logSafe(raw), logged) << logged;
  const std::string cut = web::logSafe(std::string(600, 'x'));
  EXPECT_EQ(cut.size(), 512u + 3);
  EXPECT_EQ(cut.substr(512), "...");
}

TEST(HardeningLogs, RequestValuesCannotForgeLogLines) {
  TestServer server;
  LogCapture capture;
  const std::string forged = "mallory\nlogin: user 'admin' rid=0\r\x1b[2J";
  Reply api = send(server.port(), "POST", "/api/v1/session",
                   jsonString({{"username", forged}, {"password", "x"}}), "application/json");
  EXPECT_EQ(api.status, 401);
  Browser b(server.port());
  b.get("/login");
  EXPECT_EQ(b.post("/login", {{"username", forged}, {"password", "x"}}).status, 401);
  EXPECT_EQ(send(server.port(), "GET", "/nope%0Afake%20line%0D%1B").status, 404);
  EXPECT_EQ(send(server.port(), "GET", "/items/1%0Aforged").status, 303);

  const auto lines = capture.messages();
  int mentionsMallory = 0, mentionsFake = 0;
  for (const auto& line : lines) {
    EXPECT_FALSE(hasControl(line)) << line;
    if (contains(line, "mallory")) {
      ++mentionsMallory;
      EXPECT_TRUE(contains(line, "mallory\\nlogin: user 'admin' rid=0\\r\\x1b[2J")) << line;
    }
    if (contains(line, "/nope")) {
      ++mentionsFake;
      EXPECT_TRUE(contains(line, "/nope\\nfake line\\r\\x1b")) << line;
    }
  }
  EXPECT_GE(mentionsMallory, 2);  // the API's and the form's failed sign-in
  EXPECT_GE(mentionsFake, 1);     // the access line
}

}  // namespace
}  // namespace liufang::testkit
