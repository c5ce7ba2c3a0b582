#pragma once
// Everything a request handler may use, built once per server and shared by all threads.
// Each member is safe for concurrent use: the store and engine by contract, the rest read-only.
#include <map>
#include <set>
#include <string>

#include "model/Clock.h"
#include "model/Store.h"
#include "web/Auth.h"
#include "web/Config.h"
#include "web/I18n.h"
#include "web/Metrics.h"
#include "web/RequestRateLimit.h"
#include "workflow/MeetingPlanning.h"
#include "web/Templates.h"
#include "workflow/Engine.h"

namespace liufang::web {

// A file under /static/: its bytes and the validators browsers cache it by.
struct StaticFile {
  std::string body;
  std::string contentType;
  std::string etag;  // quoted, content-derived
};

struct Site {
  // Loads templates (throws std::runtime_error on a broken one), catalogs and static files.
  Site(ServerConfig config, model::Store& store, workflow::Engine& engine,
       const model::Clock& clock);
  // Unsubscribes the metrics from the engine.
  ~Site();
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  const ServerConfig config;
  const std::set<std::string> trustedProxies;  // config.trustedProxySet(), parsed once
  model::Store& store;
  workflow::Engine& engine;
  const model::Clock& clock;
  const I18n i18n;
  const Templates templates;
  Auth auth;
  const std::map<std::string, StaticFile> statics;  // by name under /static/
  const std::string openapi;                        // the OpenAPI document (JSON text)
  Metrics metrics;  // subscribed to `engine`; also fed by the router and the background work
  RequestRateLimit requestLimit;  // the public request form, per client address
  // Deadline calendar feed fetches per link (CalendarPages.cpp); apps poll a few times an hour.
  RequestRateLimit calendarLimit{kCalendarFetchesPerHour};
  static constexpr int kCalendarFetchesPerHour = 120;
  // Schedules the next regular meeting when one is adjourned (subscribed to `engine`).
  workflow::RegularMeetingScheduler regularMeetings{engine};
};

}  // namespace liufang::web
