#pragma once
// A logged event's payload: the canonical JSON the log stores and hashes, and typed reads of
// its fields for the decoders that turn it into a statechart event.
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <vector>

namespace liufang::workflow {

// Canonical text of a payload (sorted keys, no spaces): what the log stores and hashes.
std::string canonicalJson(const Poco::JSON::Object& payload);
// Parses a stored payload. Throws liufang::StorageError if it is not a JSON object.
Poco::JSON::Object::Ptr parsePayload(const std::string& text);

// Reads a normalised payload; a missing field reads as empty, 0 or false.
class Payload {
 public:
  explicit Payload(const Poco::JSON::Object& p) : p_(p) {}
  std::string str(const std::string& key) const;
  int64_t integer(const std::string& key) const;
  bool flag(const std::string& key) const;
  std::vector<std::string> list(const std::string& key) const;
  bool has(const std::string& key) const { return p_.has(key) && !p_.get(key).isEmpty(); }
  // The whole payload, for fields of structured kinds (attendance rows).
  const Poco::JSON::Object& object() const { return p_; }

 private:
  const Poco::JSON::Object& p_;
};

}  // namespace liufang::workflow
