// Power-cut durability, approximated by SIGKILL: a child process (tests/tools/crash_child.cpp)
// applies transitions through Engine::apply with synchronous=FULL and reports each one the
// Engine acknowledged; the parent kills it at a random moment, 20 times on the same database.
// After each kill the database opens, verifyStore() passes, and every acknowledged
// (item, seq) is in the item's log.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "EngineTestKit.h"
#include "model/Store.h"
#include "workflow/Verify.h"

extern char** environ;

using namespace liufang;

namespace {

constexpr int kKills = 20;

struct Child {
  pid_t pid = 0;
  int out = -1;  // read end of its stdout
};

Child spawnChild(const std::string& db, int seed, const std::string& errFile) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errFile.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const std::string seedText = std::to_string(seed);
  char* argv[] = {const_cast<char*>(LIUFANG_CRASH_CHILD), const_cast<char*>(db.c_str()),
                  const_cast<char*>(seedText.c_str()), nullptr};
  Child c;
  const int rc = posix_spawn(&c.pid, LIUFANG_CRASH_CHILD, &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return {};
  }
  c.out = fds[0];
  return c;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(Crash, EveryAcknowledgedTransitionSurvivesSigkill) {
  spdlog::set_level(spdlog::level::warn);
  testkit::TempDir dir("crash");
  const std::string db = dir.file("crash.db");
  {
    auto store = model::openSqliteStore(testkit::testStoreOptions(db, model::Synchronous::Full));
    testkit::TestCommunity::create(*store, "crash");
  }

  std::mt19937 rng(20261121);
  std::map<int64_t, int64_t> acked;  // item -> highest acknowledged seq, over all runs
  int totalAcks = 0;
  for (int run = 0; run < kKills; ++run) {
    SCOPED_TRACE("run " + std::to_string(run + 1));
    const std::string errFile = dir.file("child-" + std::to_string(run) + ".err");
    Child child = spawnChild(db, run + 1, errFile);
    ASSERT_GT(child.pid, 0) << "cannot start " << LIUFANG_CRASH_CHILD;

    const auto killAt = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(50 + static_cast<int>(rng() % 351));
    std::string pending;
    int runAcks = 0;
    bool eof = false, killed = false;
    auto consume = [&](const char* data, size_t n) {
      pending.append(data, n);
      for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
        std::istringstream line(pending.substr(0, nl));
        pending.erase(0, nl + 1);
        std::string word;
        long long item = 0, seq = 0;
        if (line >> word >> item >> seq && word == "ack") {
          acked[item] = std::max<int64_t>(acked[item], seq);
          ++runAcks;
        } else {
          ADD_FAILURE() << "unexpected line from the child: " << line.str();
        }
      }
    };
    // Read acknowledgements until the kill moment, kill, then drain what the child wrote.
    while (!eof) {
      int timeout = -1;
      if (!killed) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            killAt - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
          kill(child.pid, SIGKILL);
          killed = true;
        } else {
          timeout = static_cast<int>(left.count());
        }
      }
      pollfd p{child.out, POLLIN, 0};
      if (poll(&p, 1, timeout) <= 0) continue;
      char buf[4096];
      const ssize_t n = read(child.out, buf, sizeof buf);
      if (n <= 0)
        eof = true;
      else
        consume(buf, static_cast<size_t>(n));
    }
    close(child.out);
    int status = 0;
    waitpid(child.pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child ended on its own (status " << status << "): " << slurp(errFile);
    EXPECT_TRUE(pending.empty()) << "half a line: " << pending;
    EXPECT_EQ(slurp(errFile), "") << "the child reported a problem";
    totalAcks += runAcks;

    auto store = model::openSqliteStore(testkit::testStoreOptions(db, model::Synchronous::Full));
    const auto report = workflow::verifyStore(*store, model::HolidayCalendar::china());
    ASSERT_TRUE(report.ok) << "after kill " << run + 1 << ": item " << report.badItem << " seq "
                           << report.badSeq << ": " << report.problem;
    int missing = 0;
    for (const auto& [item, seq] : acked) {
      const auto log = store->events(item);
      if (static_cast<int64_t>(log.size()) < seq || log[seq - 1].seq != seq) {
        if (++missing <= 5)
          ADD_FAILURE() << "acknowledged item " << item << " seq " << seq
                        << " is not in the log (it has " << log.size() << " rows)";
      }
    }
    EXPECT_EQ(missing, 0);
  }
  std::printf("crash test: %d kills, %d acknowledged transitions on %zu items, all present\n",
              kKills, totalAcks, acked.size());
  EXPECT_GT(totalAcks, kKills) << "the children made too little progress to prove anything";
}
