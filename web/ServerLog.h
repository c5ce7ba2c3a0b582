#pragma once
// Where `liufang serve` writes its log lines: stderr always (journald under systemd), and a
// size-rotated file when log.file names one.
#include <spdlog/logger.h>

#include <memory>

#include "web/Config.h"

namespace liufang::web {

// A logger named `name` writing to stderr and, when config.logFile is set, to that file
// (rotated at logMaxSizeMb into at most logMaxFiles older files), at config.logLevel. Throws
// spdlog::spdlog_ex when the file cannot be opened (a missing folder, no permission), so a
// bad path stops the start rather than losing the log silently.
std::shared_ptr<spdlog::logger> makeServerLogger(const std::string& name,
                                                 const ServerConfig& config);

}  // namespace liufang::web
