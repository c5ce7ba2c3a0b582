#pragma once
// The demo community 桃源居 with its six parties, users, meetings and items in every state.
#include <string>
#include <vector>

#include "model/Clock.h"
#include "model/Store.h"

namespace liufang::workflow {

struct DemoAccount {
  std::string username;
  std::string password;
  std::string role;  // what this account does, zh-CN
};

// Fills an empty store through the Engine (so the demo's logs verify). `now` is the real
// present: the demo's history is laid out in the weeks before it. Returns the accounts.
std::vector<DemoAccount> createDemo(model::Store& store, model::Instant now);

}  // namespace liufang::workflow
