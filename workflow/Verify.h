#pragma once
// `liufang verify`: replays every item's log through the same machine and checks the hash
// chain and that each stored projection equals the replay.
#include <cstdint>
#include <map>
#include <string>

#include "model/Calendar.h"
#include "model/Store.h"

namespace liufang::workflow {

struct VerifyReport {
  bool ok = true;
  int64_t items = 0;
  int64_t events = 0;
  std::map<std::string, int64_t> byState;  // full state name -> item count
  int64_t badItem = 0;                     // first bad item (ok == false)
  int64_t badSeq = 0;                      // first bad seq in it (0: the projection itself)
  std::string problem;                     // what was wrong, in English
};

// Checks every item; stops at the first bad one.
VerifyReport verifyStore(model::Store& store, const model::HolidayCalendar& calendar);

}  // namespace liufang::workflow
