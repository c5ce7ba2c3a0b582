#pragma once
// The event log's hash chain.
#include <string>

#include "model/Types.h"

namespace liufang::model {

// Lower-case hex SHA-256 of bytes.
std::string sha256Hex(const std::string& bytes);

// The hash a row must carry: SHA-256 over prev_hash and the row's canonical form (every
// column but hash, unit-separator joined, in a fixed order).
std::string eventHash(const EventRecord& e);

// prev_hash of an item's first event: binds the chain to the item id.
std::string genesisHash(int64_t itemId);

}  // namespace liufang::model
