#pragma once
// Who acts, and what they ask for: the two inputs of every Engine command besides the stream.
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

#include "model/Types.h"

namespace liufang::workflow {

// Who is acting. Roles combine (the secretary is convener and speaks for 党委).
struct Actor {
  int64_t userId = 0;  // 0 for the system
  std::string username;
  int64_t communityId = 0;  // 0: every community (a district supervisor)
  std::string party;        // roster code the user speaks for; empty if none
  bool convener = false;
  bool representative = false;
  bool supervisor = false;
  bool system = false;
  std::string requestId;  // the HTTP request acting, for log context; empty elsewhere

  static Actor fromUser(const model::User& u);
  // The deadline sweep's identity: may fire system events (tick) only.
  static Actor systemActor();
  // A representative with a party to speak for.
  bool speaksForParty() const { return representative && !party.empty(); }
};

// An event to apply: its DESIGN.md §2 name and its fields, as the JSON API receives them.
// Lenient on form input: booleans may be "true"/"1"/"on", lists a JSON array or a comma string.
struct Command {
  std::string type;
  Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;

  Command() = default;
  explicit Command(std::string t) : type(std::move(t)) {}
  Command& set(const std::string& key, const Poco::Dynamic::Var& value) {
    fields->set(key, value);
    return *this;
  }
};

}  // namespace liufang::workflow
