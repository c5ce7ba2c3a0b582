// The `liufang` executable: subcommand dispatch. `serve` is the HTTP server (web/ServerApp.cpp);
// the others are administrative commands over the workflow layer (cli/*Commands.cpp).
#include <spdlog/spdlog.h>

#include <iostream>
#include <string>

#include "cli/Commands.h"
#include "web/ServerApp.h"

int main(int argc, char** argv) {
  using namespace liufang::cli;
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? kExitUsage : kExitOk;
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "serve") return liufang::web::runServe(argc - 1, argv + 1);
    spdlog::set_level(spdlog::level::warn);  // admin commands print their own results
    const Args a = parseArgs(argc, argv, 2);
    if (cmd == "init") return cmdInit(a);
    if (cmd == "verify") return cmdVerify(a);
    if (cmd == "items") return cmdItems(a);
    if (cmd == "backup") return cmdBackup(a);
    if (cmd == "restore") return cmdRestore(a);
    if (cmd == "export" && !a.positional.empty() && a.positional[0] == "ledger")
      return cmdExportLedger(a);
    if (cmd == "export") return cmdExport(a);
    if (cmd == "import") return cmdImport(a);
    if (cmd == "user") return cmdUser(a);
    if (cmd == "community") return cmdCommunity(a);
    if (cmd == "party") return cmdParty(a);
    if (cmd == "meeting") return cmdMeeting(a);
    if (cmd == "sweep") return cmdSweep(a);
    if (cmd == "webhook") return cmdWebhook(a);
  } catch (const std::exception& e) {
    // liufang::Error's what() is the English sentence; storage and Poco errors speak for
    // themselves.
    std::cerr << "liufang " << cmd << ": " << e.what() << "\n";
    return kExitFailed;
  }
  std::cerr << "unknown command '" << cmd << "'\n" << kUsage;
  return kExitUsage;
}
