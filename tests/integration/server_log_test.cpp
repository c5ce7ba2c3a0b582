// The server's log as `liufang serve` writes it (web/ServerLog.h) to a rotating file: one
// access line per request with its five parts, and no secret in any line.
#include <Poco/File.h>
#include <Poco/Path.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "WebTestKit.h"
#include "web/ServerLog.h"

namespace liufang::testkit {
namespace {

using namespace std::chrono_literals;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A temp folder holding the log file, and the file logger as the default while alive.
class FileLog {
 public:
  explicit FileLog(int maxSizeMb = 10, int maxFiles = 5) {
    Poco::Path dir(Poco::Path::temp());
    dir.pushDirectory("liufang-log-" + std::to_string(::getpid()) + "-" +
                      std::to_string(counter_++));
    dir_ = dir.toString();
    Poco::File(dir_).createDirectories();
    web::ServerConfig cfg;
    cfg.logFile = dir_ + "liufang.log";
    cfg.logMaxSizeMb = maxSizeMb;
    cfg.logMaxFiles = maxFiles;
    logger_ = web::makeServerLogger("log-test", cfg);
    previous_ = spdlog::default_logger();
    spdlog::set_default_logger(logger_);
  }
  ~FileLog() {
    spdlog::set_default_logger(previous_);
    logger_.reset();
    try {
      Poco::File(dir_).remove(true);
    } catch (...) {
      // a leftover temp folder is not a test failure
    }
  }
  std::string file() const { return dir_ + "liufang.log"; }
  // The file's text once it contains `needle` (the access line follows the answer), or after
  // 5 s whatever it holds.
  std::string waitFor(const std::string& needle) const {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    std::string text;
    do {
      logger_->flush();
      text = readFile(file());
      if (text.find(needle) != std::string::npos) break;
      std::this_thread::sleep_for(20ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return text;
  }
  spdlog::logger& logger() { return *logger_; }

 private:
  static inline int counter_ = 0;
  std::string dir_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST(ServerLog, AccessLinesInTheFileCarryNoSecret) {
  TestServer server;
  FileLog log;  // after the server: TestServer lowers the default logger's level
  const std::string wrongPassword = "Wrong-Password-7391";

  Browser b(server.port());
  b.get("/login");
  const std::string loginCsrf = b.csrf();
  ASSERT_FALSE(loginCsrf.empty());
  EXPECT_EQ(b.post("/login", {{"username", "juweihui"}, {"password", wrongPassword}}).status, 401);
  b.login("juweihui");
  const std::string cookie = b.cookie("lf_session");
  const std::string sessionCsrf = b.csrf();
  ASSERT_FALSE(cookie.empty());
  ASSERT_NE(sessionCsrf, loginCsrf);
  b.get("/items/new");
  Reply made = b.post("/items", {{"title", "log test 楼道灯"}, {"description", "不亮"}});
  ASSERT_EQ(made.status, 303) << made.body;

  Reply api =
      send(server.port(), "POST", "/api/v1/session",
           "{\"username\":\"gongyi\",\"password\":\"" + kPassword + "\"}", "application/json");
  ASSERT_EQ(api.status, 200) << api.body;
  const std::string token = api.json()->getValue<std::string>("token");
  Reply me =
      send(server.port(), "GET", "/api/v1/me", {}, {}, {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(me.status, 200);
  const std::string rid = me.header("X-Request-Id");
  ASSERT_FALSE(rid.empty());

  const std::string text = log.waitFor("rid=" + rid);
  // The five parts: route (method and path), status, time, user, request id.
  EXPECT_NE(text.find("GET /api/v1/me 200 "), std::string::npos) << text;
  EXPECT_NE(text.find("ms user=gongyi from=127.0.0.1 rid=" + rid), std::string::npos) << text;
  EXPECT_NE(text.find("POST /items 303 "), std::string::npos) << text;
  EXPECT_NE(text.find("POST /login 401 "), std::string::npos) << text;
  EXPECT_NE(text.find("login: user 'juweihui'"), std::string::npos) << text;
  for (const std::string& secret :
       {kPassword, wrongPassword, cookie, token, loginCsrf, sessionCsrf})
    EXPECT_EQ(text.find(secret), std::string::npos) << "logged: " << secret << "\n" << text;
}

TEST(ServerLog, FileIsRotatedAtItsSizeKeepingMaxFiles) {
  FileLog log(1, 2);
  const std::string line(1000, 'x');
  for (int i = 0; i < 4000; ++i) log.logger().info("{} {}", i, line);  // about 4 MB
  log.logger().flush();
  EXPECT_TRUE(Poco::File(log.file()).exists());
  EXPECT_TRUE(Poco::File(log.file().substr(0, log.file().size() - 4) + ".1.log").exists());
  EXPECT_TRUE(Poco::File(log.file().substr(0, log.file().size() - 4) + ".2.log").exists());
  EXPECT_FALSE(Poco::File(log.file().substr(0, log.file().size() - 4) + ".3.log").exists());
  EXPECT_LE(Poco::File(log.file()).getSize(), 1024u * 1024u);
}

}  // namespace
}  // namespace liufang::testkit
