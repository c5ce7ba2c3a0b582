// sweep_bench: the deadline sweep's cost on a large database, when few items change light and
// when many do, against the floor of any sweep that looks at every item in Deadline (one read
// of their id, state and due date — what the paging sweep it replaced did at least).
//
//   bench/sweep_bench [ITEMS]      (default 100000)
//   LIUFANG_BENCH_DIR=/path puts the database there (default: the system temp dir).
//
// Filling is a fast path: projections INSERTed with raw SQL in one transaction, no events
// (the sweep's ticks start each item's chain; nothing here verifies).
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "model/Store.h"
#include "workflow/Engine.h"

using namespace liufang;

namespace {

double msSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

model::Instant shanghaiMorning(const model::Date& d) {
  return model::Instant(std::chrono::seconds(d.dayNumber() * 86400 + 3600));  // 09:00 +08
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  const char* env = std::getenv("LIUFANG_BENCH_DIR");
  const auto dir = std::filesystem::path(env && *env ? env : "/tmp") /
                   ("liufang-sweep-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "sweep.db").string();

  model::StoreOptions so;
  so.path = path;
  so.synchronous = model::Synchronous::Normal;
  auto store = model::openSqliteStore(so);
  model::Community c;
  c.code = "bench";
  c.name = "bench";
  const int64_t cid = store->addCommunity(c);

  const auto& cal = model::HolidayCalendar::china();
  const model::Date start = *model::Date::parse("2026-11-16");  // a Monday
  {
    const auto t = std::chrono::steady_clock::now();
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO items (community_id, title, state, due, standard, "
                       "assigned_at, version) VALUES (?, 'bench', ?, ?, 'x', "
                       "'2026-11-01T00:00:00.000Z', 4)",
                       -1, &st, nullptr);
    std::mt19937 rng(42);
    for (int i = 0; i < n; ++i) {
      // Due dates spread over 300 days from the start: each day ~0.7% of items cross a light.
      const model::Date due = start.plusDays(static_cast<int>(rng() % 300));
      const std::string light = "deadline." + std::string(due < start ? "overdue" : "on_track");
      const std::string dueText = due.str();
      sqlite3_bind_int64(st, 1, cid);
      sqlite3_bind_text(st, 2, light.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 3, dueText.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_step(st);
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    std::printf("sweep_bench: %d items in Deadline, filled in %.0f ms (raw INSERT of projections)\n",
                n, msSince(t));
  }

  model::ManualClock clock(shanghaiMorning(start));
  workflow::Engine engine(*store, clock);
  auto sweep = [&](const char* what) {
    const auto t = std::chrono::steady_clock::now();
    const int moved = engine.sweep();
    const double ms = msSince(t);
    std::printf("  %-40s %8d changed %10.3f ms\n", what, moved, ms);
    return ms;
  };
  std::printf("  %-40s %8s         %10s\n", "sweep", "items", "time");
  sweep("first (items due within 2 days turn)");
  const double idle = sweep("again at the same instant (idle)");
  clock.set(shanghaiMorning(cal.addWorkingDays(start, 1)));
  sweep("next working day (few change)");
  const double idle2 = sweep("again (idle)");
  clock.set(shanghaiMorning(start.plusDays(150)));
  sweep("150 days later (many change)");

  // The floor of a sweep that reads every Deadline row (the replaced paging sweep read these
  // and more: whole rows with handlers, 500 at a time).
  double floor = 0;
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    const auto t = std::chrono::steady_clock::now();
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT id, state, due FROM items WHERE top_state = 'deadline'", -1,
                       &st, nullptr);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) ++rows;
    sqlite3_finalize(st);
    floor = msSince(t);
    sqlite3_close(db);
    std::printf("  %-40s %8d rows    %10.1f ms\n", "ceiling: read every Deadline row", rows, floor);
  }
  const double idleBest = std::min(idle, idle2);
  std::printf("idle sweep / full read = %.4f (must stay far below 1: cost follows the changes)\n",
              floor > 0 ? idleBest / floor : 0.0);
  store.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
