#include "workflow/AgendaSuggestion.h"

#include <algorithm>

namespace liufang::workflow {

std::vector<model::Item> suggestedAgenda(model::Store& store, int64_t communityId, int limit) {
  std::vector<model::Item> out;
  for (const char* state : {"deadline.overdue", "proposal"}) {
    model::ItemQuery q;
    q.communityId = communityId;
    q.state = state;
    q.limit = limit;
    auto items = store.listItems(q);  // newest first
    std::reverse(items.begin(), items.end());
    for (auto& i : items)
      if (static_cast<int>(out.size()) < limit) out.push_back(std::move(i));
  }
  return out;
}

}  // namespace liufang::workflow
