#include "cli/Args.h"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

namespace liufang::cli {

const char* const kUsage = R"(liufang — 六方会议 workflow engine

usage: liufang <command> [options]

commands:
  serve  [--port N] [--db PATH] [--config FILE] [--now TIME]
                                                  serve the web UI and JSON API (--now: the
                                                  demo clock, on a demo database only)
  init   [--db PATH] [--demo]                     create a database (--demo: the 桃源居 demo)
  verify [--db PATH]                              replay every log; check hash chains and projections
  items  [--db PATH] [--state S]                  list items
  backup --to FILE [--db PATH]                    online copy while serving; verified, then kept
  restore --from FILE [--db PATH] [--force]       verify FILE, put it in place (old file kept
                                                  as PATH.before-restore-<time>)
  export [--db PATH] [--format jsonl] [--with-password-hashes] [--to FILE]
                                                  directory and every event log as JSON lines
  export ledger [--db PATH] [--community CODE] [--from DATE] [--to DATE] [--out FILE] [--lang en]
                                                  the ledger (台账) as CSV: UTF-8 BOM, CRLF
  import --from FILE --db NEW                     build a new database from an export (chains
                                                  checked, every stream replayed, verified)
  user   add USERNAME --community CODE [--party CODE] [--convener] [--representative]
              [--supervisor] [--name NAME] [--password PW]   (without --password: read from stdin)
  user   passwd USERNAME [--password PW]
  user   list
  user   disable USERNAME
  community add CODE NAME [--utc-offset MINUTES]  a community (default offset 480, Asia/Shanghai)
                [--preset liufang|sanfang|wuwei|yiyuan]   with its roster from a preset
  community list                                  code, UTC offset, due-soon days, name
  community due-soon CODE DAYS                    items turn yellow DAYS working days before due
  community ladder CODE [SPEC|default]            show or set the escalation ladder, e.g.
                                                  "1:urge:#f5a623,5:escalate:#d0021b,10:report:#8b0000"
  community webhook CODE [URL SECRET|off]         show, set (SECRET - : read from stdin) or turn
                                                  off the community's webhook (http:// only)
  party  add COMMUNITY CODE NAME                  a party on a community's roster (in order added)
  party  list COMMUNITY
  meeting add COMMUNITY TITLE --date YYYY-MM-DD [--adhoc] [--location TEXT]
  meeting list COMMUNITY
  sweep  [--db PATH] [--holidays FILE] [--now TIME]
                                                  deadline lights now (for cron; idempotent);
                                                  --now YYYY-MM-DDTHH:MM on a demo database only
  webhook deliver [--db PATH]                     send the webhook deliveries due now, once
Every command takes --db PATH (default ./data/liufang.db).
)";

Args parseArgs(int argc, char** argv, int from) {
  static const std::vector<std::string> flags = {
      "--demo",           "--force",      "--with-password-hashes", "--convener",
      "--representative", "--supervisor", "--normal-sync",          "--adhoc"};
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

std::string passwordFrom(const Args& a, const std::string& prompt) {
  if (a.has("--password")) return a.get("--password");
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

int usageError() {
  std::cerr << kUsage;
  return kExitUsage;
}

}  // namespace liufang::cli
