// The webhook delivery log page (see WebhookPages.h, workflow/Webhooks.h).
#include "web/WebhookPages.h"

#include "web/Site.h"
#include "web/View.h"
#include "workflow/Inbox.h"
#include "workflow/Webhooks.h"

namespace liufang::web::pages {

namespace {

using Data = kainjow::mustache::data;

// "500 Internal Server Error", "timed out after 5 s", or "-" before the first attempt.
std::string outcomeText(int status, const std::string& error) {
  if (status == 0 && error.empty()) return "-";
  std::string s = status ? std::to_string(status) : std::string();
  if (!error.empty()) s += (s.empty() ? "" : " ") + error;
  return s;
}

}  // namespace

Response webhookLog(RequestContext& ctx) {
  const model::User& u = *ctx.user;
  const auto rows = workflow::webhookLog(ctx.site.store, u);  // Forbidden for others
  Names names(ctx);
  Data list{Data::type::list};
  for (const auto& r : rows) {
    const auto& d = r.delivery;
    Data row;
    row.set("id", std::to_string(d.id));
    model::Notice n;
    n.kind = d.kind, n.type = d.type;
    row.set("event", ctx.tr(workflow::noticeLabel(n)));
    row.set("type", d.type);
    row.set("href", r.href);
    row.set("subject", (d.kind == "meeting" ? ctx.tr("Meeting") : ctx.tr("Item")) + " #" +
                           std::to_string(d.streamId));
    row.set("title", r.title);
    if (u.communityId == 0) {
      const auto* c = names.community(d.communityId);
      row.set("community", c ? c->name : std::to_string(d.communityId));
    }
    row.set("attempts", std::to_string(d.attempts));
    row.set("last", outcomeText(d.lastStatus, d.lastError));
    const std::string status = !d.deliveredAt.empty() ? "delivered"
                               : d.failed             ? "failed"
                                                      : "pending";
    row.set("status", status);
    row.set("status_label", ctx.tr(status == "delivered" ? "Delivered"
                                   : status == "failed"  ? "Failed, given up"
                                                         : "Pending"));
    row.set("next", status == "pending" ? names.localTime(d.communityId, d.nextAttemptAt)
                                        : std::string("-"));
    row.set("delivered",
            d.deliveredAt.empty() ? std::string("-") : names.localTime(d.communityId, d.deliveredAt));
    Data attempts{Data::type::list};
    for (const auto& a : r.attempts) {
      Data at;
      at.set("at", names.localTime(d.communityId, a.at));
      at.set("outcome", outcomeText(a.status, a.error));
      at.set("ms", std::to_string(a.durationMs));
      attempts.push_back(at);
    }
    row.set("attempt_list", attempts);
    row.set("has_attempts", !r.attempts.empty());
    list.push_back(row);
  }
  Data d = baseData(ctx, ctx.tr("Webhook deliveries"));
  d.set("nav_webhooks", true);
  d.set("rows", list);
  d.set("has_rows", !rows.empty());
  if (u.communityId != 0) {
    const auto w = ctx.site.store.webhookOf(u.communityId);
    d.set("has_config", w.has_value());
    if (w) {
      d.set("config_url", w->url);
      d.set("config_state", ctx.tr(w->enabled ? "On" : "Off"));
    }
  }
  d.set("show_community", u.communityId == 0);
  return renderPage(ctx, "webhooks", d);
}

}  // namespace liufang::web::pages
