#pragma once
// What every `liufang` admin subcommand shares: its parsed arguments, the store it opens and
// the password prompt. The serve command parses its own options (web/ServerApp.cpp).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/Store.h"

namespace liufang::cli {

// Exit codes: 0 done, 1 refused or failed (a message was printed), 64 usage error (sysexits).
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 64;

// The text `liufang help` prints.
extern const char* const kUsage;

// A subcommand's arguments: positional words and "--option value" pairs.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // "--x" -> value ("" for flags)
  bool has(const std::string& k) const { return options.count(k) > 0; }
  std::string get(const std::string& k, const std::string& def = "") const {
    auto it = options.find(k);
    return it == options.end() ? def : it->second;
  }
};

// Parses argv[from..argc). "--x=v" and "--x v" both work; the known flags (--demo, --convener,
// ...) take no value; an option at the very end is a flag.
Args parseArgs(int argc, char** argv, int from);

// Opens (creating and migrating) the database named by --db (default ./data/liufang.db) with a
// small pool; --normal-sync trades power-cut durability for speed. Throws StorageError.
std::unique_ptr<model::Store> openStore(const Args& a);

// The value of --password if given, else one line from stdin (echo off on a terminal, with the
// prompt on stderr).
std::string passwordFrom(const Args& a, const std::string& prompt);

// Prints the usage to stderr and returns kExitUsage.
int usageError();

}  // namespace liufang::cli
