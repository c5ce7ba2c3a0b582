#pragma once
// Items as pages show them: table rows, the item page (facts, positions, timeline, the forms
// for exactly the events this user may fire now) and the JSON the API answers.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <kainjow/mustache.hpp>
#include <string>

#include "model/Types.h"
#include "web/Http.h"
#include "web/View.h"

namespace liufang::web {

// The item if it exists and the signed-in user may see it (same community, or a user tied to
// none); throws liufang::NotFound otherwise, so other communities' ids are not probeable.
model::Item loadVisibleItem(RequestContext& ctx, int64_t id);

// One row of an item table: number, title, state, light, lead, due date.
kainjow::mustache::data itemRow(RequestContext& ctx, Names& names, const model::Item& item);

// A submitted form that failed validation: which event, what was typed, the message.
struct FailedForm {
  std::string type;
  const FormFields* typed = nullptr;
  std::string error;
};

// The item page's data (baseData plus the item). failed, if given, keeps the user's input in
// that event's form and shows the message there.
kainjow::mustache::data itemPageData(RequestContext& ctx, const model::Item& item,
                                     const FailedForm* failed = nullptr);

// The API's item: id, title, description, state, light, lead, co, standard, due, decision,
// result, response, outcome, rating, proposer, positions, allowed and, with withEvents, the
// events (seq, type, at, actor, party, fields, from, to).
// With `applied` (the rows one command just appended, from Engine::apply), those rows are
// listed under "applied" instead of the whole log under "events": the answer to an event POST
// costs no read of the log.
Poco::JSON::Object::Ptr itemJson(RequestContext& ctx, Names& names, const model::Item& item,
                                 bool withEvents,
                                 const std::vector<model::EventRecord>* applied = nullptr);

// The positions as the API shows them: [{party, stance, reason, at}].
Poco::JSON::Array::Ptr positionsJson(const std::vector<model::Position>& positions);

}  // namespace liufang::web
