#pragma once
// The real server on a loopback port for integration tests: a fresh SQLite file in a temp
// folder filled with the demo community, our WebServer on port 0, and a small HTTP client
// (Poco's HTTPClientSession) that keeps cookies like a browser.
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "model/Clock.h"
#include "model/Store.h"
#include "web/Config.h"
#include "web/WebServer.h"
#include "workflow/Demo.h"

namespace liufang::testkit {

inline const std::string kPassword = "taoyuanju-2026";

// One HTTP answer.
struct Reply {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers)
      if (Poco::icompare(k, name) == 0) return v;
    return {};
  }
  std::vector<std::string> headerAll(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : headers)
      if (Poco::icompare(k, name) == 0) out.push_back(v);
    return out;
  }
  Poco::JSON::Object::Ptr json() const {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  }
};

inline std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    std::string ek, ev;
    Poco::URI::encode(k, "!#$&'()*+,/:;=?@[]%\"<>\\^`{|} ", ek);
    Poco::URI::encode(v, "!#$&'()*+,/:;=?@[]%\"<>\\^`{|} ", ev);
    out += (out.empty() ? "" : "&") + ek + "=" + ev;
  }
  return out;
}

// One request on a fresh connection.
inline Reply send(uint16_t port, const std::string& method, const std::string& path,
                  const std::string& body = {}, const std::string& contentType = {},
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) req.add(k, v);
  if (!body.empty() || method == "POST") {
    req.setContentType(contentType.empty() ? "application/x-www-form-urlencoded" : contentType);
    req.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  Reply r;
  r.status = resp.getStatus();
  Poco::StreamCopier::copyToString(in, r.body);
  for (const auto& [k, v] : resp) r.headers.emplace_back(k, v);
  return r;
}

// A browser: keeps cookies, knows its session's CSRF token from the last page it read.
class Browser {
 public:
  explicit Browser(uint16_t port) : port_(port) {}

  Reply get(const std::string& path) { return remember(request("GET", path, {}, {})); }
  Reply post(const std::string& path, std::vector<std::pair<std::string, std::string>> fields,
             bool withCsrf = true) {
    if (withCsrf) fields.emplace_back("csrf", csrf_);
    return remember(request("POST", path, formEncode(fields), "application/x-www-form-urlencoded"));
  }

  // Signs in through the login form; fails the test if it does not redirect.
  void login(const std::string& username, const std::string& password = kPassword) {
    Reply form = get("/login");
    ASSERT_EQ(form.status, 200);
    Reply r = post("/login", {{"username", username}, {"password", password}, {"next", "/desk"}});
    ASSERT_EQ(r.status, 303) << r.body;
    ASSERT_FALSE(cookies_["lf_session"].empty());
    Reply desk = get("/desk");
    ASSERT_EQ(desk.status, 200);
  }

  const std::string& csrf() const { return csrf_; }
  std::string cookie(const std::string& name) { return cookies_[name]; }
  void setCookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  uint16_t port() const { return port_; }

 private:
  Reply request(const std::string& method, const std::string& path, const std::string& body,
                const std::string& type) {
    std::string cookieHeader;
    for (const auto& [k, v] : cookies_)
      if (!v.empty()) cookieHeader += (cookieHeader.empty() ? "" : "; ") + k + "=" + v;
    std::vector<std::pair<std::string, std::string>> headers;
    if (!cookieHeader.empty()) headers.emplace_back("Cookie", cookieHeader);
    Reply r = send(port_, method, path, body, type, headers);
    for (const auto& sc : r.headerAll("Set-Cookie")) {
      const auto eq = sc.find('=');
      const auto semi = sc.find(';');
      const std::string name = sc.substr(0, eq);
      std::string value = sc.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
      if (sc.find("max-age=0") != std::string::npos || sc.find("Max-Age=0") != std::string::npos)
        value.clear();
      cookies_[name] = value;
    }
    return r;
  }

  // Every form on a page carries the same token: the login form its double-submit token,
  // signed-in pages the session's. Remember the latest one seen.
  Reply remember(Reply r) {
    static const std::regex token(R"re(name="csrf" value="([0-9a-f]+)")re");
    std::smatch m;
    if (std::regex_search(r.body, m, token)) csrf_ = m[1];
    return r;
  }

  uint16_t port_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

// The demo database and our server on a loopback port, with a clock the test controls.
class TestServer {
 public:
  // `tweak`, if given, adjusts the store's options first (e.g. to trace its SQL).
  explicit TestServer(web::ServerConfig cfg = {},
                      const std::function<void(model::StoreOptions&)>& tweak = {})
      : clock_(std::chrono::system_clock::now()) {
    spdlog::set_level(spdlog::level::warn);
    Poco::Path dir(Poco::Path::temp());
    dir.pushDirectory("liufang-it-" + std::to_string(::getpid()) + "-" +
                      std::to_string(counter()++));
    dir_ = dir.toString();
    Poco::File(dir_).createDirectories();
    model::StoreOptions so;
    so.path = dir_ + "liufang.db";
    so.synchronous = model::Synchronous::Normal;  // tests need no power-cut durability
    if (tweak) tweak(so);
    store_ = model::openSqliteStore(so);
    workflow::createDemo(*store_, clock_.now());
    cfg.bind = "127.0.0.1";
    cfg.port = 0;
    cfg.dbPath = so.path;  // what the server reports (/metrics' database size) is this file
    cfg.sweepIntervalSeconds = 3600;
    server_ = std::make_unique<web::WebServer>(cfg, *store_, clock_);
    server_->start();
  }
  ~TestServer() {
    server_->stop();
    server_.reset();
    store_.reset();
    try {
      Poco::File(dir_).remove(true);
    } catch (...) {
      // a leftover temp folder is not a test failure
    }
  }

  uint16_t port() const { return server_->port(); }
  model::Store& store() { return *store_; }
  model::ManualClock& clock() { return clock_; }
  web::WebServer& server() { return *server_; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::string dir_;
  model::ManualClock clock_;
  std::unique_ptr<model::Store> store_;
  std::unique_ptr<web::WebServer> server_;
};

// Signs `user` in through the JSON API of the server on `port`; returns the Bearer token.
inline std::string signIn(uint16_t port, const std::string& user) {
  Reply r = send(port, "POST", "/api/v1/session",
                 R"({"username":")" + user + R"(","password":")" + kPassword + R"("})",
                 "application/json");
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json()->getValue<std::string>("token");
}

// The id in a "Location: /items/42?done=..." redirect, or 0.
inline int64_t itemIdFromLocation(const std::string& location) {
  static const std::regex re(R"(/items/(\d+))");
  std::smatch m;
  if (!std::regex_search(location, m, re)) return 0;
  return std::stoll(m[1]);
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Minimal HTML text escaping as mustache does it, to look for user data in pages.
inline std::string htmlEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace liufang::testkit

namespace liufang::testkit {

// One server for the whole test program (each Argon2 sign-in costs ~0.1 s, and the demo is
// built once); tests that need a clock or accounts of their own start a TestServer.
inline TestServer& sharedServer() {
  static TestServer server;
  return server;
}

// A signed-in browser per demo account, reused across tests.
inline Browser& browserFor(const std::string& username) {
  static std::map<std::string, std::unique_ptr<Browser>> browsers;
  auto& b = browsers[username];
  if (!b) {
    b = std::make_unique<Browser>(sharedServer().port());
    b->login(username);
  }
  return *b;
}

// An API token per demo account, reused across tests.
inline std::string tokenFor(const std::string& username) {
  static std::map<std::string, std::string> tokens;
  auto& t = tokens[username];
  if (t.empty()) {
    Reply r = send(sharedServer().port(), "POST", "/api/v1/session",
                   R"({"username":")" + username + R"(","password":")" + kPassword + R"("})",
                   "application/json");
    EXPECT_EQ(r.status, 200) << r.body;
    t = r.json()->getValue<std::string>("token");
  }
  return t;
}

// A JSON API call as `username` (no token when username is empty).
inline Reply api(const std::string& method, const std::string& path, const std::string& json = {},
                 const std::string& username = {}) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!username.empty()) headers.emplace_back("Authorization", "Bearer " + tokenFor(username));
  return send(sharedServer().port(), method, path, json,
              json.empty() ? std::string() : "application/json", headers);
}

inline std::string jsonString(const std::map<std::string, std::string>& fields) {
  Poco::JSON::Object o;
  for (const auto& [k, v] : fields) o.set(k, v);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

}  // namespace liufang::testkit
