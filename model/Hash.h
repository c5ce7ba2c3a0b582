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

// prev_hash of a stream's first event: binds the chain to the stream's kind and id
// (SHA-256 of "liufang:<kind>:<id>", so items written before streams verify unchanged).
std::string genesisHash(const StreamRef& stream);
// The genesis of item `itemId`.
inline std::string genesisHash(int64_t itemId) { return genesisHash(StreamRef{"item", itemId}); }

}  // namespace liufang::model
