// backup, restore, export and import: the database as a whole, for running it for real. Each
// proves its result with the full verify (every chain, every replay) before it calls it good,
// because a backup nobody has checked is a hope, not a backup.
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "cli/Commands.h"
#include "model/Backup.h"
#include "model/Calendar.h"
#include "model/Errors.h"
#include "workflow/Archive.h"
#include "workflow/Verify.h"

namespace fs = std::filesystem;

namespace liufang::cli {

namespace {

// Runs the full verify on the database file at `path` and closes it again.
workflow::VerifyReport verifyFile(const std::string& path) {
  model::StoreOptions opts;
  opts.path = path;
  opts.poolSize = 1;
  auto store = model::openSqliteStore(opts);
  return workflow::verifyStore(*store, model::HolidayCalendar::china());
}

void removeDatabaseFiles(const std::string& path) {
  std::error_code ec;
  for (const char* ext : {"", "-journal", "-wal", "-shm"}) fs::remove(path + ext, ec);
}

// Size, items and events per kind of a verified copy.
void printSummary(const std::string& path, const workflow::VerifyReport& rep) {
  const auto stats = model::eventStats(path);
  std::string last;
  for (const auto& k : stats) last = std::max(last, k.lastAt);
  std::cout << "  size        " << fs::file_size(path) << " bytes\n"
            << "  items       " << rep.items << "\n"
            << "  events      " << rep.events << "\n";
  for (const auto& k : stats)
    std::cout << "    " << std::left << std::setw(10) << k.kind << k.events << "\n";
  std::cout << "  last event  " << (last.empty() ? "-" : last) << "\n";
}

void printVerifyFailure(const workflow::VerifyReport& rep) {
  std::cerr << "verify FAILED: " << rep.badKind << " " << rep.badItem << " seq " << rep.badSeq
            << ": " << rep.problem << "\n";
}

// 20261122T041500Z: sortable, and no character a shell or a file system minds.
std::string utcStamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

int cmdBackup(const Args& a) {
  const std::string db = a.get("--db", "./data/liufang.db");
  const std::string to = a.get("--to");
  if (to.empty()) return usageError();
  if (!fs::exists(db)) {
    std::cerr << "liufang backup: no database at " << db << "\n";
    return kExitFailed;
  }
  if (fs::exists(to)) {
    std::cerr << "liufang backup: " << to << " exists; refusing to overwrite it\n";
    return kExitFailed;
  }
  // The copy is built and checked under another name, so `to` only ever names a verified
  // backup, even if this process dies half way.
  const std::string partial = to + ".partial";
  removeDatabaseFiles(partial);
  try {
    model::backupDatabase(db, partial);
    const auto rep = verifyFile(partial);
    if (!rep.ok) {
      removeDatabaseFiles(partial);
      std::cerr << "liufang backup: the copy does not verify; nothing was kept\n";
      printVerifyFailure(rep);
      return 2;
    }
    // verify opened the copy in WAL mode; fold it back into one file before naming it.
    if (!model::makeSelfContained(partial)) {
      removeDatabaseFiles(partial);
      std::cerr << "liufang backup: the copy is in use by another process\n";
      return kExitFailed;
    }
    fs::rename(partial, to);
    std::cout << "backup ok: " << to << " (verified)\n";
    printSummary(to, rep);
  } catch (...) {
    removeDatabaseFiles(partial);
    throw;
  }
  return kExitOk;
}

int cmdRestore(const Args& a) {
  const std::string from = a.get("--from");
  const std::string db = a.get("--db", "./data/liufang.db");
  if (from.empty()) return usageError();
  if (!fs::is_regular_file(from)) {
    std::cerr << "liufang restore: no backup at " << from << "\n";
    return kExitFailed;
  }
  const bool exists = fs::exists(db);
  if (exists && !a.has("--force")) {
    std::cerr << "liufang restore: " << db << " exists; refusing to overwrite it without --force"
              << " (the old file is then kept as " << db << ".before-restore-<time>)\n";
    return kExitFailed;
  }
  const fs::path parent = fs::path(db).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  // Checked as a copy beside the target: verifying opens the file (WAL sidecars, maybe a
  // migration), and the backup itself stays untouched; the rename at the end is atomic.
  const std::string staged = db + ".restoring";
  removeDatabaseFiles(staged);
  try {
    fs::copy_file(from, staged);
    const auto rep = verifyFile(staged);
    if (!rep.ok) {
      removeDatabaseFiles(staged);
      std::cerr << "liufang restore: " << from << " does not verify; nothing was changed\n";
      printVerifyFailure(rep);
      return 2;
    }
    if (!model::makeSelfContained(staged)) throw StorageError("the staged copy is in use");
    std::string aside;
    if (exists) {
      if (!model::makeSelfContained(db)) {
        removeDatabaseFiles(staged);
        std::cerr << "liufang restore: " << db
                  << " is in use (is `liufang serve` running on it?); stop it first\n";
        return kExitFailed;
      }
      aside = db + ".before-restore-" + utcStamp();
      fs::rename(db, aside);
      // Sidecars belong to the old file; a stale -wal beside the new one would be replayed
      // into it.
      std::error_code ec;
      for (const char* ext : {"-journal", "-wal", "-shm"})
        if (fs::exists(db + ext)) fs::rename(db + ext, aside + ext, ec);
    }
    fs::rename(staged, db);
    std::cout << "restore ok: " << from << " -> " << db << " (verified)\n";
    if (!aside.empty()) std::cout << "  previous database kept as " << aside << "\n";
    printSummary(db, rep);
  } catch (...) {
    removeDatabaseFiles(staged);
    throw;
  }
  return kExitOk;
}

int cmdExport(const Args& a) {
  if (a.get("--format", "jsonl") != "jsonl") {
    std::cerr << "liufang export: the only format is jsonl\n";
    return kExitUsage;
  }
  const std::string db = a.get("--db", "./data/liufang.db");
  if (!fs::exists(db)) {
    std::cerr << "liufang export: no database at " << db << "\n";
    return kExitFailed;
  }
  auto store = openStore(a);
  const bool hashes = a.has("--with-password-hashes");
  const std::string to = a.get("--to");
  if (to.empty()) {
    workflow::exportJsonl(*store, std::cout, hashes);
    return kExitOk;
  }
  if (fs::exists(to)) {
    std::cerr << "liufang export: " << to << " exists; refusing to overwrite it\n";
    return kExitFailed;
  }
  {
    std::ofstream out(to, std::ios::binary);
    try {
      workflow::exportJsonl(*store, out, hashes);
    } catch (...) {
      out.close();
      fs::remove(to);
      throw;
    }
  }
  std::cout << "export ok: " << to << " (" << fs::file_size(to) << " bytes)\n";
  return kExitOk;
}

int cmdImport(const Args& a) {
  const std::string from = a.get("--from");
  const std::string db = a.get("--db");
  if (from.empty() || db.empty()) return usageError();
  std::ifstream in(from, std::ios::binary);
  if (!in) {
    std::cerr << "liufang import: cannot read " << from << "\n";
    return kExitFailed;
  }
  if (fs::exists(db)) {
    std::cerr << "liufang import: " << db << " exists; import builds a new database\n";
    return kExitFailed;
  }
  // Built under another name and verified before it is named, like a backup.
  const std::string staged = db + ".importing";
  removeDatabaseFiles(staged);
  try {
    workflow::ImportReport rep;
    {
      model::StoreOptions opts;
      opts.path = staged;
      opts.poolSize = 1;
      auto store = model::openSqliteStore(opts);
      rep = workflow::importJsonl(in, *store, model::HolidayCalendar::china());
    }
    const auto check = verifyFile(staged);
    if (!check.ok) {
      removeDatabaseFiles(staged);
      std::cerr << "liufang import: the imported database does not verify; nothing was kept\n";
      printVerifyFailure(check);
      return 2;
    }
    if (!model::makeSelfContained(staged)) throw StorageError("the staged import is in use");
    fs::rename(staged, db);
    std::cout << "import ok: " << from << " -> " << db << " (verified)\n"
              << "  communities " << rep.communities << ", parties " << rep.parties << ", users "
              << rep.users << ", meetings " << rep.meetings << "\n";
    for (const auto& [kind, n] : rep.streams)
      std::cout << "  " << std::left << std::setw(10) << kind << n << " streams\n";
    std::cout << "  events      " << rep.events << "\n";
  } catch (...) {
    removeDatabaseFiles(staged);
    throw;
  }
  return kExitOk;
}

}  // namespace liufang::cli
