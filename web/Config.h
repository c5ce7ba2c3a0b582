#pragma once
// Server settings: every key has a default here, so a config file only lists what differs.
#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <string>

namespace liufang::web {

// What `liufang serve` runs with. Keys of the .properties file are given per field.
struct ServerConfig {
  std::string bind = "0.0.0.0";  // http.bind: all interfaces, so a container or LAN can reach it
  int port = 8080;               // http.port; 0 picks a free port
  std::string dbPath = "./data/liufang.db";  // db.path
  bool dbSynchronousFull = true;             // db.synchronous = full | normal
  int dbPoolSize = 16;                       // db.pool_size

  // Poco's default pool stops at 16 threads and a keep-alive connection holds one, so the
  // 17th browser would wait silently: the pool is ours and sized for a few hundred clients.
  int minThreads = 8;                 // http.min_threads
  int maxThreads = 300;               // http.max_threads
  int maxQueued = 1024;               // http.max_queued
  int timeoutSeconds = 60;            // http.timeout_seconds (socket send/receive)
  bool keepAlive = true;              // http.keep_alive
  int keepAliveTimeoutSeconds = 15;   // http.keep_alive_timeout_seconds
  int maxKeepAliveRequests = 0;       // http.max_keep_alive_requests; 0 = unlimited
  size_t maxBodyBytes = 1024 * 1024;  // http.max_body_bytes: larger bodies get 413
  int staticMaxAgeSeconds = 3600;     // http.static_max_age_seconds

  int sessionIdleMinutes = 30;    // session.idle_minutes
  int throttleAfter = 5;          // auth.throttle_after: failures allowed before a delay
  int throttleBaseSeconds = 2;    // auth.throttle_base_seconds: first delay, doubling after
  int throttleMaxSeconds = 900;   // auth.throttle_max_seconds: the delay never grows past this
  int sweepIntervalSeconds = 60;  // sweep.interval_seconds: deadline lights refresh
  std::string defaultLocale = "zh_CN";  // i18n.default_locale

  // Reads every key from cfg, keeping the default above for keys it lacks. Throws
  // Poco::SyntaxException for a value of the wrong type.
  static ServerConfig from(const Poco::Util::AbstractConfiguration& cfg);
};

}  // namespace liufang::web
