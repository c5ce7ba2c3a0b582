#include "web/ServerLog.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <vector>

namespace liufang::web {

std::shared_ptr<spdlog::logger> makeServerLogger(const std::string& name,
                                                 const ServerConfig& config) {
  std::vector<spdlog::sink_ptr> sinks;
  // stderr, so stdout carries only the "listening on" line scripts parse.
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!config.logFile.empty()) {
    const size_t bytes = static_cast<size_t>(config.logMaxSizeMb) * 1024 * 1024;
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        config.logFile, bytes, static_cast<size_t>(config.logMaxFiles)));
  }
  auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::from_str(config.logLevel));
  // A line is on disk once written: the last lines before a crash are the ones needed.
  logger->flush_on(spdlog::level::trace);
  return logger;
}

}  // namespace liufang::web
