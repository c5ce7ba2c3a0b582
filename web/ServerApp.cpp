#include "web/ServerApp.h"

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionCallback.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <map>
#include <memory>

#include "model/Calendar.h"
#include "model/Errors.h"
#include "model/Store.h"
#include "web/Config.h"
#include "web/ServerLog.h"
#include "web/Site.h"
#include "web/WebServer.h"
#include "workflow/Background.h"
#include "workflow/Supervision.h"

namespace liufang::web {
namespace {

using Poco::Util::Option;
using Poco::Util::OptionCallback;
using Poco::Util::OptionSet;

// `liufang serve`, after Poco's Util/samples/SampleServer: options and .properties keys with
// defaults in code (web/Config.h); command-line options win over the config file.
class ServeApp : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "show the options and exit")
                          .callback(OptionCallback<ServeApp>(this, &ServeApp::onHelp)));
    options.addOption(Option("port", "p", "TCP port (default 8080; 0 picks a free one)")
                          .argument("N")
                          .callback(OptionCallback<ServeApp>(this, &ServeApp::onSetting)));
    options.addOption(Option("bind", "b", "address to listen on (default 0.0.0.0)")
                          .argument("ADDR")
                          .callback(OptionCallback<ServeApp>(this, &ServeApp::onSetting)));
    options.addOption(Option("db", "d", "SQLite database file (default ./data/liufang.db)")
                          .argument("PATH")
                          .callback(OptionCallback<ServeApp>(this, &ServeApp::onSetting)));
    options.addOption(
        Option("now", "n",
               "demo clock: start the server's clock at this local time (YYYY-MM-DDTHH:MM, "
               "the community's time; a demo database only)")
            .argument("TIME")
            .callback(OptionCallback<ServeApp>(this, &ServeApp::onSetting)));
    options.addOption(Option("config", "c", ".properties file with server settings")
                          .argument("FILE")
                          .callback(OptionCallback<ServeApp>(this, &ServeApp::onConfig)));
  }

  int main(const std::vector<std::string>&) override {
    if (helpRequested_) return EXIT_OK;
    ServerConfig cfg = ServerConfig::from(config());
    if (auto it = overrides_.find("port"); it != overrides_.end()) cfg.port = std::stoi(it->second);
    if (auto it = overrides_.find("bind"); it != overrides_.end()) cfg.bind = it->second;
    if (auto it = overrides_.find("db"); it != overrides_.end()) cfg.dbPath = it->second;

    // Replaces the stderr-only logger of start-up once the settings (log.*) are known.
    try {
      spdlog::set_default_logger(makeServerLogger("liufang-serve", cfg));
    } catch (const spdlog::spdlog_ex& e) {
      // A log that cannot be written is a setting to fix, not a reason to run without it.
      std::cerr << "liufang serve: log.file: " << e.what() << std::endl;
      return EXIT_CONFIG;
    }

    if (!cfg.holidaysExtraFile.empty()) {
      try {
        model::HolidayCalendar::mergeExtraFile(cfg.holidaysExtraFile);
      } catch (const Error& e) {
        std::cerr << "liufang serve: calendar.extra_file: " << e.what() << std::endl;
        return EXIT_CONFIG;
      }
      spdlog::info("holiday file {} merged over the built-in calendar",
                   cfg.holidaysExtraFile);
    }

    model::StoreOptions so;
    so.path = cfg.dbPath;
    so.synchronous = cfg.dbSynchronousFull ? model::Synchronous::Full : model::Synchronous::Normal;
    so.poolSize = cfg.dbPoolSize;
    auto store = model::openSqliteStore(so);
    if (store->users().empty())
      spdlog::warn("database {} has no users yet: run `liufang init --demo --db {}`", cfg.dbPath,
                   cfg.dbPath);
    model::SystemClock systemClock;
    std::unique_ptr<model::OffsetClock> demoClock;
    if (auto it = overrides_.find("now"); it != overrides_.end()) {
      // Moving time is for a demo: on real data it would write ticks (and escalations) dated
      // in the future into the hash-chained log, which nothing can take back.
      if (store->instanceFlag("demo") != "1") {
        std::cerr << "liufang serve: --now is refused: " << cfg.dbPath
                  << " is not a demo database (made by `liufang init --demo`)" << std::endl;
        return EXIT_CONFIG;
      }
      const auto start = workflow::parseDemoNow(it->second);
      if (!start) {
        std::cerr << "liufang serve: --now " << it->second
                  << ": expected YYYY-MM-DDTHH:MM (community time)" << std::endl;
        return EXIT_USAGE;
      }
      demoClock = std::make_unique<model::OffsetClock>(systemClock, *start);
      spdlog::warn("demo clock: the server's time starts at {} and runs on from there",
                   model::formatInstant(*start));
    }
    const model::Clock& clock = demoClock ? static_cast<const model::Clock&>(*demoClock)
                                          : static_cast<const model::Clock&>(systemClock);
    // The sweep runs once before the server opens, so the first page shows today's lights.
    workflow::BackgroundOptions bo;
    bo.sweepInterval = bo.purgeInterval =
        std::chrono::seconds(std::max(1, cfg.sweepIntervalSeconds));
    bo.sessionIdle = std::chrono::minutes(cfg.sessionIdleMinutes);
    bo.webhookInterval = std::chrono::seconds(std::max(1, cfg.webhookIntervalSeconds));
    bo.webhook.timeout = std::chrono::seconds(std::max(1, cfg.webhookTimeoutSeconds));
    bo.webhook.maxAttempts = std::max(1, cfg.webhookMaxAttempts);
    // The server (and its metrics) exists before the background work starts, so the first
    // sweep is counted too; it listens only after that sweep.
    WebServer server(cfg, *store, clock);
    Metrics& metrics = server.site().metrics;
    bo.onSweepRun = [&metrics](bool ok) { metrics.sweepRan(ok); };
    // The desk's running totals, rebuilt here if the calendar or their definitions changed, so
    // no request pays for it (seconds at a million items).
    store->prepareScores(server.site().engine.calendar());
    workflow::BackgroundWork background(*store, clock, bo);
    background.engine().subscribe(&metrics);
    background.start();
    server.start();
    // Scripts and tests read the port from this line; flush so a pipe sees it at once.
    std::cout << "listening on " << server.url() << std::endl;
    if (cfg.bind == "0.0.0.0" || cfg.bind == "::")
      spdlog::info("bound to all interfaces ({}); use --bind 127.0.0.1 to stay local", cfg.bind);
    waitForTerminationRequest();
    spdlog::info("shutting down");
    server.stop();
    background.stop();
    background.engine().unsubscribe(&metrics);
    return EXIT_OK;
  }

 private:
  void onHelp(const std::string&, const std::string&) {
    helpRequested_ = true;
    Poco::Util::HelpFormatter help(options());
    help.setCommand("liufang serve");
    help.setUsage("[--port N] [--bind ADDR] [--db PATH] [--config FILE] [--now TIME]");
    help.setHeader("Serves the liufang pages and the JSON API.");
    help.format(std::cout);
    stopOptionsProcessing();
  }

  void onSetting(const std::string& name, const std::string& value) { overrides_[name] = value; }

  void onConfig(const std::string&, const std::string& value) { loadConfiguration(value); }

  bool helpRequested_ = false;
  std::map<std::string, std::string> overrides_;
};

}  // namespace

int runServe(int argc, char** argv) {
  // Log lines go to stderr so stdout carries only the "listening on" line scripts parse.
  spdlog::set_default_logger(spdlog::stderr_color_mt("liufang-serve"));
  try {
    ServeApp app;
    return app.run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "liufang serve: " << e.what() << std::endl;
    return 1;
  }
}

}  // namespace liufang::web
