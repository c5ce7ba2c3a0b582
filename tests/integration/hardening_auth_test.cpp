// Findings of the outside security test, sign-in side: sessions (idle refresh, absolute
// lifetime), throttling that does not tell which usernames exist, and the memory Argon2 takes
// under a burst of sign-ins. Each test runs its own server on a loopback port.
#include <atomic>
#include <fstream>
#include <thread>

#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

Reply apiLogin(uint16_t port, const std::string& username, const std::string& password) {
  return send(port, "POST", "/api/v1/session",
              jsonString({{"username", username}, {"password", password}}), "application/json");
}

TEST(HardeningSession, ActiveUserStaysSignedInWithAOneMinuteIdleLimit) {
  web::ServerConfig cfg;
  cfg.sessionIdleMinutes = 1;
  TestServer server(cfg);
  Browser b(server.port());
  b.login("juweihui");
  // A request every 40 s is well inside a one-minute idle limit, for five minutes.
  for (int i = 0; i < 8; ++i) {
    server.clock().advance(seconds(40));
    Reply r = b.get("/desk");
    ASSERT_EQ(r.status, 200) << "signed out after " << (i + 1) * 40 << " s of activity";
  }
  // Idle for longer than the limit: signed out.
  server.clock().advance(seconds(61));
  Reply r = b.get("/desk");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("Location"), "/login?next=%2Fdesk");
}

TEST(HardeningSession, SessionEndsAtItsAbsoluteLifetimeEvenWhenActive) {
  web::ServerConfig cfg;
  cfg.sessionIdleMinutes = 30;
  cfg.sessionAbsoluteHours = 1;
  TestServer server(cfg);
  Browser b(server.port());
  b.login("juweihui");
  Reply token = apiLogin(server.port(), "gongyi", kPassword);
  ASSERT_EQ(token.status, 200) << token.body;
  const std::string bearer = "Bearer " + token.json()->getValue<std::string>("token");
  for (int i = 0; i < 3; ++i) {
    server.clock().advance(minutes(19));
    ASSERT_EQ(b.get("/desk").status, 200);
    ASSERT_EQ(send(server.port(), "GET", "/api/v1/me", {}, {}, {{"Authorization", bearer}}).status,
              200);
  }
  server.clock().advance(minutes(4));  // 61 minutes after sign-in, last request 4 minutes ago
  EXPECT_EQ(b.get("/desk").status, 303);
  EXPECT_EQ(send(server.port(), "GET", "/api/v1/me", {}, {}, {{"Authorization", bearer}}).status,
            401);
}

// The answers a client sees for `attempts` wrong passwords in a row.
std::vector<int> failuresSeen(uint16_t port, const std::string& username, int attempts) {
  std::vector<int> out;
  for (int i = 0; i < attempts; ++i) {
    Reply r = apiLogin(port, username, "wrong-" + std::to_string(i));
    out.push_back(r.status);
    if (r.status == 429) {
      EXPECT_FALSE(r.header("Retry-After").empty());
    }
  }
  return out;
}

TEST(HardeningThrottle, UnknownAndExistingNamesAreThrottledAlike) {
  web::ServerConfig cfg;
  cfg.throttleAfter = 3;
  cfg.addressThrottleAfter = 1000;  // this test is about names
  TestServer server(cfg);
  const std::vector<int> expected = {401, 401, 401, 429, 429};
  EXPECT_EQ(failuresSeen(server.port(), "juweihui", 5), expected);
  EXPECT_EQ(failuresSeen(server.port(), "no-such-user", 5), expected);
  // Another name starts with a clean slate.
  EXPECT_EQ(failuresSeen(server.port(), "someone-else", 1), std::vector<int>{401});
  // The delay passes for both alike.
  server.clock().advance(seconds(cfg.throttleMaxSeconds + 1));
  EXPECT_EQ(apiLogin(server.port(), "juweihui", kPassword).status, 200);
  EXPECT_EQ(apiLogin(server.port(), "no-such-user", "x").status, 401);
}

TEST(HardeningThrottle, OneAddressTryingManyNamesIsThrottled) {
  web::ServerConfig cfg;
  cfg.throttleAfter = 1000;
  cfg.addressThrottleAfter = 4;
  cfg.trustedProxies = "";  // the test's clients come from 127.0.0.1, a proxy by default
  TestServer server(cfg);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(apiLogin(server.port(), "guess-" + std::to_string(i), "x").status, 401);
  Reply r = apiLogin(server.port(), "guess-4", "x");
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("Retry-After").empty());
  // The form answers the same.
  Browser b(server.port());
  b.get("/login");
  EXPECT_EQ(b.post("/login", {{"username", "juweihui"}, {"password", "x"}}).status, 429);
}

TEST(HardeningThrottle, AProxysAddressIsNotThrottledAsOneClient) {
  web::ServerConfig cfg;
  cfg.throttleAfter = 1000;
  cfg.addressThrottleAfter = 2;  // 127.0.0.1 is in the default http.proxy_addresses
  TestServer server(cfg);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(apiLogin(server.port(), "guess-" + std::to_string(i), "x").status, 401);
  EXPECT_EQ(apiLogin(server.port(), "juweihui", kPassword).status, 200);
}

long statusKb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  return -1;
}

// 100 sign-ins at once, half for unknown names (the dummy hash), half right: each Argon2id
// check takes 64 MiB, so unbounded hashing would need ~6.4 GiB. With two hashing slots the
// server's peak resident memory (VmHWM; the server runs in this process) may grow by at most
// three checks' worth over what it held before.
TEST(HardeningLoginMemory, HundredConcurrentSignInsStayWithinTheHashingSlots) {
  web::ServerConfig cfg;
  cfg.maxConcurrentHashes = 2;
  cfg.hashWaitMilliseconds = 120000;  // everyone waits for a slot: every check really runs
  cfg.addressThrottleAfter = 100000;
  TestServer server(cfg);
  apiLogin(server.port(), "juweihui", kPassword);  // warm-up: the dummy hash, the pools
  const long before = statusKb("VmRSS");
  ASSERT_GT(before, 0);
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 100; ++i)
    clients.emplace_back([&, i] {
      try {
        Reply r = i % 2 ? apiLogin(server.port(), "nobody-" + std::to_string(i), "x")
                        : apiLogin(server.port(), "juweihui", kPassword);
        (r.status == 200 ? ok : r.status == 401 ? refused : other)++;
      } catch (const std::exception&) {
        other++;
      }
    });
  for (auto& t : clients) t.join();
  const long peak = statusKb("VmHWM");
  EXPECT_EQ(ok.load(), 50);
  EXPECT_EQ(refused.load(), 50);
  EXPECT_EQ(other.load(), 0);
  const long boundKb = 3 * 64 * 1024 + 48 * 1024;  // three checks and 48 MiB for 100 threads
  std::printf("VmRSS before %ld kB, VmHWM after %ld kB, growth %ld kB (bound %ld kB)\n", before,
              peak, peak - before, boundKb);
  EXPECT_LT(peak - before, boundKb);
}

TEST(HardeningLoginMemory, BusyHashingAnswers503WithRetryAfter) {
  web::ServerConfig cfg;
  cfg.maxConcurrentHashes = 1;
  cfg.hashWaitMilliseconds = 1;
  cfg.addressThrottleAfter = 100000;
  TestServer server(cfg);
  apiLogin(server.port(), "juweihui", kPassword);  // warm-up
  std::atomic<int> busy{0}, served{0};
  std::atomic<bool> retryAfter{true};
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i)
    clients.emplace_back([&] {
      Reply r = apiLogin(server.port(), "juweihui", kPassword);
      if (r.status == 503) {
        ++busy;
        if (r.header("Retry-After").empty()) retryAfter = false;
      } else if (r.status == 200) {
        ++served;
      }
    });
  for (auto& t : clients) t.join();
  EXPECT_GE(served.load(), 1);
  EXPECT_GE(busy.load(), 1);
  EXPECT_EQ(busy.load() + served.load(), 8);
  EXPECT_TRUE(retryAfter.load());
}

}  // namespace
}  // namespace liufang::testkit
