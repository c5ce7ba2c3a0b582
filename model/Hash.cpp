#include "model/Hash.h"

#include <stdexcept>

#include "model/Sodium.h"

namespace liufang::model {

std::string sha256Hex(const std::string& bytes) {
  ensureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::string eventHash(const EventRecord& e) {
  // The order and the separator are part of the on-disk format: changing either breaks
  // `liufang verify` on every existing database.
  static const char kSep = '\x1f';
  std::string canonical;
  canonical.reserve(e.prevHash.size() + e.at.size() + e.actorParty.size() + e.type.size() +
                    e.payload.size() + e.fromState.size() + e.toState.size() + 64);
  canonical += e.prevHash;
  canonical += kSep;
  // The kind is not in the row's hash: the genesis binds a chain to its kind.
  canonical += std::to_string(e.streamId);
  canonical += kSep;
  canonical += std::to_string(e.seq);
  canonical += kSep;
  canonical += e.at;
  canonical += kSep;
  canonical += std::to_string(e.actorUser);
  canonical += kSep;
  canonical += e.actorParty;
  canonical += kSep;
  canonical += e.type;
  canonical += kSep;
  canonical += e.payload;
  canonical += kSep;
  canonical += e.fromState;
  canonical += kSep;
  canonical += e.toState;
  return sha256Hex(canonical);
}

std::string genesisHash(const StreamRef& stream) {
  return sha256Hex("liufang:" + stream.kind + ":" + std::to_string(stream.id));
}

}  // namespace liufang::model
