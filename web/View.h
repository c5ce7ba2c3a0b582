#pragma once
// What every HTML page shares: the layout's data (who is signed in, navigation, language
// switch, CSRF token, flash message) and the conversions pages use to show stored values.
#include <cstdint>
#include <kainjow/mustache.hpp>
#include <map>
#include <string>
#include <vector>

#include "model/Types.h"
#include "web/Http.h"
#include "workflow/PartyNames.h"

namespace liufang::web {

// The layout's data for this request; a page adds its own keys and passes it to renderPage.
// `title` is the page title (already translated).
kainjow::mustache::data baseData(RequestContext& ctx, const std::string& title);

// A <select>'s options, {code, name, selected}, from records with .code and .name (a roster's
// parties, communities), the one whose code is `selected` chosen.
template <class Records>
kainjow::mustache::data codeOptions(const Records& records, const std::string& selected) {
  kainjow::mustache::data list(kainjow::mustache::data::type::list);
  for (const auto& r : records) {
    kainjow::mustache::data o;
    o.set("code", r.code);
    o.set("name", r.name);
    o.set("selected", r.code == selected);
    list.push_back(o);
  }
  return list;
}

// Renders templates/<name>.mustache inside the layout as an HTML response.
Response renderPage(RequestContext& ctx, const std::string& name,
                    const kainjow::mustache::data& data, int status = 200);

// Looks up display names of parties and users once per request.
class Names {
 public:
  // The signed-in user is known already: their name costs no lookup.
  explicit Names(RequestContext& ctx) : ctx_(ctx) {
    if (ctx.user) users_.emplace(ctx.user->id, *ctx.user);
  }
  // The party's roster name in the community, or the code if unknown.
  std::string party(int64_t communityId, const std::string& code);
  // A user's display name ("username" if it has none); the system's name for 0.
  std::string user(int64_t userId);
  std::string username(int64_t userId);
  // "2026-03-01 14:05" in the community's time zone, for a stored instant.
  std::string localTime(int64_t communityId, const std::string& instant);
  const model::Community* community(int64_t id);
  // The community's roster in display order, read once per request.
  const std::vector<model::Party>& parties(int64_t communityId);
  // The party's name as it was at `instant` (renamed parties keep old events' names).
  std::string partyAt(int64_t communityId, const std::string& code, const std::string& instant);
  // The CSS class of the party's colour, from /parties.css (the CSP allows no inline style):
  // "party-<communityId>-<code>".
  static std::string partyClass(int64_t communityId, const std::string& code);
  // The party's short name (its name if it has none).
  std::string partyShort(int64_t communityId, const std::string& code);

 private:
  const std::map<std::string, std::string>& roster(int64_t communityId);

  RequestContext& ctx_;
  std::map<int64_t, std::map<std::string, std::string>> rosters_;
  std::map<int64_t, std::vector<model::Party>> partyLists_;
  std::map<int64_t, model::User> users_;
  std::map<int64_t, model::Community> communities_;
  std::map<int64_t, workflow::PartyNameHistory> histories_;
};

}  // namespace liufang::web
