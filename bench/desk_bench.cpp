// desk_bench: the supervision desk's response time as the database grows.
//
// For each size (default 1k, 10k, 100k, 1M items) it makes a database: `init --demo`'s content
// (workflow::createDemo), 19 more communities with six parties each, then N items filled in
// one INSERT ... SELECT straight into SQLite (the fast path of scripts/fill-items.sql, widened
// to every field the scoreboard reads: states, outcomes, responses, dates, urges, returns,
// ratings, lead parties), spread over 20 communities and ten years (2016-11 .. 2026-11), so
// the default period (the last 365 days) holds a tenth of them. No event rows: the desk never
// reads the log. Then it starts the real server (web::WebServer on a loopback port) and, as
// the district supervisor with a Bearer token, times over HTTP:
//   desk      GET /supervision                      every community, default period
//   desk-1c   GET /supervision?community=taoyuanju   one community
//   api       GET /api/v1/scoreboard                 every community (same figures as JSON)
// and, without HTTP, the read module alone:
//   module    workflow::loadScoreboard              every community
// printing the median and p95 of --rounds requests each (after two warm-ups), and the growth
// ratio p95(N) / p95(N/10): below 10 is sub-linear. Target: p95 < 100 ms at 1M.
//
//   build/bench/desk_bench [--sizes 1000,10000,100000,1000000] [--rounds 30] [--keep DIR]
//                          [--no-indexes]
// --keep reuses databases filled earlier in DIR (a 1M fill takes a while); --no-indexes drops
// the desk's period indexes (migration 007) to show what they are for.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "model/Store.h"
#include "web/Config.h"
#include "web/WebServer.h"
#include "workflow/Demo.h"
#include "workflow/Scoreboard.h"

namespace fs = std::filesystem;
using namespace liufang;

namespace {

const char* kFill = R"SQL(
CREATE TEMP TABLE bench_communities AS
  SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS n FROM communities;
CREATE TEMP TABLE bench_parties AS
  SELECT community_id, code, ROW_NUMBER() OVER (PARTITION BY community_id ORDER BY sort_order, id) - 1 AS n
  FROM parties;
CREATE TEMP TABLE bench_first AS SELECT COALESCE(MAX(id), 0) + 1 AS id FROM items;
WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k + 1 < :n),
  base AS (
    SELECT k,
           (SELECT id FROM bench_communities WHERE n = k % 20) AS community,
           k % 100 AS mix,
           strftime('%Y-%m-%dT%H:%M:%fZ', '2016-11-22', '+' || (k * 315360000 / :n) || ' seconds') AS created
    FROM k)
INSERT INTO items (community_id, title, description, proposer_party, state, outcome, response,
                   decision, standard, due, result, rating, urge_count, rework_count,
                   created_at, updated_at, assigned_at, submitted_at, closed_at, version, last_hash)
SELECT community,
       '议题 #' || k || ' 路灯、绿化与停车',
       '第 ' || k || ' 号议题的说明。',
       (SELECT code FROM bench_parties p WHERE p.community_id = community AND p.n = k % 6),
       CASE WHEN mix < 60 THEN 'closed' WHEN mix < 68 THEN 'proposal'
            WHEN mix < 72 THEN 'discussion' WHEN mix < 75 THEN 'assignment'
            WHEN mix < 80 THEN 'deadline.on_track' WHEN mix < 84 THEN 'deadline.due_soon'
            WHEN mix < 92 THEN 'deadline.overdue' ELSE 'followup' END,
       CASE WHEN mix < 50 THEN 'resolved' WHEN mix < 60 THEN 'not_adopted' ELSE '' END,
       CASE WHEN mix < 60 THEN '已答复：第 ' || k || ' 号' ELSE '' END,
       CASE WHEN mix < 50 OR mix >= 72 THEN '集中决议' ELSE '' END,
       CASE WHEN mix < 50 OR mix >= 75 THEN '按标准办结' ELSE '' END,
       CASE WHEN mix < 50 OR mix >= 75 THEN date(created, '+15 days') ELSE '' END,
       CASE WHEN mix < 50 OR mix >= 92 THEN '已办结' ELSE '' END,
       CASE WHEN mix < 50 THEN (CASE k % 4 WHEN 0 THEN 'satisfied' WHEN 1 THEN 'basically_satisfied'
                                          WHEN 2 THEN 'dissatisfied' ELSE '' END) ELSE '' END,
       CASE WHEN k % 5 = 0 AND (mix < 50 OR mix >= 75) THEN k % 3 ELSE 0 END,
       CASE WHEN k % 10 = 0 AND (mix < 50 OR mix >= 92) THEN 1 ELSE 0 END,
       created, created,
       CASE WHEN mix < 50 OR mix >= 75 THEN strftime('%Y-%m-%dT%H:%M:%fZ', created, '+3 days') ELSE '' END,
       CASE WHEN mix < 50 OR mix >= 92 THEN strftime('%Y-%m-%dT%H:%M:%fZ', created, '+' || (5 + k % 20) || ' days') ELSE '' END,
       CASE WHEN mix < 60 THEN strftime('%Y-%m-%dT%H:%M:%fZ', created, '+' || (6 + k % 20) || ' days') ELSE '' END,
       1, ''
FROM base;
INSERT INTO item_handlers (item_id, party, is_lead, done, ord)
SELECT i.id, (SELECT code FROM bench_parties p WHERE p.community_id = i.community_id AND p.n = i.id % 6), 1, 0, 0
FROM items i WHERE i.id >= (SELECT id FROM bench_first) AND i.assigned_at <> '';
INSERT INTO item_handlers (item_id, party, is_lead, done, ord)
SELECT i.id, (SELECT code FROM bench_parties p WHERE p.community_id = i.community_id AND p.n = (i.id + 1) % 6), 0, 1, 1
FROM items i WHERE i.id >= (SELECT id FROM bench_first) AND i.assigned_at <> '' AND i.id % 2 = 0;
)SQL";

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK) {
    std::cerr << "desk_bench: " << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

void fill(const std::string& path, long n) {
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", nullptr, nullptr, nullptr), db, "begin");
  // :n is bound by text replacement: the shell's .parameter is not available through the API.
  std::string sql = kFill;
  for (size_t p; (p = sql.find(":n")) != std::string::npos;) sql.replace(p, 2, std::to_string(n));
  check(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), db, "fill");
  check(sqlite3_exec(db, "COMMIT; ANALYZE", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_close(db);
}

// Puts back migration 007's indexes on a kept database a --no-indexes run dropped them from
// (the store applied the migration when it made the file; IF NOT EXISTS makes this a no-op).
void applyPendingIndexes(const std::string& path) {
  const std::string file =
      std::string(LIUFANG_SOURCE_DIR) + "/model/migrations/007_desk_indexes.sql";
  std::ifstream in(file);
  if (!in) return;
  std::stringstream sql;
  sql << in.rdbuf();
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db), db, "open");
  check(sqlite3_exec(db, sql.str().c_str(), nullptr, nullptr, nullptr), db, "indexes");
  check(sqlite3_exec(db, "ANALYZE", nullptr, nullptr, nullptr), db, "analyze");
  sqlite3_close(db);
}

void dropDeskIndexes(const std::string& path) {
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db), db, "open");
  check(sqlite3_exec(db,
                     "DROP INDEX IF EXISTS items_by_community_created;"
                     "DROP INDEX IF EXISTS items_by_created; ANALYZE",
                     nullptr, nullptr, nullptr),
        db, "drop indexes");
  sqlite3_close(db);
}

long itemCount(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  long n = -1;
  if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM items", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = static_cast<long>(sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

std::string httpGet(uint16_t port, const std::string& path, const std::string& token, int* status) {
  Poco::Net::HTTPClientSession s("127.0.0.1", port);
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path,
                             Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) req.set("Authorization", "Bearer " + token);
  s.sendRequest(req);
  Poco::Net::HTTPResponse res;
  std::string body;
  Poco::StreamCopier::copyToString(s.receiveResponse(res), body);
  *status = res.getStatus();
  return body;
}

std::string tokenOf(uint16_t port) {
  Poco::Net::HTTPClientSession s("127.0.0.1", port);
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, "/api/v1/session",
                             Poco::Net::HTTPMessage::HTTP_1_1);
  const std::string body = R"({"username":"ducha","password":"taoyuanju-2026"})";
  req.setContentType("application/json");
  req.setContentLength(static_cast<std::streamsize>(body.size()));
  s.sendRequest(req) << body;
  Poco::Net::HTTPResponse res;
  std::string out;
  Poco::StreamCopier::copyToString(s.receiveResponse(res), out);
  const auto at = out.find("\"token\":\"");
  if (at == std::string::npos) {
    std::cerr << "desk_bench: sign-in failed: " << out << "\n";
    std::exit(1);
  }
  return out.substr(at + 9, out.find('"', at + 9) - at - 9);
}

struct Stats {
  double median = 0, p95 = 0;
};

Stats timeIt(int rounds, const std::function<void()>& f) {
  f();
  f();
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  Stats s;
  s.median = ms[ms.size() / 2];
  s.p95 = ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.95))];
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<long> sizes = {1000, 10000, 100000, 1000000};
  int rounds = 30;
  std::string keep;
  bool noIndexes = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sizes" && i + 1 < argc) {
      sizes.clear();
      std::stringstream ss(argv[++i]);
      for (std::string s; std::getline(ss, s, ',');) sizes.push_back(std::stol(s));
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::stoi(argv[++i]));
    } else if (a == "--no-indexes") {
      noIndexes = true;  // measure without migration 007's indexes (why they exist)
    } else if (a == "--keep" && i + 1 < argc) {
      keep = argv[++i];
    } else {
      std::cerr << "usage: desk_bench [--sizes 1000,10000,...] [--rounds N] [--keep DIR]"
                   " [--no-indexes]\n";
      return 64;
    }
  }
  spdlog::set_level(spdlog::level::warn);
  const fs::path dir = keep.empty() ? fs::temp_directory_path() /
                                          ("liufang-desk-bench-" + std::to_string(::getpid()))
                                    : fs::path(keep);
  fs::create_directories(dir);
  // The demo's "now": the fill's ten years end here, and the default period is the year to it.
  const model::Instant now = model::parseInstant("2026-11-22T02:00:00.000Z");
  const char* names[] = {"desk", "desk-1c", "api", "module"};
  std::vector<std::vector<Stats>> all;
  for (long n : sizes) {
    const std::string path = (dir / ("desk-" + std::to_string(n) + ".db")).string();
    const auto fillStart = std::chrono::steady_clock::now();
    bool filled = false;
    if (keep.empty() || !fs::exists(path) || itemCount(path) < n) {
      for (const char* ext : {"", "-wal", "-shm"}) fs::remove(path + ext);
      {
        model::StoreOptions so;
        so.path = path;
        so.synchronous = model::Synchronous::Normal;
        auto store = model::openSqliteStore(so);
        workflow::createDemo(*store, now);
        for (int c = 2; c <= 20; ++c) {
          model::Community cm;
          cm.code = "c" + std::to_string(c);
          cm.name = "第" + std::to_string(c) + "社区";
          store->addCommunity(cm);
          int order = 0;
          for (const char* p : {"dangwei", "gongzuozhan", "juweihui", "gongyi", "wuye", "yeweihui"}) {
            model::Party party;
            party.communityId = cm.id;
            party.code = p;
            party.name = std::string(p) + "方";
            party.sortOrder = ++order;
            store->addParty(party);
          }
        }
      }
      fill(path, n);
      filled = true;
    }
    if (noIndexes)
      dropDeskIndexes(path);
    else
      applyPendingIndexes(path);
    const double fillSecs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - fillStart).count();

    model::StoreOptions so;
    so.path = path;
    so.synchronous = model::Synchronous::Normal;
    auto store = model::openSqliteStore(so);
    // The fill wrote items straight into SQLite, past the write transaction that keeps the
    // desk's running totals: build them once from the items (as `serve` does at start-up).
    const auto totalsStart = std::chrono::steady_clock::now();
    store->prepareScores(model::HolidayCalendar::china());
    const double totalsSecs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - totalsStart).count();
    model::ManualClock clock(now);
    web::ServerConfig cfg;
    cfg.bind = "127.0.0.1";
    cfg.port = 0;
    cfg.dbPath = path;
    cfg.sweepIntervalSeconds = 3600;
    web::WebServer server(cfg, *store, clock);
    server.start();
    const uint16_t port = server.port();
    const std::string token = tokenOf(port);
    auto page = [&](const std::string& p) {
      return [&, p] {
        int status = 0;
        httpGet(port, p, token, &status);
        if (status != 200) {
          std::cerr << "desk_bench: " << p << " answered " << status << "\n";
          std::exit(1);
        }
      };
    };
    const auto user = store->findUserByName("ducha");
    workflow::ScorePeriod period = workflow::defaultPeriod(model::localDate(now, 480));
    std::vector<Stats> row;
    row.push_back(timeIt(rounds, page("/supervision")));
    row.push_back(timeIt(rounds, page("/supervision?community=taoyuanju")));
    row.push_back(timeIt(rounds, page("/api/v1/scoreboard")));
    row.push_back(timeIt(rounds, [&] {
      workflow::loadScoreboard(*store, model::HolidayCalendar::china(), *user, period);
    }));
    server.stop();
    const auto b = workflow::loadScoreboard(*store, model::HolidayCalendar::china(), *user, period);
    std::printf("filled %ld items in %.1f s%s, running totals built in %.1f s; %ld raised in the"
                " period\n",
                n, fillSecs, filled ? "" : " (kept)", totalsSecs, static_cast<long>(b.total.raised));
    std::fflush(stdout);
    all.push_back(row);
  }
  std::printf("\n%-9s", "items");
  for (const char* name : names) std::printf(" | %-8s p50 / p95 ms     ", name);
  std::printf("\n");
  for (size_t s = 0; s < sizes.size(); ++s) {
    std::printf("%-9ld", sizes[s]);
    for (size_t k = 0; k < all[s].size(); ++k)
      std::printf(" | %8.1f / %8.1f          ", all[s][k].median, all[s][k].p95);
    std::printf("\n");
  }
  std::printf("\ngrowth of p95 per 10x items (sub-linear below 10.0):\n");
  for (size_t s = 1; s < sizes.size(); ++s) {
    std::printf("%ld -> %ld:", sizes[s - 1], sizes[s]);
    for (size_t k = 0; k < all[s].size(); ++k)
      std::printf("  %s %.2fx", names[k], all[s][k].p95 / std::max(0.001, all[s - 1][k].p95));
    std::printf("\n");
  }
  const auto& last = all.back();
  std::printf("\nceiling: p95 < 100 ms at %ld items:", sizes.back());
  for (size_t k = 0; k < last.size(); ++k)
    std::printf("  %s %.2f of it", names[k], last[k].p95 / 100.0);
  std::printf("\n");
  if (keep.empty()) fs::remove_all(dir);
  return 0;
}
