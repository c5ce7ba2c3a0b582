#include "web/Config.h"

#include <sstream>

namespace liufang::web {

namespace {

std::set<std::string> addressSet(const std::string& list) {
  std::set<std::string> out;
  std::istringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.insert(item);
  }
  return out;
}

}  // namespace

std::set<std::string> ServerConfig::trustedProxySet() const { return addressSet(trustedProxies); }

std::set<std::string> ServerConfig::metricsAllowSet() const { return addressSet(metricsAllow); }

ServerConfig ServerConfig::from(const Poco::Util::AbstractConfiguration& cfg) {
  ServerConfig c;
  c.bind = cfg.getString("http.bind", c.bind);
  c.port = cfg.getInt("http.port", c.port);
  c.dbPath = cfg.getString("db.path", c.dbPath);
  c.dbSynchronousFull = cfg.getString("db.synchronous", "full") != "normal";
  c.dbPoolSize = cfg.getInt("db.pool_size", c.dbPoolSize);
  c.requestsPerAddressPerHour =
      cfg.getInt("requests.per_address_per_hour", c.requestsPerAddressPerHour);
  c.requestMaxBodyBytes = static_cast<size_t>(
      cfg.getInt64("requests.max_body_bytes", static_cast<Poco::Int64>(c.requestMaxBodyBytes)));
  c.publicUrl = cfg.getString("site.public_url", c.publicUrl);
  c.minThreads = cfg.getInt("http.min_threads", c.minThreads);
  c.maxThreads = cfg.getInt("http.max_threads", c.maxThreads);
  c.maxQueued = cfg.getInt("http.max_queued", c.maxQueued);
  c.timeoutSeconds = cfg.getInt("http.timeout_seconds", c.timeoutSeconds);
  c.keepAlive = cfg.getBool("http.keep_alive", c.keepAlive);
  c.keepAliveTimeoutSeconds =
      cfg.getInt("http.keep_alive_timeout_seconds", c.keepAliveTimeoutSeconds);
  c.maxKeepAliveRequests = cfg.getInt("http.max_keep_alive_requests", c.maxKeepAliveRequests);
  c.maxBodyBytes = static_cast<size_t>(
      cfg.getUInt64("http.max_body_bytes", static_cast<Poco::UInt64>(c.maxBodyBytes)));
  c.staticMaxAgeSeconds = cfg.getInt("http.static_max_age_seconds", c.staticMaxAgeSeconds);
  c.headTimeoutSeconds = cfg.getInt("http.head_timeout_seconds", c.headTimeoutSeconds);
  c.maxConnectionsPerAddress =
      cfg.getInt("http.max_connections_per_address", c.maxConnectionsPerAddress);
  // The older key keeps old config files working; the new one wins when both are there.
  c.trustedProxies = cfg.getString("http.trusted_proxies",
                                   cfg.getString("http.proxy_addresses", c.trustedProxies));
  c.metricsAllow = cfg.getString("metrics.allow", c.metricsAllow);
  c.https = cfg.getBool("http.https", c.https);
  c.hstsMaxAgeSeconds = cfg.getInt("http.hsts_max_age_seconds", c.hstsMaxAgeSeconds);
  c.sessionIdleMinutes = cfg.getInt("session.idle_minutes", c.sessionIdleMinutes);
  c.sessionAbsoluteHours = cfg.getInt("session.absolute_hours", c.sessionAbsoluteHours);
  c.throttleAfter = cfg.getInt("auth.throttle_after", c.throttleAfter);
  c.throttleBaseSeconds = cfg.getInt("auth.throttle_base_seconds", c.throttleBaseSeconds);
  c.throttleMaxSeconds = cfg.getInt("auth.throttle_max_seconds", c.throttleMaxSeconds);
  c.addressThrottleAfter = cfg.getInt("auth.address_throttle_after", c.addressThrottleAfter);
  c.maxConcurrentHashes = cfg.getInt("auth.max_concurrent_hashes", c.maxConcurrentHashes);
  c.hashWaitMilliseconds = cfg.getInt("auth.hash_wait_ms", c.hashWaitMilliseconds);
  c.sweepIntervalSeconds = cfg.getInt("sweep.interval_seconds", c.sweepIntervalSeconds);
  c.webhookIntervalSeconds = cfg.getInt("webhook.interval_seconds", c.webhookIntervalSeconds);
  c.webhookTimeoutSeconds = cfg.getInt("webhook.timeout_seconds", c.webhookTimeoutSeconds);
  c.webhookMaxAttempts = cfg.getInt("webhook.max_attempts", c.webhookMaxAttempts);
  c.holidaysExtraFile = cfg.getString("calendar.extra_file", c.holidaysExtraFile);
  c.defaultLocale = cfg.getString("i18n.default_locale", c.defaultLocale);
  c.logLevel = cfg.getString("log.level", c.logLevel);
  c.logFile = cfg.getString("log.file", c.logFile);
  c.logMaxSizeMb = cfg.getInt("log.max_size_mb", c.logMaxSizeMb);
  c.logMaxFiles = cfg.getInt("log.max_files", c.logMaxFiles);
  if (c.logMaxSizeMb < 1) c.logMaxSizeMb = 1;
  if (c.logMaxFiles < 0) c.logMaxFiles = 0;
  if (c.minThreads < 1) c.minThreads = 1;
  if (c.maxThreads < c.minThreads) c.maxThreads = c.minThreads;
  if (c.headTimeoutSeconds < 1) c.headTimeoutSeconds = 1;
  return c;
}

}  // namespace liufang::web
