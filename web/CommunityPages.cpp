#include "web/CommunityPages.h"

#include <Poco/NumberParser.h>
#include <spdlog/spdlog.h>

#include "model/Clock.h"
#include "model/Errors.h"
#include "model/Hash.h"
#include "web/Site.h"
#include "web/View.h"
#include "workflow/Directory.h"
#include "workflow/Meetings.h"
#include "workflow/RosterPresets.h"
#include "workflow/Webhooks.h"

namespace liufang::web::pages {
namespace {

using Data = kainjow::mustache::data;

Data listOf() { return Data(Data::type::list); }

// The convener's own community; anyone else is refused before anything is read.
model::Community convenerCommunity(RequestContext& ctx) {
  const auto& u = *ctx.user;
  if (!u.convener || u.communityId == 0)
    throw Forbidden(Msg("Only the convener can set up the community."));
  auto c = ctx.site.store.findCommunity(u.communityId);
  if (!c) throw NotFound(Msg("No such community."));
  return *c;
}

// Which form failed and what was typed, so the page shows the message there and keeps the text.
struct Failed {
  std::string form;  // "preset", "party", "party:<code>", "user", "user:<name>"
  std::string error;
};

std::string typed(RequestContext& ctx, const Failed* f, const std::string& form,
                  const std::string& field, const std::string& otherwise) {
  return f && f->form == form ? ctx.form.get(field) : otherwise;
}

Data roles(RequestContext& ctx, const model::User& u) {
  Data out = listOf();
  auto add = [&](bool on, const char* msgid) {
    if (!on) return;
    Data r;
    r.set("label", ctx.tr(msgid));
    out.push_back(r);
  };
  add(u.convener, "Convener");
  add(u.representative, "Representative");
  add(u.supervisor, "Supervisor");
  return out;
}

const char* quorumRuleLabel(const std::string& rule) {
  if (rule == "majority_and_convener") return "A majority of the parties, the convening party among them";
  if (rule == "majority") return "A majority of the parties";
  if (rule == "two_thirds") return "Two thirds of the parties";
  if (rule == "all") return "Every party";
  return "Unknown rule";
}

const char* doneText(const std::string& done) {
  if (done == "meetings") return "The meeting settings were saved.";
  if (done == "webhook") return "The webhook was saved.";
  if (done == "webhook_off") return "The webhook was turned off.";
  if (done == "preset") return "The roster was filled from the preset.";
  if (done == "party_added") return "The party was added to the roster.";
  if (done == "party_saved") return "The party was saved.";
  if (done == "user_disabled") return "The account was disabled; its sessions have ended.";
  if (done == "user_enabled") return "The account was enabled again.";
  if (done == "user_added") return "The account was added.";
  if (done == "password_set") return "The password was set; the account's sessions have ended.";
  return nullptr;
}

Response render(RequestContext& ctx, const model::Community& c, const Failed* failed, int status,
                const std::string& shownPassword = {}, const std::string& shownFor = {}) {
  workflow::Directory dir(ctx.site.store);
  Data d = baseData(ctx, ctx.tr("Community setup"));
  d.set("nav_community", true);
  d.set("community_name", c.name);
  d.set("community_code", c.code);
  if (const char* done = doneText(ctx.query.get("done"))) d.set("flash", ctx.tr(done));
  d.set("has_flash_error", failed != nullptr);
  if (failed) d.set("flash_error", failed->error);
  auto errorFor = [&](const std::string& form) {
    return failed && failed->form == form ? failed->error : std::string();
  };
  // An empty string is truthy to kainjow: sections test has_<key>.
  auto setError = [&](Data& into, const std::string& key, const std::string& form) {
    into.set(key, errorFor(form));
    into.set("has_" + key, !errorFor(form).empty());
  };

  const auto roster = ctx.site.store.parties(c.id);
  d.set("roster_empty", roster.empty());
  Data presets = listOf();
  const std::string chosen = typed(ctx, failed, "preset", "preset", "");
  for (const auto& p : workflow::rosterPresets()) {
    Data o;
    o.set("code", p.code);
    o.set("name", p.name);
    o.set("summary", ctx.tr(p.summary));
    o.set("checked", p.code == chosen);
    Data parties = listOf();
    for (const auto& pp : p.parties) {
      Data q;
      q.set("css", "preset-" + p.code + "-" + std::to_string(parties.list_value().size()));
      q.set("name", pp.name);
      q.set("colour", pp.colour);
      q.set("convening", pp.convening);
      parties.push_back(q);
    }
    o.set("parties", parties);
    presets.push_back(o);
  }
  d.set("presets", presets);
  setError(d, "preset_error", "preset");

  Data rows = listOf();
  for (const auto& p : roster) {
    const std::string form = "party:" + p.code;
    Data r;
    r.set("code", p.code);
    r.set("name", typed(ctx, failed, form, "name", p.name));
    r.set("short_name", typed(ctx, failed, form, "short_name", p.shortName));
    r.set("badge", p.shortName.empty() ? p.name : p.shortName);
    r.set("colour", typed(ctx, failed, form, "colour", p.colour.empty() ? "#5a6470" : p.colour));
    r.set("order", typed(ctx, failed, form, "order", std::to_string(p.sortOrder)));
    r.set("party_class", Names::partyClass(c.id, p.code));
    setError(r, "error", form);
    rows.push_back(r);
  }
  d.set("parties", rows);
  d.set("new_code", typed(ctx, failed, "party", "code", ""));
  d.set("new_name", typed(ctx, failed, "party", "name", ""));
  d.set("new_short_name", typed(ctx, failed, "party", "short_name", ""));
  d.set("new_colour", typed(ctx, failed, "party", "colour", "#5a6470"));
  setError(d, "party_error", "party");

  Names names(ctx);
  Data users = listOf();
  for (const auto& u : dir.communityUsers(c.code)) {
    Data r;
    r.set("username", u.username);
    r.set("display_name", u.displayName);
    r.set("has_party", !u.party.empty());
    r.set("party_name", names.party(c.id, u.party));
    r.set("party_class", Names::partyClass(c.id, u.party));
    r.set("roles", roles(ctx, u));
    r.set("disabled", u.disabled);
    r.set("is_me", u.id == ctx.user->id);
    setError(r, "error", "user:" + u.username);
    // Every row sets its own keys: a missing one would fall back to the page's (mustache).
    r.set("row_has_password", !shownPassword.empty() && u.username == shownFor);
    r.set("row_password", u.username == shownFor ? shownPassword : std::string());
    users.push_back(r);
  }
  d.set("users", users);
  const std::string party = typed(ctx, failed, "user", "party", "");
  d.set("party_options", codeOptions(roster, party));
  d.set("user_username", typed(ctx, failed, "user", "username", ""));
  d.set("user_display_name", typed(ctx, failed, "user", "display_name", ""));
  d.set("user_convener", failed && failed->form == "user" && ctx.form.has("convener"));
  setError(d, "user_error", "user");
  d.set("has_new_password", !shownPassword.empty() && shownFor.empty());
  d.set("new_password", shownPassword);
  d.set("min_password", std::to_string(dir.passwordPolicy().minChars()));

  // Meeting settings (the meeting machine's rules, set through Directory).
  const bool sf = failed && failed->form == "meetings";
  setError(d, "meetings_error", "meetings");
  const std::string rule = sf ? ctx.form.get("quorum_rule") : c.quorumRule;
  Data rules = listOf();
  for (const auto& r : workflow::quorumRules()) {
    Data o;
    o.set("value", r);
    o.set("label", ctx.tr(quorumRuleLabel(r)));
    o.set("selected", r == rule);
    rules.push_back(o);
  }
  d.set("quorum_rules", rules);
  const std::string convening =
      sf ? ctx.form.get("convening_party") : workflow::conveningPartyOf(c, roster);
  Data conv = listOf();
  for (const auto& p : roster) {
    Data o;
    o.set("value", p.code);
    o.set("label", p.name);
    o.set("selected", p.code == convening);
    conv.push_back(o);
  }
  d.set("convening_options", conv);
  // "weekly:5" / "monthly:1:3": shown as three selects.
  std::string freq = "none", weekday = "3", nth = "1";
  const std::string mr = sf ? "" : c.meetingRule;
  if (mr.rfind("weekly:", 0) == 0) {
    freq = "weekly";
    weekday = mr.substr(7);
  } else if (mr.rfind("monthly:", 0) == 0 && mr.size() >= 11) {
    freq = "monthly";
    nth = mr.substr(8, 1);
    weekday = mr.substr(10);
  }
  if (sf) {
    freq = ctx.form.get("frequency");
    weekday = ctx.form.get("weekday");
    nth = ctx.form.get("nth");
  }
  auto options = [&](const std::vector<std::pair<std::string, const char*>>& all,
                     const std::string& chosen) {
    Data out = listOf();
    for (const auto& [v, label] : all) {
      Data o;
      o.set("value", v);
      o.set("label", ctx.tr(label));
      o.set("selected", v == chosen);
      out.push_back(o);
    }
    return out;
  };
  d.set("frequency_options", options({{"none", "No regular meetings"},
                                      {"weekly", "Every week"},
                                      {"monthly", "Every month"}},
                                     freq));
  d.set("weekday_options", options({{"1", "Monday"},
                                    {"2", "Tuesday"},
                                    {"3", "Wednesday"},
                                    {"4", "Thursday"},
                                    {"5", "Friday"},
                                    {"6", "Saturday"},
                                    {"7", "Sunday"}},
                                   weekday));
  d.set("nth_options",
        options({{"1", "first"}, {"2", "second"}, {"3", "third"}, {"4", "fourth"}, {"5", "last"}},
                nth));
  d.set("meeting_time", sf ? ctx.form.get("meeting_time") : c.meetingTime);
  d.set("meeting_place", sf ? ctx.form.get("meeting_place") : c.meetingPlace);
  d.set("resolve_outside", sf ? ctx.form.has("resolve_outside") : c.resolveOutsideMeeting);
  // The outgoing webhook (workflow/Webhooks.h): the URL, whether it is on, never the secret.
  const auto hook = ctx.site.store.webhookOf(c.id);
  d.set("webhook_url", typed(ctx, failed, "webhook", "url", hook ? hook->url : std::string()));
  d.set("webhook_on", hook && hook->enabled);
  d.set("webhook_has_secret", hook.has_value());
  setError(d, "webhook_error", "webhook");
  return renderPage(ctx, "community", d, status);
}

// Runs a Directory write; on bad input re-renders the page with the message in `form`.
template <class F>
Response attempt(RequestContext& ctx, const model::Community& c, const std::string& form, F&& f) {
  try {
    return f();
  } catch (const Invalid& e) {
    Failed failed{form, ctx.site.i18n.render(ctx.lang, e.message())};
    return render(ctx, c, &failed, 400);
  } catch (const Conflict& e) {
    Failed failed{form, ctx.site.i18n.render(ctx.lang, e.message())};
    return render(ctx, c, &failed, 409);
  }
}

int orderField(RequestContext& ctx) {
  int v = 0;
  if (!Poco::NumberParser::tryParse(ctx.form.get("order"), v) || v < 1 || v > 999)
    throw Invalid(Msg("The order is a number from 1 to 999."));
  return v;
}

}  // namespace

Response partyStyles(RequestContext& ctx) {
  // The CSP forbids inline styles, so colours are classes: one rule per party the user can
  // see (their community; every community for a user tied to none) and per preset party.
  std::string css = "/* party colours */\n";
  auto rule = [&](const std::string& cls, const std::string& colour) {
    if (colour.size() == 7 && colour[0] == '#') css += "." + cls + "{background:" + colour + "}\n";
  };
  for (const auto& c : ctx.site.store.communities()) {
    if (ctx.user->communityId != 0 && c.id != ctx.user->communityId) continue;
    for (const auto& p : ctx.site.store.parties(c.id))
      rule(Names::partyClass(c.id, p.code), p.colour);
  }
  for (const auto& p : workflow::rosterPresets())
    for (size_t i = 0; i < p.parties.size(); ++i)
      rule("preset-" + p.code + "-" + std::to_string(i), p.parties[i].colour);
  Response r;
  r.contentType = "text/css; charset=utf-8";
  const std::string etag = "\"" + model::sha256Hex(css).substr(0, 32) + "\"";
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", "private, no-cache");  // revalidated: a 304 is cheap
  if (ctx.request.get("If-None-Match", "") == etag) {
    r.status = 304;
    return r;
  }
  r.body = css;
  return r;
}

Response communitySettings(RequestContext& ctx) {
  return render(ctx, convenerCommunity(ctx), nullptr, 200);
}

Response applyPreset(RequestContext& ctx) {
  const auto c = convenerCommunity(ctx);
  return attempt(ctx, c, "preset", [&] {
    if (ctx.form.get("preset").empty()) throw Invalid(Msg("Choose a preset."));
    workflow::Directory(ctx.site.store).applyPreset(c.code, ctx.form.get("preset"));
    spdlog::info("roster preset {} applied community={} user={} rid={}",
                 logSafe(ctx.form.get("preset")), c.code, ctx.user->username, ctx.requestId);
    return Response::redirect("/community?done=preset");
  });
}

Response addParty(RequestContext& ctx) {
  const auto c = convenerCommunity(ctx);
  return attempt(ctx, c, "party", [&] {
    model::Party p;
    p.code = ctx.form.get("code");
    p.name = ctx.form.get("name");
    p.shortName = ctx.form.get("short_name");
    p.colour = ctx.form.get("colour");
    workflow::Directory(ctx.site.store).addParty(c.code, p);
    spdlog::info("party {} added community={} user={} rid={}", logSafe(p.code), c.code,
                 ctx.user->username, ctx.requestId);
    return Response::redirect("/community?done=party_added");
  });
}

Response saveParty(RequestContext& ctx) {
  const auto c = convenerCommunity(ctx);
  const std::string code = ctx.params.at("code");
  return attempt(ctx, c, "party:" + code, [&] {
    model::Party p;
    p.code = code;
    p.name = ctx.form.get("name");
    p.shortName = ctx.form.get("short_name");
    p.colour = ctx.form.get("colour");
    p.sortOrder = orderField(ctx);
    workflow::Directory(ctx.site.store)
        .updateParty(c.code, p, model::formatInstant(ctx.site.clock.now()));
    spdlog::info("party {} saved community={} user={} rid={}", logSafe(code), c.code,
                 ctx.user->username, ctx.requestId);
    return Response::redirect("/community?done=party_saved#party-" + code);
  });
}

Response saveMeetingSettings(RequestContext& ctx) {
  const auto c = convenerCommunity(ctx);
  return attempt(ctx, c, "meetings", [&] {
    workflow::Directory dir(ctx.site.store);
    const std::string freq = ctx.form.get("frequency");
    std::string rule;
    if (freq == "weekly") rule = "weekly:" + ctx.form.get("weekday");
    if (freq == "monthly") rule = "monthly:" + ctx.form.get("nth") + ":" + ctx.form.get("weekday");
    workflow::MeetingSettings s;
    s.quorumRule = ctx.form.get("quorum_rule");
    s.conveningParty = ctx.form.get("convening_party");
    s.meetingRule = rule;
    s.meetingTime = ctx.form.get("meeting_time");
    s.meetingPlace = ctx.form.get("meeting_place");
    s.resolveOutsideMeeting = ctx.form.has("resolve_outside");
    dir.setMeetingSettings(c.code, s);  // all checked, then one write
    spdlog::info("meeting settings saved community={} user={} rid={}", c.code,
                 ctx.user->username, ctx.requestId);
    return Response::redirect("/community?done=meetings#meeting-settings");
  });
}

Response saveWebhook(RequestContext& ctx) {
  const auto c = convenerCommunity(ctx);
  return attempt(ctx, c, "webhook", [&] {
    const bool off = ctx.form.get("action") == "off";
    if (off)
      workflow::disableCommunityWebhook(ctx.site.store, ctx.site.clock, c.code);
    else
      workflow::setCommunityWebhook(ctx.site.store, ctx.site.clock, c.code, ctx.form.get("url"),
                                    ctx.form.get("secret"));
    // The URL may carry a token of the receiver's: it is not logged, nor is the secret.
    spdlog::info("webhook {} community={} user={} rid={}", off ? "turned off" : "saved", c.code,
                 ctx.user->username, ctx.requestId);
    return Response::redirect(std::string("/community?done=") + (off ? "webhook_off" : "webhook") +
                              "#webhook-settings");
  });
}

Response addAccount(RequestContext& ctx) {
  const auto c = convenerCommunity(ctx);
  return attempt(ctx, c, "user", [&] {
    workflow::Directory dir(ctx.site.store);
    workflow::NewUser nu;
    nu.username = ctx.form.get("username");
    nu.displayName = ctx.form.get("display_name");
    nu.communityCode = c.code;
    nu.party = ctx.form.get("party");
    nu.convener = ctx.form.has("convener");
    nu.representative = !nu.party.empty();
    if (!nu.convener && nu.party.empty())
      throw Invalid(Msg("Choose the party the account speaks for."));
    std::string password = ctx.form.get("password");
    const bool generated = password.empty();
    if (generated) password = dir.generatePassword(nu.username);
    dir.addUser(nu, password);
    spdlog::info("account {} added community={} user={} rid={}", logSafe(nu.username), c.code,
                 ctx.user->username, ctx.requestId);
    // A generated password is shown on this answer only; it is never stored in clear.
    if (generated) return render(ctx, c, nullptr, 200, password, nu.username);
    return Response::redirect("/community?done=user_added#user-" + nu.username);
  });
}

Response changeAccount(RequestContext& ctx) {
  const auto c = convenerCommunity(ctx);
  const std::string username = ctx.params.at("username");
  workflow::Directory dir(ctx.site.store);
  const model::User target = dir.user(username);
  if (target.communityId != c.id) throw NotFound(Msg("There is no user '{1}'.").arg(username));
  const std::string action = ctx.form.get("action");
  return attempt(ctx, c, "user:" + username, [&] {
    if (action == "disable") {
      if (target.id == ctx.user->id) throw Invalid(Msg("You cannot disable your own account."));
      dir.disableUser(username);
    } else if (action == "enable") {
      dir.enableUser(username);
    } else if (action == "password") {
      std::string password = ctx.form.get("password");
      const bool generated = password.empty();
      if (generated) password = dir.generatePassword(username);
      dir.setPassword(username, password);
      spdlog::info("password reset for {} community={} user={} rid={}", logSafe(username),
                   c.code, ctx.user->username, ctx.requestId);
      if (generated) return render(ctx, c, nullptr, 200, password, username);
      return Response::redirect("/community?done=password_set#user-" + username);
    } else {
      throw Invalid(Msg("Unknown account action '{1}'.").arg(action));
    }
    spdlog::info("account {} {} community={} user={} rid={}", logSafe(username), action, c.code,
                 ctx.user->username, ctx.requestId);
    return Response::redirect("/community?done=user_" + action + "d#user-" + username);
  });
}

}  // namespace liufang::web::pages
