#pragma once
// The convener's community setup (/community): the roster from a preset, each party's name,
// short name, colour and order, and the party representatives' accounts. Every write goes
// through workflow::Directory; a non-convener gets 403.
#include "web/Http.h"

namespace liufang::web::pages {

Response partyStyles(RequestContext& ctx);        // GET /parties.css: party colour classes
Response communitySettings(RequestContext& ctx);  // GET /community
Response applyPreset(RequestContext& ctx);        // POST /community/preset (preset=CODE)
Response addParty(RequestContext& ctx);           // POST /community/parties
Response saveParty(RequestContext& ctx);          // POST /community/parties/{code}
// POST /community/meetings: quorum rule and convening party, how regular meetings recur (and
// their usual time and place), whether items may be resolved outside a meeting.
Response saveMeetingSettings(RequestContext& ctx);
// POST /community/webhook (url, secret — blank keeps the current one; action=off turns it off)
Response saveWebhook(RequestContext& ctx);
Response addAccount(RequestContext& ctx);         // POST /community/users
// POST /community/users/{username} (action=disable|enable|password, password? — blank: a
// generated one, shown once on the answer page)
Response changeAccount(RequestContext& ctx);

}  // namespace liufang::web::pages
