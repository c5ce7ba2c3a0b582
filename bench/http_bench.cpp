// http_bench: requests per second and latency percentiles of a few pages of running liufang
// servers, measured in one run so every page sees the same machine load. Each target is
// measured by C keep-alive clients for S seconds; the targets take turns for R rounds (so a
// build that starts half-way through disturbs all of them alike) and the rounds are summed.
//
//   http_bench --target NAME=[USER@]URL ... [--clients C] [--seconds S] [--rounds R]
//              [--password P] [--events N] [--ceiling NAME] [--csv FILE]
//     --target   a page to measure; USER signs in through POST /api/v1/session and the page
//                is fetched with "Authorization: Bearer <token>". "{item}" in the URL becomes
//                an item of that server with an N-event timeline, made once per server
//                through the JSON API (as the demo's users, whose password is --password).
//     --ceiling  the target the others are compared with (their req/s ratio to it is printed)
//     --csv      also append one line per target: name,clients,requests,rps,p50,p95,p99
//
// Exit status 0 if every request answered 200; 1 otherwise; 2 for bad arguments.
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Target {
  std::string name;
  std::string user;  // "" = anonymous
  Poco::URI uri;
  std::string pathAndQuery;  // after {item} substitution
  std::string token;
  std::vector<double> ms;  // every successful request's latency, all rounds
  double seconds = 0;      // measuring time, all rounds
  long failed = 0;
  std::string error;
};

struct Options {
  std::vector<std::string> targets;
  int clients = 32;
  double seconds = 3;
  int rounds = 3;
  std::string password = "taoyuanju-2026";
  int events = 20;
  std::string ceiling;
  std::string csv;
};

std::string base(const Poco::URI& u) {
  return u.getScheme() + "://" + u.getHost() + ":" + std::to_string(u.getPort());
}

// One request on `s`; returns the status and fills body.
int call(Poco::Net::HTTPClientSession& s, const std::string& method, const std::string& path,
         const std::string& token, const std::string& json, std::string& body) {
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  req.setKeepAlive(true);
  if (!token.empty()) req.set("Authorization", "Bearer " + token);
  if (!json.empty()) {
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(json.size()));
    s.sendRequest(req) << json;
  } else {
    s.sendRequest(req);
  }
  Poco::Net::HTTPResponse resp;
  std::istream& in = s.receiveResponse(resp);
  body.clear();
  Poco::StreamCopier::copyToString(in, body);
  return static_cast<int>(resp.getStatus());
}

// The JSON API as one user of one server: sign-in and item set-up, not measured.
class ApiClient {
 public:
  ApiClient(const Poco::URI& server, const std::string& user, const std::string& password)
      : session_(server.getHost(), server.getPort()) {
    session_.setKeepAlive(true);
    std::string body;
    const std::string creds = R"({"username":")" + user + R"(","password":")" + password + R"("})";
    const int status = call(session_, "POST", "/api/v1/session", "", creds, body);
    if (status != 200)
      throw std::runtime_error("sign-in as " + user + ": HTTP " + std::to_string(status) + " " +
                               body);
    token_ = object(body)->getValue<std::string>("token");
  }
  const std::string& token() const { return token_; }

  // POSTs json to path; returns the answer's object; throws on a non-2xx answer.
  Poco::JSON::Object::Ptr post(const std::string& path, const std::string& json) {
    std::string body;
    const int status = call(session_, "POST", path, token_, json, body);
    if (status / 100 != 2)
      throw std::runtime_error("POST " + path + " " + json + ": HTTP " + std::to_string(status) +
                               " " + body);
    return object(body);
  }

 private:
  static Poco::JSON::Object::Ptr object(const std::string& body) {
    Poco::JSON::Parser p;
    return p.parse(body).extract<Poco::JSON::Object::Ptr>();
  }
  Poco::Net::HTTPClientSession session_;
  std::string token_;
};

// Makes an item with an `events`-event timeline on the demo community of `server`: proposed,
// discussed by all six parties, decided, assigned to wuye with yeweihui, then progress reports
// and urges. Returns its id.
int64_t makeItem(const Poco::URI& server, const std::string& password, int events) {
  std::map<std::string, std::unique_ptr<ApiClient>> as;
  for (const char* u : {"shuji", "gongzuozhan", "juweihui", "gongyi", "wuye", "yeweihui", "ducha"})
    as[u] = std::make_unique<ApiClient>(server, u, password);
  auto item = as.at("gongzuozhan")
                  ->post("/api/v1/items",
                         R"({"title":"http_bench 路灯不亮","description":"幸福路北段，晚上全黑"})");
  const int64_t id = item->getValue<int64_t>("id");
  const std::string ev = "/api/v1/items/" + std::to_string(id) + "/events";
  int n = 1;
  auto fire = [&](const std::string& who, const std::string& json) {
    if (n >= events) return;
    as.at(who)->post(ev, json);
    ++n;
  };
  fire("shuji", R"({"type":"take_up"})");
  for (const char* p : {"shuji", "gongzuozhan", "juweihui", "gongyi", "wuye", "yeweihui"})
    fire(p, R"({"type":"log_position","stance":"support","reason":"尽快修好"})");
  fire("shuji", R"({"type":"resolve","decision":"物业牵头，业委会协助"})");
  fire(
      "shuji",
      R"({"type":"assign","lead":"wuye","co":["yeweihui"],"standard":"全部亮","working_days":10})");
  for (int k = 0; n < events; ++k) {
    if (k % 4 == 3)
      fire("ducha", R"({"type":"urge","note":"请加快进度"})");
    else
      fire("wuye",
           R"({"type":"report_progress","text":"已更换第)" + std::to_string(k + 1) + R"(批灯泡"})");
  }
  return id;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// C clients on held keep-alive connections fetch t for `seconds`; appends to t's results.
void measure(Target& t, int clients, double seconds) {
  std::vector<std::vector<double>> ms(static_cast<size_t>(clients));
  std::atomic<long> failed{0};
  std::vector<std::string> errors(static_cast<size_t>(clients));
  const auto start = SteadyClock::now();
  const auto stop = start + std::chrono::duration_cast<SteadyClock::duration>(
                                std::chrono::duration<double>(seconds));
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
      threads.emplace_back([&, c] {
        Poco::Net::HTTPClientSession s(t.uri.getHost(), t.uri.getPort());
        s.setKeepAlive(true);
        s.setTimeout(Poco::Timespan(30, 0));
        std::string body;
        while (SteadyClock::now() < stop) {
          const auto t0 = SteadyClock::now();
          try {
            const int status = call(s, "GET", t.pathAndQuery, t.token, "", body);
            if (status != 200) throw std::runtime_error("HTTP " + std::to_string(status));
            ms[static_cast<size_t>(c)].push_back(
                std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
          } catch (const std::exception& e) {
            ++failed;
            if (errors[static_cast<size_t>(c)].empty()) errors[static_cast<size_t>(c)] = e.what();
            s.reset();
          }
        }
      });
    for (auto& th : threads) th.join();
  }
  t.seconds += std::chrono::duration<double>(SteadyClock::now() - start).count();
  for (auto& v : ms) t.ms.insert(t.ms.end(), v.begin(), v.end());
  t.failed += failed;
  for (const auto& e : errors)
    if (t.error.empty() && !e.empty()) t.error = e;
}

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "http_bench: " << why << "\n"
            << "usage: http_bench --target NAME=[USER@]URL ... [--clients C] [--seconds S]"
               " [--rounds R] [--password P] [--events N] [--ceiling NAME] [--csv FILE]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") usage("pages per second of running servers");
    if (i + 1 >= argc) usage("missing value for " + a);
    const std::string v = argv[++i];
    try {
      if (a == "--target")
        o.targets.push_back(v);
      else if (a == "--clients")
        o.clients = std::stoi(v);
      else if (a == "--seconds")
        o.seconds = std::stod(v);
      else if (a == "--rounds")
        o.rounds = std::stoi(v);
      else if (a == "--password")
        o.password = v;
      else if (a == "--events")
        o.events = std::stoi(v);
      else if (a == "--ceiling")
        o.ceiling = v;
      else if (a == "--csv")
        o.csv = v;
      else
        usage("unknown option " + a);
    } catch (const std::logic_error&) {
      usage("not a number: " + a + " " + v);
    }
  }
  if (o.targets.empty()) usage("no --target");
  if (o.clients < 1 || o.seconds <= 0 || o.rounds < 1 || o.events < 1) usage("values out of range");
  return o;
}

// "name=[user@]http://host:port/path" -> Target (token and {item} filled in later).
Target parseTarget(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) usage("bad --target " + spec);
  Target t;
  t.name = spec.substr(0, eq);
  std::string rest = spec.substr(eq + 1);
  const auto at = rest.find('@');
  if (at != std::string::npos && rest.rfind("http", 0) != 0) {
    t.user = rest.substr(0, at);
    rest = rest.substr(at + 1);
  }
  // Braces would be percent-encoded by Poco::URI; the marker survives it.
  if (const auto pos = rest.find("{item}"); pos != std::string::npos)
    rest.replace(pos, 6, "__ITEM__");
  try {
    t.uri = Poco::URI(rest);
  } catch (const Poco::Exception& e) {
    usage("bad URL in --target " + spec + ": " + e.displayText());
  }
  if (t.uri.getScheme() != "http") usage("--target URLs must be http://");
  t.pathAndQuery = t.uri.getPathAndQuery().empty() ? "/" : t.uri.getPathAndQuery();
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::vector<Target> targets;
  for (const auto& spec : o.targets) targets.push_back(parseTarget(spec));
  try {
    std::map<std::string, std::string> tokens;  // server + user -> token
    std::map<std::string, int64_t> items;       // server -> bench item
    for (auto& t : targets) {
      const std::string server = base(t.uri);
      if (!t.user.empty()) {
        auto& tok = tokens[server + " " + t.user];
        if (tok.empty()) tok = ApiClient(t.uri, t.user, o.password).token();
        t.token = tok;
      }
      const auto pos = t.pathAndQuery.find("__ITEM__");
      if (pos != std::string::npos) {
        auto it = items.find(server);
        if (it == items.end()) {
          it = items.emplace(server, makeItem(t.uri, o.password, o.events)).first;
          std::printf("%s: item %lld has a %d-event timeline\n", server.c_str(),
                      static_cast<long long>(it->second), o.events);
        }
        t.pathAndQuery.replace(pos, 8, std::to_string(it->second));
      }
    }
  } catch (const std::exception& e) {
    const auto* pe = dynamic_cast<const Poco::Exception*>(&e);
    std::fprintf(stderr, "http_bench: set-up failed: %s\n",
                 pe ? pe->displayText().c_str() : e.what());
    return 1;
  }

  std::printf("http_bench: %d keep-alive clients, %d round(s) of %.1f s per target\n", o.clients,
              o.rounds, o.seconds);
  for (int r = 0; r < o.rounds; ++r)
    for (auto& t : targets) {
      // A short warm-up per round, not counted: connections, caches, thread pool.
      Target warm = t;
      measure(warm, o.clients, std::min(0.3, o.seconds / 5));
      measure(t, o.clients, o.seconds);
    }

  const Target* ceiling = nullptr;
  for (const auto& t : targets)
    if (t.name == o.ceiling) ceiling = &t;
  const double ceilingRps = ceiling && ceiling->seconds > 0
                                ? static_cast<double>(ceiling->ms.size()) / ceiling->seconds
                                : 0;
  std::printf("%-28s %9s %9s %9s %9s %8s%s\n", "target", "req/s", "p50 ms", "p95 ms", "p99 ms",
              "failed", ceiling ? "  ratio" : "");
  std::ofstream csv;
  if (!o.csv.empty()) csv.open(o.csv, std::ios::app);
  long failed = 0;
  for (const auto& t : targets) {
    const double rps = t.seconds > 0 ? static_cast<double>(t.ms.size()) / t.seconds : 0;
    const double p50 = percentile(t.ms, 50), p95 = percentile(t.ms, 95), p99 = percentile(t.ms, 99);
    std::printf("%-28s %9.0f %9.2f %9.2f %9.2f %8ld", t.name.c_str(), rps, p50, p95, p99, t.failed);
    if (ceilingRps > 0) std::printf("  %.2f", rps / ceilingRps);
    std::printf("\n");
    if (csv)
      csv << t.name << "," << o.clients << "," << t.ms.size() << "," << rps << "," << p50 << ","
          << p95 << "," << p99 << "\n";
    failed += t.failed;
    if (!t.error.empty()) std::printf("  %s: first failure: %s\n", t.name.c_str(), t.error.c_str());
  }
  for (const auto& t : targets)
    std::printf("  %s = %s%s%s\n", t.name.c_str(), t.user.empty() ? "" : (t.user + "@").c_str(),
                base(t.uri).c_str(), t.pathAndQuery.c_str());
  return failed == 0 ? 0 : 1;
}
