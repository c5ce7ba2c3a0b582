// Behind a proxy: a real nginx from Debian terminates TLS in front of the real server. The
// browser's view (HTTPS, Secure cookies, HSTS, redirects) and the client address the server
// logs and throttles by must be the ones nginx forwards; the same headers sent by anyone
// else must be ignored. The client is curl (PocoNetSSL is not a dependency), run from other
// loopback addresses (127.0.0.2, 127.0.0.3) so that each "client" differs from the proxy.
#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Process.h>
#include <Poco/String.h>
#include <Poco/Util/MapConfiguration.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "WebTestKit.h"
#include "web/Http.h"

namespace liufang::testkit {
namespace {

using namespace std::chrono_literals;

// Runs a shell command and returns what it printed on stdout.
std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

std::string findProgram(const std::string& name) {
  for (const char* dir : {"/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/", "/usr/local/bin/"})
    if (Poco::File(std::string(dir) + name).exists()) return std::string(dir) + name;
  return {};
}

// One answer as curl -i printed it.
Reply parseCurl(const std::string& raw) {
  Reply r;
  const size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/", 0) != 0 || end == std::string::npos) return r;  // status 0: no answer
  std::istringstream head(raw.substr(0, end));
  std::string line;
  std::getline(head, line);
  r.status = std::stoi(line.substr(line.find(' ') + 1, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    r.headers.emplace_back(line.substr(0, colon), value);
  }
  r.body = raw.substr(end + 4);
  return r;
}

// curl from `source` (a loopback address) to `url`; `extra` are further shell-quoted args.
Reply curl(const std::string& source, const std::string& url, const std::string& extra = {}) {
  return parseCurl(
      run("curl -sk -i --max-time 15 --interface " + source + " " + extra + " '" + url + "'"));
}

// Captures the server's log lines (the messages, unformatted) while alive.
class LogCapture {
 public:
  LogCapture()
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(512)),
        previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("proxy-capture", sink_);
    logger->set_level(spdlog::level::info);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  // The first line containing every one of `parts`; the access line is written just after
  // the answer, so it may take a moment to appear. "" if none within 5 s.
  std::string waitForLine(const std::vector<std::string>& parts) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    do {
      for (const auto& m : sink_->last_raw()) {
        std::string line(m.payload.data(), m.payload.size());
        bool all = true;
        for (const auto& p : parts) all = all && line.find(p) != std::string::npos;
        if (all) return line;
      }
      std::this_thread::sleep_for(20ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return {};
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

bool icontains(const std::string& s, const std::string& part) {
  return Poco::toLower(s).find(Poco::toLower(part)) != std::string::npos;
}

// nginx (daemon off, one process, everything in a temp folder) terminating TLS with a fresh
// self-signed certificate on a free loopback port, forwarding to 127.0.0.1:backend.
class NginxFront {
 public:
  explicit NginxFront(uint16_t backend) {
    const std::string nginx = findProgram("nginx");
    if (nginx.empty() || findProgram("openssl").empty() || findProgram("curl").empty())
      throw std::runtime_error("nginx, openssl and curl are needed: run scripts/deps");
    Poco::Path dir(Poco::Path::temp());
    dir.pushDirectory("liufang-nginx-" + std::to_string(::getpid()) + "-" +
                      std::to_string(counter_++));
    dir_ = dir.toString();
    Poco::File(dir_).createDirectories();
    run("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " + dir_ +
        "key.pem -out " + dir_ + "cert.pem 2>/dev/null");
    if (!Poco::File(dir_ + "cert.pem").exists())
      throw std::runtime_error("openssl made no certificate");
    {
      Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
      port_ = probe.address().port();
    }
    std::ofstream(dir_ + "nginx.conf") << config(backend);
    handle_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
        nginx, {"-p", dir_, "-c", dir_ + "nginx.conf", "-e", dir_ + "error.log"}));
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
      try {
        Poco::Net::StreamSocket s;
        s.connect(Poco::Net::SocketAddress("127.0.0.1", port_), Poco::Timespan(1, 0));
        break;
      } catch (const Poco::Exception&) {
        if (std::chrono::steady_clock::now() > deadline) {
          stop();
          throw std::runtime_error("nginx did not start: " + run("cat " + dir_ + "error.log"));
        }
        std::this_thread::sleep_for(50ms);
      }
    }
  }
  ~NginxFront() {
    stop();
    try {
      Poco::File(dir_).remove(true);
    } catch (...) {
      // a leftover temp folder is not a test failure
    }
  }
  std::string url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  std::string config(uint16_t backend) const {
    const std::string d = dir_;
    return "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + d +
           "nginx.pid;\nerror_log " + d + "error.log;\nevents { worker_connections 64; }\n" +
           "http {\n  access_log off;\n  client_body_temp_path " + d + "body;\n" +
           "  proxy_temp_path " + d + "proxy;\n  fastcgi_temp_path " + d + "fastcgi;\n" +
           "  uwsgi_temp_path " + d + "uwsgi;\n  scgi_temp_path " + d + "scgi;\n" +
           "  server {\n    listen 127.0.0.1:" + std::to_string(port_) + " ssl;\n" +
           "    ssl_certificate " + d + "cert.pem;\n    ssl_certificate_key " + d + "key.pem;\n" +
           "    location = /metrics { return 404; }\n    location / {\n" +
           "      proxy_pass http://127.0.0.1:" + std::to_string(backend) + ";\n" +
           "      proxy_set_header Host $http_host;\n" +
           "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n" +
           "      proxy_set_header X-Forwarded-Proto $scheme;\n    }\n  }\n}\n";
  }
  // SIGKILL: immediate whatever nginx is doing, so the test's end is bounded.
  void stop() {
    if (!handle_) return;
    try {
      Poco::Process::kill(*handle_);
      handle_->wait();
    } catch (const Poco::Exception&) {
      // already gone
    }
    handle_.reset();
  }

  static inline int counter_ = 0;
  std::string dir_;
  uint16_t port_ = 0;
  std::unique_ptr<Poco::ProcessHandle> handle_;
};

std::string csrfOf(const std::string& body) {
  static const std::regex token(R"re(name="csrf" value="([0-9a-f]+)")re");
  std::smatch m;
  return std::regex_search(body, m, token) ? std::string(m[1]) : std::string();
}

TEST(ForwardedClient, RightMostUntrustedAddressOnlyFromTheList) {
  const std::set<std::string> trusted{"127.0.0.1", "10.0.0.2"};
  struct Case {
    std::vector<std::string> header;
    std::string want;
  };
  const std::vector<Case> cases = {
      {{}, "127.0.0.1"},                                 // no header: the peer
      {{"203.0.113.9"}, "203.0.113.9"},                  // one hop
      {{"198.51.100.1, 203.0.113.9"}, "203.0.113.9"},    // left of it may be forged
      {{"203.0.113.9, 10.0.0.2"}, "203.0.113.9"},        // a second trusted proxy skipped
      {{"198.51.100.1", "203.0.113.9"}, "203.0.113.9"},  // two header lines in order
      {{"2001:db8::7"}, "2001:db8::7"},                  // IPv6
      {{"evil, not-an-address"}, "127.0.0.1"},           // unreadable: not believed
      {{"10.0.0.2, 127.0.0.1"}, "10.0.0.2"},             // all proxies: the left-most
      {{" , "}, "127.0.0.1"},                            // blank entries only
  };
  for (const auto& c : cases)
    EXPECT_EQ(web::forwardedClient(c.header, "127.0.0.1", trusted), c.want)
        << (c.header.empty() ? "" : c.header.front());
}

TEST(ProxyConfig, OldKeyStillWorksAndTheNewOneWins) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> old(new Poco::Util::MapConfiguration);
  old->setString("http.proxy_addresses", "10.0.0.2");
  EXPECT_EQ(web::ServerConfig::from(*old).trustedProxySet(), std::set<std::string>{"10.0.0.2"});
  old->setString("http.trusted_proxies", "10.0.0.3, 10.0.0.4");
  EXPECT_EQ(web::ServerConfig::from(*old).trustedProxySet(),
            (std::set<std::string>{"10.0.0.3", "10.0.0.4"}));
  Poco::AutoPtr<Poco::Util::MapConfiguration> none(new Poco::Util::MapConfiguration);
  EXPECT_EQ(web::ServerConfig::from(*none).trustedProxySet(),
            (std::set<std::string>{"127.0.0.1", "::1"}));
}

TEST(ProxyNginx, HttpsAsTheBrowserSeesItAndTheForwardedClient) {
  TestServer server;  // http.https off: only nginx's X-Forwarded-Proto can switch it on
  NginxFront nginx(server.port());
  LogCapture log;
  const std::string jar =
      "'" + Poco::Path::temp() + "liufang-proxy-jar-" + std::to_string(::getpid()) + "'";

  Reply home = curl("127.0.0.2", nginx.url("/"));
  ASSERT_EQ(home.status, 303) << home.body;
  // Relative: the browser resolves it against https://127.0.0.1:<nginx>, scheme and host kept.
  EXPECT_EQ(home.header("Location"), "/login");
  EXPECT_EQ(home.header("Strict-Transport-Security"), "max-age=31536000");

  Reply form = curl("127.0.0.2", nginx.url("/login"), "-c " + jar + " -b " + jar);
  ASSERT_EQ(form.status, 200);
  const std::string csrf = csrfOf(form.body);
  ASSERT_FALSE(csrf.empty());
  for (const auto& c : form.headerAll("Set-Cookie")) EXPECT_TRUE(icontains(c, "Secure")) << c;

  Reply signIn = curl("127.0.0.2", nginx.url("/login"),
                      "-c " + jar + " -b " + jar + " --data-urlencode username=juweihui" +
                          " --data-urlencode password=" + kPassword +
                          " --data-urlencode next=/desk --data-urlencode csrf=" + csrf);
  ASSERT_EQ(signIn.status, 303) << signIn.body;
  EXPECT_EQ(signIn.header("Location"), "/desk");
  EXPECT_EQ(signIn.header("Strict-Transport-Security"), "max-age=31536000");
  bool sawSession = false;
  for (const auto& c : signIn.headerAll("Set-Cookie")) {
    if (c.rfind("lf_session=", 0) != 0) continue;
    sawSession = true;
    EXPECT_TRUE(icontains(c, "; Secure")) << c;
    EXPECT_TRUE(icontains(c, "HttpOnly")) << c;
  }
  EXPECT_TRUE(sawSession);
  Reply desk = curl("127.0.0.2", nginx.url("/desk"), "-b " + jar);
  EXPECT_EQ(desk.status, 200);
  // A signed-in page sent elsewhere keeps the relative, scheme-less redirect too.
  Reply out = curl("127.0.0.2", nginx.url("/login"), "-b " + jar);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.header("Location"), "/desk");
  std::remove(jar.substr(1, jar.size() - 2).c_str());

  // The access line names the client nginx saw and, apart, the proxy it came through.
  EXPECT_FALSE(log.waitForLine({"GET /desk 200", "from=127.0.0.2 via=127.0.0.1"}).empty());
  EXPECT_FALSE(log.waitForLine({"login: user 'juweihui' from 127.0.0.2"}).empty());

  // What the client writes into X-Forwarded-For itself stays left of what nginx appends.
  Reply forged =
      curl("127.0.0.2", nginx.url("/forged-through-proxy"), "-H 'X-Forwarded-For: 203.0.113.9'");
  EXPECT_EQ(forged.status, 404);
  const std::string line = log.waitForLine({"GET /forged-through-proxy 404 "});
  EXPECT_NE(line.find("from=127.0.0.2 via=127.0.0.1"), std::string::npos) << line;
  EXPECT_EQ(line.find("203.0.113.9"), std::string::npos) << line;

  // nginx does not forward /metrics: through the proxy every client would look local.
  EXPECT_EQ(curl("127.0.0.2", nginx.url("/metrics")).status, 404);
}

TEST(ProxyNginx, SignInThrottleCountsEachForwardedAddress) {
  web::ServerConfig cfg;
  cfg.throttleAfter = 1000;  // by name never: only the address counts here
  cfg.addressThrottleAfter = 2;
  TestServer server(cfg);
  NginxFront nginx(server.port());
  const auto tryName = [&](const std::string& source, const std::string& name) {
    return curl(source, nginx.url("/api/v1/session"),
                "-H 'Content-Type: application/json' --data '{\"username\":\"" + name +
                    "\",\"password\":\"wrong\"}'")
        .status;
  };
  EXPECT_EQ(tryName("127.0.0.2", "guess-0"), 401);
  EXPECT_EQ(tryName("127.0.0.2", "guess-1"), 401);
  EXPECT_EQ(tryName("127.0.0.2", "guess-2"), 429);  // 127.0.0.2 used its budget
  EXPECT_EQ(tryName("127.0.0.3", "guess-3"), 401);  // another client behind the same proxy
}

TEST(ProxyHeaders, FromAnUntrustedPeerAreIgnored) {
  web::ServerConfig cfg;
  cfg.trustedProxies = "127.0.0.1";  // the test's client speaks from 127.0.0.2
  cfg.throttleAfter = 1000;
  cfg.addressThrottleAfter = 2;
  TestServer server(cfg);
  LogCapture log;
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string forged = "-H 'X-Forwarded-For: 198.51.100.7' -H 'X-Forwarded-Proto: https'";
  Reply form = curl("127.0.0.2", url + "/login", forged);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(form.header("Strict-Transport-Security").empty());
  for (const auto& c : form.headerAll("Set-Cookie")) EXPECT_FALSE(icontains(c, "Secure")) << c;
  const std::string line = log.waitForLine({"GET /login 200"});
  EXPECT_NE(line.find("from=127.0.0.2 rid="), std::string::npos) << line;
  EXPECT_EQ(line.find("198.51.100.7"), std::string::npos) << line;

  // A new forged address each time gains no new budget: the peer is what counts.
  for (int i = 0; i < 3; ++i) {
    Reply r = curl("127.0.0.2", url + "/api/v1/session",
                   "-H 'X-Forwarded-For: 198.51.100." + std::to_string(i) +
                       "' -H 'Content-Type: application/json' --data " + "'{\"username\":\"guess-" +
                       std::to_string(i) + "\",\"password\":\"wrong\"}'");
    EXPECT_EQ(r.status, i < 2 ? 401 : 429) << i;
  }
}

}  // namespace
}  // namespace liufang::testkit
