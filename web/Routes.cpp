// The site map: every route, in match order. The first row whose method and pattern match
// handles the request; anything else is a 404 page (405 when only the method is wrong).
#include "web/Api.h"
#include "web/CalendarPages.h"
#include "web/CommunityPages.h"
#include "web/InboxPages.h"
#include "web/MeetingPages.h"
#include "web/MeetingApi.h"
#include "web/Ops.h"
#include "web/Pages.h"
#include "web/ResidentPages.h"
#include "web/WebhookPages.h"
#include "web/Router.h"
#include "web/Supervision.h"

namespace liufang::web {

std::vector<Route> siteRoutes() {
  using A = Access;
  using C = Csrf;
  return {
      // ---- pages
      {"GET", "/", A::Public, C::None, pages::home},
      {"GET", "/login", A::Public, C::None, pages::loginForm},
      {"POST", "/login", A::Public, C::LoginForm, pages::login},
      {"POST", "/logout", A::SignedIn, C::Session, pages::logout},
      {"GET", "/lang", A::Public, C::None, pages::switchLanguage},
      {"GET", "/desk", A::SignedIn, C::None, pages::desk},
      {"GET", "/items", A::SignedIn, C::None, pages::itemList},
      {"GET", "/items/new", A::SignedIn, C::None, pages::newItemForm},  // before /items/{id}
      {"POST", "/items", A::SignedIn, C::Session, pages::createItem},
      {"GET", "/items/{id}", A::SignedIn, C::None, pages::itemPage},
      {"POST", "/items/{id}/events", A::SignedIn, C::Session, pages::fireEvent},
      // community setup: the convener's roster, colours and accounts (CommunityPages.cpp)
      {"GET", "/parties.css", A::SignedIn, C::None, pages::partyStyles},
      {"GET", "/community", A::SignedIn, C::None, pages::communitySettings},
      {"POST", "/community/preset", A::SignedIn, C::Session, pages::applyPreset},
      {"POST", "/community/parties", A::SignedIn, C::Session, pages::addParty},
      {"POST", "/community/parties/{code}", A::SignedIn, C::Session, pages::saveParty},
      {"POST", "/community/meetings", A::SignedIn, C::Session, pages::saveMeetingSettings},
      {"POST", "/community/users", A::SignedIn, C::Session, pages::addAccount},
      {"POST", "/community/users/{username}", A::SignedIn, C::Session, pages::changeAccount},
      // meetings (MeetingPages.cpp): /meetings.ics before /meetings/{id}
      {"GET", "/meetings", A::SignedIn, C::None, pages::meetingList},
      {"POST", "/meetings", A::SignedIn, C::Session, pages::scheduleMeeting},
      {"GET", "/meetings.ics", A::SignedIn, C::None, pages::meetingsCalendar},
      {"GET", "/meetings/{id}", A::SignedIn, C::None, pages::meetingPage},
      {"POST", "/meetings/{id}/events", A::SignedIn, C::Session, pages::meetingEvent},
      {"GET", "/meetings/{id}/live", A::SignedIn, C::None, pages::meetingLive},
      {"POST", "/meetings/{id}/items/{item}/events", A::SignedIn, C::Session,
       pages::meetingItemEvent},
      {"GET", "/meetings/{id}/minutes", A::SignedIn, C::None, pages::meetingMinutes},
      {"GET", "/meetings/{id}/decisions.csv", A::SignedIn, C::None, pages::meetingDecisionsCsv},
      {"GET", "/static/{name}", A::Public, C::None, pages::staticFile},
      {"GET", "/healthz", A::Public, C::None, pages::health},  // alive and one trivial query
      // the supervision desk (督查台) and the ledger (台账); supervisors and conveners
      {"GET", "/supervision", A::SignedIn, C::None, pages::supervision},
      {"GET", "/ledger", A::SignedIn, C::None, pages::ledgerPage},
      {"GET", "/ledger.csv", A::SignedIn, C::None, pages::ledgerCsv},
      // the in-app inbox (InboxPages.cpp)
      {"GET", "/inbox", A::SignedIn, C::None, pages::inbox},
      {"POST", "/inbox/read", A::SignedIn, C::Session, pages::markAllRead},
      {"POST", "/inbox/{id}/read", A::SignedIn, C::Session, pages::markNoticeRead},
      // the webhook delivery log (WebhookPages.cpp)
      {"GET", "/webhooks", A::SignedIn, C::None, pages::webhookLog},
      {"POST", "/community/webhook", A::SignedIn, C::Session, pages::saveWebhook},
      // the deadline calendar (CalendarPages.cpp); the feed needs no session, only its token
      {"GET", "/calendar", A::SignedIn, C::None, pages::calendarPage},
      {"POST", "/calendar", A::SignedIn, C::Session, pages::createCalendar},
      {"POST", "/calendar/revoke", A::SignedIn, C::Session, pages::revokeCalendar},
      {"GET", "/calendar/{file}", A::Public, C::None, pages::calendarFeed},

      // ---- residents (no sign-in): requests, tracking, the public board; and their moderation.
      // The public form has no CSRF token: it needs no session, and what a forged post could
      // do (submit a request) anyone may do; the per-address limit bounds both.
      {"GET", "/request/{community}", A::Public, C::None, residents::requestForm},
      {"POST", "/request/{community}", A::Public, C::None, residents::submitRequest},
      {"GET", "/track", A::Public, C::None, residents::trackLookup},
      {"GET", "/track/{number}", A::Public, C::None, residents::track},
      {"GET", "/requests", A::SignedIn, C::None, residents::queue},
      {"POST", "/requests/{id}/events", A::SignedIn, C::Session, residents::moderate},
      {"GET", "/board/{community}", A::Public, C::None, board::page},
      {"GET", "/board/{community}/atom.xml", A::Public, C::None, board::atom},
      {"GET", "/board/{community}/poster", A::Public, C::None, board::poster},
      {"POST", "/board/{community}/items/{id}/visibility", A::SignedIn, C::Session,
       board::setVisibility},

      // ---- operations: liveness, readiness, metrics (metrics.allow addresses only)
      {"GET", "/livez", A::Public, C::None, ops::live},
      {"GET", "/readyz", A::Public, C::None, ops::ready},
      {"GET", "/metrics", A::Public, C::None, ops::metrics},

      // ---- JSON API
      {"GET", "/api/v1/openapi.json", A::Public, C::None, api::openapi},
      {"POST", "/api/v1/session", A::Public, C::None, api::createSession},
      {"DELETE", "/api/v1/session", A::SignedIn, C::Session, api::deleteSession},
      {"GET", "/api/v1/me", A::SignedIn, C::None, api::me},
      {"GET", "/api/v1/items", A::SignedIn, C::None, api::listItems},
      {"POST", "/api/v1/items", A::SignedIn, C::Session, api::createItem},
      {"GET", "/api/v1/items/{id}", A::SignedIn, C::None, api::getItem},
      {"POST", "/api/v1/items/{id}/events", A::SignedIn, C::Session, api::fireEvent},
      {"GET", "/api/v1/scoreboard", A::SignedIn, C::None, api::scoreboard},
      {"GET", "/api/v1/meetings", A::SignedIn, C::None, api::listMeetings},
      {"POST", "/api/v1/meetings", A::SignedIn, C::Session, api::createMeeting},
      {"GET", "/api/v1/meetings/{id}", A::SignedIn, C::None, api::getMeeting},
      {"POST", "/api/v1/meetings/{id}/events", A::SignedIn, C::Session, api::fireMeetingEvent},
  };
}

}  // namespace liufang::web
