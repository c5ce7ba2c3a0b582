// The `liufang` executable: subcommand dispatch. `serve` is the HTTP server (ServerApp.cpp);
// the rest are small administrative commands over the same Store and Engine.
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/Calendar.h"
#include "model/Errors.h"
#include "model/Password.h"
#include "model/Store.h"
#include "web/ServerApp.h"
#include "workflow/Demo.h"
#include "workflow/Engine.h"
#include "workflow/Verify.h"

namespace {

using namespace liufang;

const char* kUsage = R"(liufang — 六方会议 workflow engine

usage: liufang <command> [options]

commands:
  serve  [--port N] [--db PATH] [--config FILE]   serve the web UI and JSON API
  init   [--db PATH] [--demo]                     create a database (--demo: the 桃源居 demo)
  verify [--db PATH]                              replay every log; check hash chains and projections
  items  [--db PATH] [--state S]                  list items
  user   add USERNAME --community CODE [--party CODE] [--convener] [--representative]
              [--supervisor] [--name NAME] [--password PW]   (without --password: read from stdin)
  user   passwd USERNAME [--password PW]
  user   list
  user   disable USERNAME
  community add CODE NAME [--utc-offset MINUTES]  a community (default offset 480, Asia/Shanghai)
  community list
  party  add COMMUNITY CODE NAME                  a party on a community's roster (in order added)
  party  list COMMUNITY
  meeting add COMMUNITY TITLE --date YYYY-MM-DD [--adhoc] [--location TEXT]
  meeting list COMMUNITY
Every command takes --db PATH (default ./data/liufang.db).
)";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // "--x" -> value ("" for flags)
  bool has(const std::string& k) const { return options.count(k) > 0; }
  std::string get(const std::string& k, const std::string& def = "") const {
    auto it = options.find(k);
    return it == options.end() ? def : it->second;
  }
};

Args parseArgs(int argc, char** argv, int from) {
  static const std::vector<std::string> flags = {
      "--demo", "--convener", "--representative", "--supervisor", "--normal-sync", "--adhoc"};
  Args a;
  for (int i = from; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0) {
      auto eq = s.find('=');
      if (eq != std::string::npos) {
        a.options[s.substr(0, eq)] = s.substr(eq + 1);
      } else if (std::find(flags.begin(), flags.end(), s) != flags.end() || i + 1 >= argc) {
        a.options[s] = "";
      } else {
        a.options[s] = argv[++i];
      }
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

std::unique_ptr<model::Store> openStore(const Args& a) {
  model::StoreOptions opts;
  opts.path = a.get("--db", "./data/liufang.db");
  opts.poolSize = 2;
  if (a.has("--normal-sync")) opts.synchronous = model::Synchronous::Normal;
  return model::openSqliteStore(opts);
}

std::string readPassword(const std::string& prompt) {
  std::string pw;
  const bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~ECHO;
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::getline(std::cin, pw);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  return pw;
}

int cmdInit(const Args& a) {
  const std::string path = a.get("--db", "./data/liufang.db");
  const bool existed = std::filesystem::exists(path);
  auto store = openStore(a);
  std::cout << "database " << path << " at schema version " << store->schemaVersion() << "\n";
  if (!a.has("--demo")) return 0;
  if (existed && !store->communities().empty()) {
    std::cerr << "refusing to add the demo: " << path << " already holds data\n";
    return 1;
  }
  std::vector<workflow::DemoAccount> accounts;
  try {
    accounts = workflow::createDemo(*store, std::chrono::system_clock::now());
  } catch (...) {
    // A half-built demo is worse than none: remove the new file so init can be rerun.
    store.reset();
    if (!existed)
      for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
    throw;
  }
  std::cout << "demo community 桃源居社区 created. Accounts (username / password / role):\n";
  for (const auto& acc : accounts)
    std::cout << "  " << std::left << std::setw(14) << acc.username << std::setw(14) << acc.password
              << acc.role << "\n";
  return 0;
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
  return 0;
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
  return 0;
}

int cmdUser(const Args& a) {
  auto store = openStore(a);
  const std::string sub = a.positional.empty() ? "" : a.positional[0];
  if (sub == "list") {
    for (const auto& u : store->users()) {
      std::string roles = std::string(u.convener ? "convener " : "") +
                          (u.representative ? "representative " : "") +
                          (u.supervisor ? "supervisor " : "");
      std::cout << std::left << std::setw(14) << u.username << std::setw(12) << u.party << roles
                << (u.disabled ? "(disabled)" : "") << "\n";
    }
    return 0;
  }
  if (a.positional.size() < 2) {
    std::cerr << kUsage;
    return 64;
  }
  const std::string name = a.positional[1];
  if (sub == "add") {
    model::User u;
    u.username = name;
    u.displayName = a.get("--name", name);
    u.party = a.get("--party");
    u.convener = a.has("--convener");
    u.representative = a.has("--representative") || !u.party.empty();
    u.supervisor = a.has("--supervisor");
    if (a.has("--community")) {
      for (const auto& c : store->communities())
        if (c.code == a.get("--community")) u.communityId = c.id;
      if (u.communityId == 0) {
        std::cerr << "no community with code " << a.get("--community") << "\n";
        return 1;
      }
    }
    if (!u.party.empty()) {
      // A representative speaks for a party on one community's roster.
      bool onRoster = false;
      if (u.communityId != 0)
        for (const auto& p : store->parties(u.communityId)) onRoster |= p.code == u.party;
      if (!onRoster) {
        std::cerr << "party " << u.party << " is not on the roster of "
                  << (u.communityId ? a.get("--community") : "any --community given") << "\n";
        return 1;
      }
    }
    if ((u.convener || u.representative) && u.communityId == 0) {
      std::cerr << "a convener or representative needs --community CODE\n";
      return 1;
    }
    std::string pw = a.has("--password") ? a.get("--password") : readPassword("password: ");
    if (pw.size() < 8) {
      std::cerr << "password must be at least 8 characters\n";
      return 1;
    }
    u.passwordHash = model::hashPassword(pw);
    store->addUser(u);
    std::cout << "user " << name << " added (id " << u.id << ")\n";
    return 0;
  }
  auto u = store->findUserByName(name);
  if (!u) {
    std::cerr << "no user " << name << "\n";
    return 1;
  }
  if (sub == "passwd") {
    std::string pw = a.has("--password") ? a.get("--password") : readPassword("new password: ");
    if (pw.size() < 8) {
      std::cerr << "password must be at least 8 characters\n";
      return 1;
    }
    u->passwordHash = model::hashPassword(pw);
    store->updateUser(*u);
    store->clearLoginFailures(u->id);
    std::cout << "password changed for " << name << "\n";
    return 0;
  }
  if (sub == "disable") {
    u->disabled = true;
    store->updateUser(*u);
    std::cout << "user " << name << " disabled\n";
    return 0;
  }
  std::cerr << kUsage;
  return 64;
}

std::optional<model::Community> communityByCode(model::Store& store, const std::string& code) {
  for (const auto& c : store.communities())
    if (c.code == code) return c;
  std::cerr << "no community with code " << code << " (liufang community list)\n";
  return std::nullopt;
}

int cmdCommunity(const Args& a) {
  auto store = openStore(a);
  const std::string sub = a.positional.empty() ? "" : a.positional[0];
  if (sub == "list") {
    for (const auto& c : store->communities())
      std::cout << std::left << std::setw(14) << c.code << std::setw(8) << c.utcOffsetMinutes
                << c.name << "\n";
    return 0;
  }
  if (sub == "add" && a.positional.size() == 3) {
    model::Community c;
    c.code = a.positional[1];
    c.name = a.positional[2];
    try {
      c.utcOffsetMinutes = std::stoi(a.get("--utc-offset", "480"));
    } catch (const std::exception&) {
      std::cerr << "--utc-offset takes minutes east of UTC, e.g. 480 for Asia/Shanghai\n";
      return 1;
    }
    store->addCommunity(c);
    std::cout << "community " << c.code << " added (id " << c.id << ")\n";
    return 0;
  }
  std::cerr << kUsage;
  return 64;
}

int cmdParty(const Args& a, model::Store& store, const model::Community& community) {
  const std::string& sub = a.positional[0];
  if (sub == "list") {
    for (const auto& p : store.parties(community.id))
      std::cout << std::left << std::setw(14) << p.code << p.name << "\n";
    return 0;
  }
  if (sub == "add" && a.positional.size() == 4) {
    model::Party p;
    p.communityId = community.id;
    p.code = a.positional[2];
    p.name = a.positional[3];
    p.sortOrder = static_cast<int>(store.parties(community.id).size()) + 1;
    store.addParty(p);
    std::cout << "party " << p.code << " added to " << community.code << "\n";
    return 0;
  }
  std::cerr << kUsage;
  return 64;
}

int cmdMeeting(const Args& a, model::Store& store, const model::Community& community) {
  const std::string& sub = a.positional[0];
  if (sub == "list") {
    for (const auto& m : store.meetings(community.id))
      std::cout << std::right << std::setw(5) << m.id << "  " << std::left << std::setw(12)
                << m.date << std::setw(8) << m.kind << m.title << "\n";
    return 0;
  }
  if (sub == "add" && a.positional.size() == 3) {
    auto date = model::Date::parse(a.get("--date"));
    if (!date) {
      std::cerr << "--date YYYY-MM-DD is required\n";
      return 1;
    }
    model::Meeting m;
    m.communityId = community.id;
    m.title = a.positional[2];
    m.date = date->str();
    m.kind = a.has("--adhoc") ? "adhoc" : "regular";
    m.location = a.get("--location");
    store.addMeeting(m);
    std::cout << "meeting " << m.id << " scheduled on " << m.date << "\n";
    return 0;
  }
  std::cerr << kUsage;
  return 64;
}

// Runs a `COMMAND SUB COMMUNITY ...` subcommand with the store open and the community found.
int withCommunity(const Args& a, int (*fn)(const Args&, model::Store&, const model::Community&)) {
  if (a.positional.size() < 2) {
    std::cerr << kUsage;
    return 64;
  }
  auto store = openStore(a);
  auto c = communityByCode(*store, a.positional[1]);
  return c ? fn(a, *store, *c) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? 64 : 0;
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "serve") return liufang::web::runServe(argc - 1, argv + 1);
    spdlog::set_level(spdlog::level::warn);  // admin commands print their own results
    const Args a = parseArgs(argc, argv, 2);
    if (cmd == "init") return cmdInit(a);
    if (cmd == "verify") return cmdVerify(a);
    if (cmd == "items") return cmdItems(a);
    if (cmd == "user") return cmdUser(a);
    if (cmd == "community") return cmdCommunity(a);
    if (cmd == "party") return withCommunity(a, cmdParty);
    if (cmd == "meeting") return withCommunity(a, cmdMeeting);
  } catch (const liufang::Error& e) {
    std::cerr << "liufang " << cmd << ": " << e.what() << " (" << e.english() << ")\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "liufang " << cmd << ": " << e.what() << "\n";
    return 1;
  }
  std::cerr << "unknown command '" << cmd << "'\n" << kUsage;
  return 64;
}
