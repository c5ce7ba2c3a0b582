#pragma once
// `liufang export` / `liufang import`: the whole database as JSON lines, for moving to another
// store or keeping a readable copy. One object per line, a "type" member first:
//   {"type":"liufang-export","format":1,"schema":N}
//   community, party, user, meeting lines (the directory, ids kept)
//   per stream: {"type":"stream","kind":K,"id":N,"communityId":C,"events":n}, then its n
//   {"type":"event",...} rows in seq order with prevHash and hash
//   {"type":"end","streams":S,"events":E}   (a truncated file has no end line)
// Import rebuilds a fresh database from that: the directory, then each stream's rows checked
// against its hash chain and run through the kind's machine (StreamKind::replay) to get the
// projection, written with the store's WriteTx in one transaction per stream.
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>

#include "model/Calendar.h"
#include "model/Store.h"

namespace liufang::workflow {

// Writes every community, party, user (password hashes only if withPasswordHashes), meeting
// and every stream of every built-in kind to `out`. Throws StorageError on a read failure.
void exportJsonl(model::Store& store, std::ostream& out, bool withPasswordHashes);

struct ImportReport {
  int64_t communities = 0, parties = 0, users = 0, meetings = 0;
  std::map<std::string, int64_t> streams;  // kind -> streams imported
  int64_t events = 0;
};

// Reads an export from `in` into `store`, which must hold no communities yet. Throws
// StorageError naming the line when the file is malformed, truncated, breaks a stream's hash
// chain, refers to an unknown kind, or when an id cannot be kept (ids are part of the chain).
// What was written before the throw stays: import into a new file and delete it on failure.
ImportReport importJsonl(std::istream& in, model::Store& store,
                         const model::HolidayCalendar& calendar);

}  // namespace liufang::workflow
