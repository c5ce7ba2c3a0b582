#include "workflow/Payload.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "model/Errors.h"

namespace liufang::workflow {

std::string canonicalJson(const Poco::JSON::Object& payload) {
  std::ostringstream out;
  payload.stringify(out, 0, -1);
  return out.str();
}

Poco::JSON::Object::Ptr parsePayload(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    auto v = parser.parse(text);
    auto obj = v.extract<Poco::JSON::Object::Ptr>();
    if (!obj) throw StorageError("payload is not a JSON object");
    return obj;
  } catch (const Poco::Exception& e) {
    throw StorageError("payload is not valid JSON: " + e.displayText());
  }
}

std::string Payload::str(const std::string& k) const {
  return has(k) ? p_.get(k).convert<std::string>() : std::string();
}

int64_t Payload::integer(const std::string& k) const {
  return has(k) ? p_.get(k).convert<Poco::Int64>() : 0;
}

bool Payload::flag(const std::string& k) const { return has(k) && p_.get(k).convert<bool>(); }

std::vector<std::string> Payload::list(const std::string& k) const {
  std::vector<std::string> out;
  if (auto arr = p_.getArray(k))
    for (size_t i = 0; i < arr->size(); ++i) out.push_back(arr->get(i).toString());
  return out;
}

}  // namespace liufang::workflow
