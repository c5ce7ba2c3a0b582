// engine_bench: durable transitions per second through workflow::Engine::apply, against a
// raw-SQLite ceiling doing the same writes (BEGIN IMMEDIATE; INSERT the event row; UPDATE the
// item; COMMIT) with the same pragmas on a database of the same schema, at synchronous=FULL
// and NORMAL; and the cost of restoring the item machine at a stored state (per command).
// Prints the two rates and their ratio at the end (target: ratio >= 0.5 in both modes).
//
//   bench/engine_bench [--benchmark_filter=...]
//   LIUFANG_BENCH_DIR=/path  puts the database files there (default: the system temp dir);
//   it must be on the disk whose durability you want to measure (not tmpfs).
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Clock.h"
#include "model/Hash.h"
#include "model/Store.h"
#include "workflow/Engine.h"
#include "workflow/ItemEvents.h"
#include "workflow/ItemMachine.h"
#include "workflow/MachineKind.h"

using namespace liufang;

namespace {

// ---- where the databases live

std::filesystem::path benchDir() {
  static const std::filesystem::path dir = [] {
    const char* env = std::getenv("LIUFANG_BENCH_DIR");
    std::filesystem::path base = env && *env ? env : std::filesystem::temp_directory_path();
    std::random_device rd;
    auto d = base / ("liufang-bench-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

const char* modeName(model::Synchronous s) {
  return s == model::Synchronous::Full ? "FULL" : "NORMAL";
}

model::Instant benchNow() {
  return model::parseInstant("2026-11-18T02:00:00.000Z");  // a Wednesday, 10:00 in Shanghai
}

// ---- a database with one item in Deadline, far from its due date, so `urge` always succeeds

struct Seeded {
  std::unique_ptr<model::Store> store;
  int64_t item = 0;
  workflow::Actor supervisor;
};

Seeded seed(const std::string& path, model::Synchronous sync, const model::Clock& clock) {
  model::StoreOptions o;
  o.path = path;
  o.synchronous = sync;
  o.poolSize = 4;
  Seeded s;
  s.store = model::openSqliteStore(o);
  model::Community c;
  c.code = "bench";
  c.name = "基准社区";
  s.store->addCommunity(c);
  int order = 0;
  for (const char* p : {"dangwei", "gongzuozhan", "juweihui", "gongyi", "wuye", "yeweihui"}) {
    model::Party party;
    party.communityId = c.id;
    party.code = p;
    party.name = p;
    party.sortOrder = ++order;
    s.store->addParty(party);
  }
  auto user = [&](const std::string& name, const std::string& party, bool convener, bool sup) {
    model::User u;
    u.username = name;
    u.communityId = sup ? 0 : c.id;
    u.party = party;
    u.convener = convener;
    u.representative = !party.empty();
    u.supervisor = sup;
    s.store->addUser(u);
    return workflow::Actor::fromUser(u);
  };
  const auto convener = user("shuji", "dangwei", true, false);
  const auto proposer = user("juweihui", "juweihui", false, false);
  s.supervisor = user("ducha", "", false, true);

  workflow::Engine engine(*s.store, clock);
  workflow::Command p("propose");
  p.set("title", "电梯维修").set("description", "5 栋电梯频繁停运").set("party", "juweihui");
  s.item = engine.propose(c.id, p, proposer).id;
  engine.apply(s.item, workflow::Command("take_up"), convener);
  workflow::Command r("resolve");
  r.set("decision", "物业牵头维修，业委会监督");
  engine.apply(s.item, r, convener);
  Poco::JSON::Array::Ptr co = new Poco::JSON::Array;
  co->add(std::string("yeweihui"));
  workflow::Command a("assign");
  a.set("lead", "wuye").set("co", co).set("standard", "一个月内更换主板").set("due", "2027-06-30");
  engine.apply(s.item, a, convener);
  return s;
}

// Transitions run on each database before measuring: statements prepared, pages cached, the
// WAL file grown. (fsync latency on a shared disk still swings between ~0.25 ms and ~4 ms from
// one minute to the next, which is why the ratio comes from BM_EngineVsCeiling.)
constexpr int kWarmUp = 200;

// What each durable benchmark measured in its final run, for the summary.
std::map<std::string, double> g_rate;  // "engine FULL" -> transitions per second
double g_restoreMicros = 0;

void recordRate(const std::string& key, int64_t n, std::chrono::steady_clock::duration d) {
  const double secs = std::chrono::duration<double>(d).count();
  if (secs > 0) g_rate[key] = static_cast<double>(n) / secs;
}

// ---- Engine::apply

struct EngineRig {
  model::ManualClock clock{benchNow()};
  Seeded s;
  std::unique_ptr<workflow::Engine> engine;
  explicit EngineRig(model::Synchronous sync) {
    s = seed((benchDir() / (std::string("engine-") + modeName(sync) + ".db")).string(), sync,
             clock);
    engine = std::make_unique<workflow::Engine>(*s.store, clock);
    workflow::Command urge("urge");
    urge.set("note", "预热");
    for (int i = 0; i < kWarmUp; ++i) engine->apply(s.item, urge, s.supervisor);
  }
};

EngineRig& engineRig(model::Synchronous sync) {
  static std::map<model::Synchronous, std::unique_ptr<EngineRig>> rigs;
  auto& r = rigs[sync];
  if (!r) r = std::make_unique<EngineRig>(sync);
  return *r;
}

void BM_EngineApply(benchmark::State& state) {
  const auto sync = static_cast<model::Synchronous>(state.range(0));
  auto& rig = engineRig(sync);
  workflow::Command urge("urge");
  urge.set("note", "请尽快完成维修，居民反映强烈");
  for (auto _ : state) {
    auto item = rig.engine->apply(rig.s.item, urge, rig.s.supervisor);
    benchmark::DoNotOptimize(item.version);
  }
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.SetLabel(modeName(sync));
}

// ---- the raw-SQLite ceiling: the same two writes, prepared once, sqlite3 C API

void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "raw sqlite: %s: %s\n", what, sqlite3_errmsg(db));
    std::abort();
  }
}

// The items columns the Engine writes (model/migrations/001_init.sql), in one order.
const char* kItemColumns[] = {"community_id",     "title",      "description",  "proposer_party",
                              "proposer_user",    "state",      "outcome",      "response",
                              "decision",         "standard",   "due",          "extension_due",
                              "extension_reason", "result",     "rating",       "rating_comment",
                              "urge_count",       "escalated",  "rework_count", "meeting_id",
                              "merged_into",      "created_at", "updated_at",   "assigned_at",
                              "submitted_at",     "closed_at",  "version",      "last_hash"};

struct RawRig {
  sqlite3* db = nullptr;
  sqlite3_stmt *begin = nullptr, *insert = nullptr, *update = nullptr, *commit = nullptr;
  model::Item item;  // the projection as the engine left it; the ceiling keeps it current
  std::string at, payload = R"({"note":"请尽快完成维修，居民反映强烈"})";
  std::string hash = model::sha256Hex("raw ceiling");

  explicit RawRig(model::Synchronous sync) {
    const std::string path = (benchDir() / (std::string("raw-") + modeName(sync) + ".db")).string();
    model::ManualClock clock(benchNow());
    {
      Seeded s = seed(path, sync, clock);  // same schema, same item, made by the engine
      item = *s.store->findItem(s.item);
    }
    at = model::formatInstant(benchNow());
    check(db, sqlite3_open(path.c_str(), &db), "open");
    const std::vector<std::string> pragmas = {
        "PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000",
        std::string("PRAGMA synchronous = ") + modeName(sync)};
    for (const auto& pragma : pragmas)
      check(db, sqlite3_exec(db, pragma.c_str(), nullptr, nullptr, nullptr), pragma.c_str());
    std::string set;
    for (const char* c : kItemColumns) set += std::string(set.empty() ? "" : ", ") + c + " = ?";
    prepare(&begin, "BEGIN IMMEDIATE");
    prepare(&insert,
            "INSERT INTO stream_events (kind, stream_id, seq, at, actor_user, actor_party, type, "
            "payload, from_state, to_state, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    prepare(&update, "UPDATE items SET " + set + " WHERE id = ? AND version = ?");
    prepare(&commit, "COMMIT");
    for (int i = 0; i < kWarmUp; ++i) transition();
  }
  ~RawRig() {
    for (auto* s : {begin, insert, update, commit}) sqlite3_finalize(s);
    sqlite3_close(db);
  }
  void prepare(sqlite3_stmt** s, const std::string& sql) {
    check(db, sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, s, nullptr),
          sql.c_str());
  }
  void run(sqlite3_stmt* s) {
    check(db, sqlite3_step(s), sqlite3_sql(s));
    sqlite3_reset(s);
  }
  void text(sqlite3_stmt* s, int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }

  // One transition: the same rows and columns Engine::apply writes for an `urge`.
  void transition() {
    const int64_t old = item.version;
    item.version = old + 1;
    item.urgeCount += 1;
    item.updatedAt = at;
    item.lastHash = hash;
    run(begin);
    int i = 1;
    static const std::string kind = "item";
    text(insert, i++, kind);
    sqlite3_bind_int64(insert, i++, item.id);
    sqlite3_bind_int64(insert, i++, item.version);
    text(insert, i++, at);
    sqlite3_bind_int64(insert, i++, 3);
    static const std::string noParty;
    text(insert, i++, noParty);
    static const std::string type = "urge", state = "deadline.on_track";
    text(insert, i++, type);
    text(insert, i++, payload);
    text(insert, i++, state);
    text(insert, i++, state);
    text(insert, i++, hash);
    text(insert, i++, hash);
    run(insert);
    i = 1;
    const auto& t = item;
    sqlite3_bind_int64(update, i++, t.communityId);
    for (const std::string* v : {&t.title, &t.description, &t.proposerParty}) text(update, i++, *v);
    sqlite3_bind_int64(update, i++, t.proposerUser);
    for (const std::string* v :
         {&t.state, &t.outcome, &t.response, &t.decision, &t.standard, &t.due, &t.extensionDue,
          &t.extensionReason, &t.result, &t.rating, &t.ratingComment})
      text(update, i++, *v);
    for (int64_t v : {int64_t{t.urgeCount}, int64_t{t.escalated}, int64_t{t.reworkCount},
                      t.meetingId, t.mergedInto})
      sqlite3_bind_int64(update, i++, v);
    for (const std::string* v :
         {&t.createdAt, &t.updatedAt, &t.assignedAt, &t.submittedAt, &t.closedAt})
      text(update, i++, *v);
    sqlite3_bind_int64(update, i++, t.version);
    text(update, i++, t.lastHash);
    sqlite3_bind_int64(update, i++, t.id);
    sqlite3_bind_int64(update, i++, old);
    run(update);
    if (sqlite3_changes(db) != 1) check(db, SQLITE_ERROR, "update matched no row");
    run(commit);
  }
};

RawRig& rawRig(model::Synchronous sync) {
  static std::map<model::Synchronous, std::unique_ptr<RawRig>> rigs;
  auto& r = rigs[sync];
  if (!r) r = std::make_unique<RawRig>(sync);
  return *r;
}

void BM_RawSqliteCeiling(benchmark::State& state) {
  const auto sync = static_cast<model::Synchronous>(state.range(0));
  auto& rig = rawRig(sync);
  for (auto _ : state) rig.transition();
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.SetLabel(modeName(sync));
}

// The figure the summary quotes: engine and ceiling alternate transition by transition (the
// order flipping each time), each timed on its own, so both see the same disk and the same
// neighbours. fsync latency on a shared machine drifts by 10x within seconds; back-to-back
// runs of the two would compare different weather.
void BM_EngineVsCeiling(benchmark::State& state) {
  const auto sync = static_cast<model::Synchronous>(state.range(0));
  auto& engine = engineRig(sync);
  auto& raw = rawRig(sync);
  workflow::Command urge("urge");
  urge.set("note", "请尽快完成维修，居民反映强烈");
  using Clock = std::chrono::steady_clock;
  Clock::duration inEngine{}, inRaw{};
  bool engineFirst = true;
  for (auto _ : state) {
    for (int k = 0; k < 2; ++k) {
      const auto t0 = Clock::now();
      if (engineFirst == (k == 0))
        benchmark::DoNotOptimize(engine.engine->apply(engine.s.item, urge, engine.s.supervisor));
      else
        raw.transition();
      (engineFirst == (k == 0) ? inEngine : inRaw) += Clock::now() - t0;
    }
    engineFirst = !engineFirst;
  }
  const auto n = state.iterations();
  recordRate(std::string("engine ") + modeName(sync), n, inEngine);
  recordRate(std::string("raw ") + modeName(sync), n, inRaw);
  auto us = [&](Clock::duration d) {
    return n ? std::chrono::duration<double, std::micro>(d).count() / static_cast<double>(n) : 0;
  };
  state.counters["engine_us"] = us(inEngine);
  state.counters["raw_us"] = us(inRaw);
  state.counters["ratio"] = us(inEngine) > 0 ? us(inRaw) / us(inEngine) : 0;
  state.SetLabel(modeName(sync));
}

// ---- restore: what apply() pays instead of a replay

model::Item deadlineItem() {
  model::Item it;
  it.id = 42;
  it.communityId = 1;
  it.title = "电梯维修";
  it.proposerParty = "juweihui";
  it.state = "deadline.due_soon";
  it.handlers = {{"wuye", true, false}, {"yeweihui", false, false}};
  it.positions = {{"wuye", "support", "同意", "2026-11-01T02:00:00.000Z", 5}};
  it.due = "2026-11-20";
  it.version = 9;
  return it;
}

void BM_Restore(benchmark::State& state) {
  model::Item item = deadlineItem();
  const auto& cal = model::HolidayCalendar::china();
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    workflow::ItemMachine m(item, cal);
    m.restore();
    benchmark::DoNotOptimize(&m);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (state.iterations() > 0)
    g_restoreMicros = secs * 1e6 / static_cast<double>(state.iterations());
}

// Restore plus one in-state step (the machine's whole share of an apply()).
void BM_RestoreAndStep(benchmark::State& state) {
  model::Item base = deadlineItem();
  const auto& cal = model::HolidayCalendar::china();
  Poco::JSON::Object payload;
  payload.set("note", "请尽快");
  const workflow::StepInput in{"urge", "2026-11-18T02:00:00.000Z",
                               *model::Date::parse("2026-11-18"), "", 3};
  for (auto _ : state) {
    model::Item item = base;
    workflow::ItemMachine m(item, cal);
    m.restore();
    m.step(in, *workflow::findItemEvent("urge")->decode(workflow::Payload(payload)));
    benchmark::DoNotOptimize(m.lastStep.refused);
  }
}

// ---- the parts of apply() that are not SQL, to show where the engine's time goes

void BM_PartNormalizeAndCanonicalJson(benchmark::State& state) {
  Poco::JSON::Object fields;
  fields.set("note", "请尽快完成维修，居民反映强烈");
  for (auto _ : state) {
    auto p = workflow::validateFields(*workflow::findItemEvent("urge"), fields);
    benchmark::DoNotOptimize(workflow::canonicalJson(*p));
  }
}

void BM_PartEventHash(benchmark::State& state) {
  model::EventRecord e;
  e.streamId = 42;
  e.seq = 10;
  e.at = "2026-11-18T02:00:00.000Z";
  e.actorUser = 3;
  e.type = "urge";
  e.payload = R"({"note":"请尽快完成维修，居民反映强烈"})";
  e.fromState = e.toState = "deadline.on_track";
  e.prevHash = model::sha256Hex("prev");
  for (auto _ : state) benchmark::DoNotOptimize(model::eventHash(e));
}

// BEGIN IMMEDIATE + loadItem (item, handlers, positions) + ROLLBACK, through the Store.
void BM_PartLoadItemInWriteTx(benchmark::State& state) {
  auto& rig = engineRig(model::Synchronous::Normal);
  for (auto _ : state) {
    auto tx = rig.s.store->beginWrite();
    benchmark::DoNotOptimize(tx->loadItem(rig.s.item));
  }
}

// The Poco::Data reads apply() makes outside the write statements (community offset).
void BM_PartFindCommunity(benchmark::State& state) {
  auto& rig = engineRig(model::Synchronous::Normal);
  for (auto _ : state) benchmark::DoNotOptimize(rig.s.store->findCommunity(1));
}

constexpr int64_t kFull = static_cast<int64_t>(model::Synchronous::Full);
constexpr int64_t kNormal = static_cast<int64_t>(model::Synchronous::Normal);

// Durable transitions, each side alone (rates in the table) ...
BENCHMARK(BM_EngineApply)->Arg(kFull)->Arg(kNormal)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RawSqliteCeiling)
    ->Arg(kFull)
    ->Arg(kNormal)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
// ... and alternating, for the ratio the summary prints.
BENCHMARK(BM_EngineVsCeiling)
    ->Arg(kFull)
    ->Arg(kNormal)
    ->UseRealTime()
    ->MinTime(3.0)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Restore)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RestoreAndStep)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PartNormalizeAndCanonicalJson)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PartEventHash)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PartLoadItemInWriteTx)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PartFindCommunity)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);  // apply() logs every event at info
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::fprintf(stderr, "databases in %s\n", benchDir().c_str());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  auto rate = [](const std::string& k) {
    auto it = g_rate.find(k);
    return it == g_rate.end() ? 0.0 : it->second;
  };
  std::printf("\n");
  std::string ratios;
  for (const char* mode : {"FULL", "NORMAL"}) {
    const double e = rate(std::string("engine ") + mode), r = rate(std::string("raw ") + mode);
    if (e == 0 || r == 0) continue;
    std::printf("synchronous=%-6s engine %8.0f transitions/s   raw ceiling %8.0f /s   ratio %.2f\n",
                mode, e, r, e / r);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%s: %.2f", ratios.empty() ? "" : "  ", mode, e / r);
    ratios += buf;
  }
  if (!ratios.empty()) std::printf("ratio %s (target >= 0.8)\n", ratios.c_str());
  if (g_restoreMicros > 0)
    std::printf("restore: %.2f us per command (ItemMachine + restore())\n", g_restoreMicros);

  std::error_code ec;
  std::filesystem::remove_all(benchDir(), ec);
  return 0;
}
