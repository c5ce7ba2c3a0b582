#pragma once
// Server settings: every key has a default here, so a config file only lists what differs.
#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <set>
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
  // A request head (request line and headers) must arrive whole within this many seconds of
  // its first byte (of the connection's start for the first request): a client that drips
  // one byte at a time would otherwise hold a pool thread for as long as it likes.
  int headTimeoutSeconds = 10;  // http.head_timeout_seconds
  // Open connections one client address may hold; more are closed at accept. 0 = no cap.
  int maxConnectionsPerAddress = 32;  // http.max_connections_per_address
  // Reverse proxies we trust (by default one on this host), comma-separated peer addresses.
  // A request from one of them is taken to be from the right-most X-Forwarded-For address
  // that is not itself a trusted proxy (in logs, the sign-in throttle, metrics.allow), and to
  // have come over HTTPS when X-Forwarded-Proto says `https`. From anyone else both headers
  // are ignored. A proxy itself is never capped or throttled by address: it speaks for many
  // clients, and the connection cap applies at accept, before any header can name them.
  // Read from http.trusted_proxies, or the older http.proxy_addresses when that is absent.
  std::string trustedProxies = "127.0.0.1,::1";  // http.trusted_proxies
  // The site is served over HTTPS (directly or behind a TLS proxy): cookies get Secure and
  // answers carry Strict-Transport-Security. A trusted proxy's X-Forwarded-Proto: https
  // does the same for its request alone.
  bool https = false;                // http.https
  int hstsMaxAgeSeconds = 31536000;  // http.hsts_max_age_seconds (one year)

  int sessionIdleMinutes = 30;    // session.idle_minutes
  int sessionAbsoluteHours = 12;  // session.absolute_hours: a session ends this long after sign-in
  int throttleAfter = 5;          // auth.throttle_after: failures allowed before a delay
  int throttleBaseSeconds = 2;    // auth.throttle_base_seconds: first delay, doubling after
  int throttleMaxSeconds = 900;   // auth.throttle_max_seconds: the delay never grows past this
  // Failed sign-ins from one client address (any usernames) before the same growing delay.
  int addressThrottleAfter = 20;  // auth.address_throttle_after
  // Argon2id takes 64 MiB per check: at most this many run at once (0 = one per CPU core), so
  // memory stays bounded whatever the sign-in rate.
  int maxConcurrentHashes = 0;  // auth.max_concurrent_hashes
  // How long a sign-in waits for a free hashing slot before it is answered 503 + Retry-After.
  int hashWaitMilliseconds = 3000;      // auth.hash_wait_ms
  int sweepIntervalSeconds = 60;        // sweep.interval_seconds: deadline lights refresh
  // The webhook outbox (docs/OPERATIONS.md "Webhook"): how often it is drained, each
  // attempt's timeout, and the attempts before a delivery is marked failed.
  int webhookIntervalSeconds = 5;  // webhook.interval_seconds
  int webhookTimeoutSeconds = 5;   // webhook.timeout_seconds
  int webhookMaxAttempts = 10;     // webhook.max_attempts
  // An operator's holiday file merged over the built-in one at start-up (same format,
  // docs/OPERATIONS.md "Working days"): a new year's notice without a rebuild.
  std::string holidaysExtraFile;  // calendar.extra_file; empty = the built-in calendar only
  std::string defaultLocale = "zh_CN";  // i18n.default_locale
  // Client addresses /metrics answers (comma-separated); anyone else gets 403. Behind a
  // reverse proxy on this host every client looks local: let the proxy not forward /metrics.
  std::string metricsAllow = "127.0.0.1,::1";  // metrics.allow

  // Log lines always go to stderr (journald under systemd). With a file named, they also go
  // to that file, rotated at maxSizeMb into at most maxFiles older files (x.log: x.1.log, ...).
  std::string logLevel = "info";  // log.level: trace, debug, info, warn, error
  std::string logFile;            // log.file; empty = no file
  int logMaxSizeMb = 10;          // log.max_size_mb
  int logMaxFiles = 5;            // log.max_files

  // Residents' requests (居民点单) one client address may submit per hour on the public form
  // (trusted proxies are not counted as one client). The public form's body cap: larger is 413.
  int requestsPerAddressPerHour = 5;   // requests.per_address_per_hour
  size_t requestMaxBodyBytes = 16384;  // requests.max_body_bytes
  // The site's address as residents reach it, for the poster's QR codes and the Atom feed,
  // e.g. https://liufang.example.org; empty = taken from each request's Host header.
  std::string publicUrl;  // site.public_url

  // trustedProxies as a set, blanks trimmed.
  std::set<std::string> trustedProxySet() const;
  // metricsAllow as a set, blanks trimmed.
  std::set<std::string> metricsAllowSet() const;

  // Reads every key from cfg, keeping the default above for keys it lacks. Throws
  // Poco::SyntaxException for a value of the wrong type.
  static ServerConfig from(const Poco::Util::AbstractConfiguration& cfg);
};

}  // namespace liufang::web
