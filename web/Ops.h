#pragma once
// The routes for whoever runs the server, not its users: liveness, readiness and metrics.
#include "web/Http.h"

namespace liufang::web::ops {

// GET /livez: 200 "alive" while the process answers HTTP at all; touches no database.
Response live(RequestContext& ctx);
// GET /readyz: 200 "ready schema=N" if the database answers a trivial query, else 503, so a
// load balancer sends no traffic to a node that cannot serve it.
Response ready(RequestContext& ctx);
// GET /metrics: the Prometheus text (web/Metrics.h) to addresses in metrics.allow, 403 to
// anyone else (the counts say how busy the site is and which refusals happen).
Response metrics(RequestContext& ctx);

}  // namespace liufang::web::ops
