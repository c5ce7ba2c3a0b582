// The in-app inbox page (see InboxPages.h, workflow/Inbox.h).
#include "web/InboxPages.h"

#include "web/Site.h"
#include "web/View.h"
#include "workflow/Inbox.h"

namespace liufang::web::pages {

using Data = kainjow::mustache::data;

Response inbox(RequestContext& ctx) {
  const auto notices = workflow::inboxOf(ctx.site.store, ctx.user->id);
  Names names(ctx);
  Data rows{Data::type::list};
  for (const auto& n : notices) {
    Data r;
    r.set("id", std::to_string(n.id));
    r.set("label", ctx.tr(workflow::noticeLabel(n)));
    r.set("href", workflow::noticeHref(n));
    // "#10 小区东门路灯不亮": the title comes with the notice (one query for the page).
    r.set("what", (n.kind == "meeting" ? ctx.tr("Meeting") + " " : std::string()) + "#" +
                      std::to_string(n.streamId) + (n.title.empty() ? "" : " " + n.title));
    r.set("at", names.localTime(ctx.user->communityId, n.at));
    r.set("unread", !n.read);
    rows.push_back(r);
  }
  Data d = baseData(ctx, ctx.tr("Inbox"));
  d.set("nav_inbox", true);
  d.set("notices", rows);
  d.set("has_notices", !notices.empty());
  return renderPage(ctx, "inbox", d);
}

Response markNoticeRead(RequestContext& ctx) {
  workflow::markNoticesRead(ctx.site.store, ctx.user->id, ctx.idParam("id"));
  return Response::redirect("/inbox");
}

Response markAllRead(RequestContext& ctx) {
  workflow::markNoticesRead(ctx.site.store, ctx.user->id, 0);
  return Response::redirect("/inbox");
}

}  // namespace liufang::web::pages
