#pragma once
// `liufang verify`: for every machine kind, checks each stream's hash chain and replays its log
// through the same machine, and checks that each stored projection equals the replay.
#include <cstdint>
#include <map>
#include <string>

#include "model/Calendar.h"
#include "model/Store.h"

namespace liufang::workflow {

struct VerifyReport {
  bool ok = true;
  std::map<std::string, int64_t> streams;  // kind -> streams checked
  int64_t items = 0;                       // streams of kind "item"
  int64_t events = 0;                      // rows checked, every kind
  std::map<std::string, int64_t> byState;  // item state (full name) -> count
  std::string badKind;                     // kind of the first bad stream (ok == false)
  int64_t badItem = 0;                     // id of the first bad stream
  int64_t badSeq = 0;                      // first bad seq in it (0: the projection itself)
  std::string problem;                     // what was wrong, in English
};

// Checks every stream of every built-in kind; stops at the first bad one.
VerifyReport verifyStore(model::Store& store, const model::HolidayCalendar& calendar);

}  // namespace liufang::workflow
