#pragma once
// The supervision desk (督查台) at /supervision, its figures as JSON at /api/v1/scoreboard, and
// the ledger (台账) as /ledger.csv and a printable /ledger page. The figures come from
// workflow/Scoreboard.h and the rows from workflow/Ledger.h; this file only shows them.
#include "model/ReadQueries.h"
#include "web/Http.h"
#include "workflow/Scoreboard.h"

namespace liufang::web {

// The period and scope a request asks for: ?from=YYYY-MM-DD&to=YYYY-MM-DD&community=CODE
// (absent: the 365 days up to today, every community the user sees). Throws Invalid for a
// malformed date, NotFound for an unknown community code.
workflow::ScorePeriod periodFromQuery(RequestContext& ctx);

// Narrows an item list to the items behind a figure when the request carries the figure's
// link parameters (from, to, lead, set); returns whether it did. Used by /items and
// /api/v1/items so each figure's link lists exactly what the figure counted.
bool applyFigureFilter(RequestContext& ctx, model::ItemQuery& q);

namespace pages {
Response supervision(RequestContext& ctx);  // GET /supervision
Response ledgerCsv(RequestContext& ctx);    // GET /ledger.csv
Response ledgerPage(RequestContext& ctx);   // GET /ledger
}  // namespace pages

namespace api {
Response scoreboard(RequestContext& ctx);  // GET /api/v1/scoreboard
}  // namespace api

}  // namespace liufang::web
