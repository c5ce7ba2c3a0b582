#include "web/Ops.h"

#include <spdlog/spdlog.h>

#include "web/Site.h"

namespace liufang::web::ops {

namespace {

Response text(std::string body, int status = 200) {
  Response r;
  r.status = status;
  r.contentType = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

}  // namespace

Response live(RequestContext&) { return text("alive\n"); }

Response ready(RequestContext& ctx) {
  try {
    return text("ready schema=" + std::to_string(ctx.site.store.schemaVersion()) + "\n");
  } catch (const std::exception& e) {
    spdlog::error("readiness check failed: {} rid={}", e.what(), ctx.requestId);
    Response r = text("not ready: the database does not answer\n", 503);
    r.headers.emplace_back("Retry-After", "5");
    return r;
  }
}

Response metrics(RequestContext& ctx) {
  if (!ctx.site.config.metricsAllowSet().count(ctx.clientAddress))
    return text("forbidden: metrics are served to metrics.allow addresses only\n", 403);
  Response r = text(ctx.site.metrics.render(ctx.site.config.dbPath));
  r.contentType = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

}  // namespace liufang::web::ops
