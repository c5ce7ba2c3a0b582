// The child of tests/unit/crash_test.cpp: applies transitions through Engine::apply on a
// database opened with synchronous=FULL, forever, and after each one the Engine acknowledged
// writes "ack ITEM SEQ\n" straight to stdout (no buffering). The parent kills it with SIGKILL
// at a random moment and checks that every acknowledged transition is in the database.
//
// usage: crash_child DB SEED     (the community "crash" with its parties and users must exist)
#include <Poco/JSON/Array.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "model/Errors.h"
#include "model/Store.h"
#include "workflow/Engine.h"

using namespace liufang;

namespace {

void ack(int64_t item, int64_t seq) {
  char line[64];
  const int n = std::snprintf(line, sizeof line, "ack %lld %lld\n", static_cast<long long>(item),
                              static_cast<long long>(seq));
  // One write() of a short line: atomic on a pipe, so the parent never sees half a line.
  if (::write(STDOUT_FILENO, line, static_cast<size_t>(n)) != n) std::_Exit(4);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: crash_child DB SEED\n");
    return 64;
  }
  spdlog::set_level(spdlog::level::warn);  // the engine logs each event at info on stdout
  try {
    model::StoreOptions opts;
    opts.path = argv[1];
    opts.synchronous = model::Synchronous::Full;
    opts.poolSize = 2;
    auto store = model::openSqliteStore(opts);
    int64_t community = 0;
    for (const auto& c : store->communities())
      if (c.code == "crash") community = c.id;
    if (community == 0) {
      std::fprintf(stderr, "crash_child: no community 'crash' in %s\n", argv[1]);
      return 2;
    }
    workflow::Actor convener, supervisor;
    std::map<std::string, workflow::Actor> reps;
    for (const auto& u : store->users()) {
      if (u.communityId != community && !(u.supervisor && u.communityId == 0)) continue;
      const auto a = workflow::Actor::fromUser(u);
      if (u.convener) convener = a;
      if (u.supervisor) supervisor = a;
      if (u.representative && !u.party.empty()) reps[u.party] = a;
    }
    std::vector<std::string> parties;
    for (const auto& [party, a] : reps) parties.push_back(party);
    if (convener.userId == 0 || supervisor.userId == 0 || parties.size() < 3) {
      std::fprintf(stderr, "crash_child: community 'crash' lacks its users\n");
      return 2;
    }

    model::SystemClock clock;
    workflow::Engine engine(*store, clock);
    std::mt19937 rng(static_cast<unsigned>(std::stoul(argv[2])));
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    std::vector<int64_t> known = store->itemIds();  // items of earlier runs continue

    for (long round = 0; round < 1000000; ++round) {
      if (known.empty() || pick(5) == 0) {
        const auto& who = reps.at(parties[pick(parties.size())]);
        workflow::Command c("propose");
        c.set("title", "崩溃测试议题 " + std::to_string(round))
            .set("description", "随机生成")
            .set("party", who.party);
        const auto item = engine.propose(community, c, who);
        known.push_back(item.id);
        ack(item.id, item.version);
        continue;
      }
      const int64_t id = known[pick(known.size())];
      const auto item = store->findItem(id);
      if (!item) {
        std::fprintf(stderr, "crash_child: item %lld vanished\n", static_cast<long long>(id));
        return 3;
      }
      workflow::Command c;
      const workflow::Actor* who = &convener;
      const std::string top = item->topState();
      const int r = static_cast<int>(pick(10));
      if (top == "proposal") {
        c = workflow::Command("take_up");
      } else if (top == "discussion" && r < 6) {
        who = &reps.at(parties[pick(parties.size())]);
        c = workflow::Command("log_position");
        c.set("stance", r % 2 ? "support" : "supplement")
            .set("reason", "第 " + std::to_string(round) + " 轮");
      } else if (top == "discussion" && r < 8) {
        c = workflow::Command("defer");
        c.set("reason", "下次再议");
      } else if (top == "discussion") {
        c = workflow::Command("resolve");
        c.set("decision", "分工执行");
      } else if (top == "assignment") {
        const std::string lead = parties[pick(parties.size())];
        Poco::JSON::Array::Ptr co = new Poco::JSON::Array;
        for (const auto& p : parties)
          if (p != lead && pick(4) == 0) co->add(p);
        c = workflow::Command("assign");
        c.set("lead", lead).set("co", co).set("standard", "按期完成").set("working_days", 10);
      } else if (top == "deadline" && r < 5) {
        who = &reps.at(item->lead());
        c = workflow::Command("report_progress");
        c.set("text", "进展 " + std::to_string(round));
      } else if (top == "deadline") {
        who = &supervisor;
        c = workflow::Command("urge");
        c.set("note", "催办 " + std::to_string(round));
      } else {
        continue;  // the walk never leaves Deadline
      }
      try {
        const auto after = engine.apply(id, c, *who);
        ack(after.id, after.version);
      } catch (const Error& e) {
        // Not expected (every command above is valid), but not the crash under test either.
        std::fprintf(stderr, "crash_child: item %lld %s refused: %s\n", static_cast<long long>(id),
                     c.type.c_str(), e.english().c_str());
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crash_child: %s\n", e.what());
    return 3;
  }
  return 0;
}
