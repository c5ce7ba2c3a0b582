// init, verify and items: commands over the database as a whole.
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "cli/Commands.h"
#include "model/Calendar.h"
#include "workflow/Demo.h"
#include "workflow/Verify.h"

namespace liufang::cli {

int cmdInit(const Args& a) {
  const std::string path = a.get("--db", "./data/liufang.db");
  const bool existed = std::filesystem::exists(path);
  auto store = openStore(a);
  std::cout << "database " << path << " at schema version " << store->schemaVersion() << "\n";
  if (!a.has("--demo")) return kExitOk;
  if (existed && !store->communities().empty()) {
    std::cerr << "refusing to add the demo: " << path << " already holds data\n";
    return kExitFailed;
  }
  std::vector<workflow::DemoAccount> accounts;
  try {
    accounts = workflow::createDemo(*store, std::chrono::system_clock::now());
    // The desk's running totals, built now against the built-in calendar (serve rebuilds them
    // if its calendar differs), so `verify` checks them from the start.
    store->prepareScores(model::HolidayCalendar::china());
  } catch (...) {
    // A half-built demo is worse than none: remove the new file so init can be rerun.
    store.reset();
    if (!existed)
      for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
    throw;
  }
  std::cout << "demo community 桃源居社区 created. Accounts (username / password / role):\n";
  for (const auto& acc : accounts)
    std::cout << "  " << std::left << std::setw(14) << acc.username << std::setw(16) << acc.password
              << acc.role << "\n";
  return kExitOk;
}

int cmdVerify(const Args& a) {
  auto store = openStore(a);
  auto rep = workflow::verifyStore(*store, model::HolidayCalendar::china());
  if (!rep.ok) {
    std::cout << "verify FAILED: " << rep.badKind << " " << rep.badItem << " seq " << rep.badSeq
              << ": " << rep.problem << "\n";
    return 2;
  }
  std::cout << "verify ok: " << rep.items << " items, " << rep.events << " events\n";
  for (const auto& [state, n] : rep.byState)
    std::cout << "  " << std::left << std::setw(20) << state << n << "\n";
  return kExitOk;
}

int cmdItems(const Args& a) {
  auto store = openStore(a);
  model::ItemQuery q;
  q.state = a.get("--state");
  q.limit = 1000;
  int64_t total = 0;
  auto items = store->listItems(q, &total);
  for (const auto& it : items)
    std::cout << std::right << std::setw(5) << it.id << "  " << std::left << std::setw(20)
              << it.state << std::setw(12) << it.due << it.title << "\n";
  std::cout << total << " item(s)\n";
  return kExitOk;
}

}  // namespace liufang::cli
