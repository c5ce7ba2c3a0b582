#include "web/Http.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "model/Errors.h"
#include "web/Site.h"

namespace liufang::web {

Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::json(const Poco::JSON::Object::Ptr& obj, int status) {
  Response r;
  r.status = status;
  r.contentType = "application/json; charset=utf-8";
  r.body = toJson(obj);
  return r;
}

Response Response::redirect(const std::string& location) {
  Response r;
  r.status = 303;
  r.headers.emplace_back("Location", location);
  return r;
}

namespace {

std::string decodeComponent(std::string s) {
  for (auto& c : s)
    if (c == '+') c = ' ';
  std::string out;
  try {
    Poco::URI::decode(s, out);
  } catch (const Poco::Exception&) {
    return s;  // a malformed escape: keep what was sent rather than drop the field
  }
  return out;
}

}  // namespace

FormFields FormFields::parse(const std::string& encoded) {
  FormFields f;
  size_t pos = 0;
  while (pos <= encoded.size()) {
    size_t amp = encoded.find('&', pos);
    if (amp == std::string::npos) amp = encoded.size();
    const std::string pair = encoded.substr(pos, amp - pos);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      if (eq == std::string::npos)
        f.add(decodeComponent(pair), "");
      else
        f.add(decodeComponent(pair.substr(0, eq)), decodeComponent(pair.substr(eq + 1)));
    }
    pos = amp + 1;
  }
  return f;
}

std::string FormFields::get(const std::string& name) const {
  for (const auto& [k, v] : pairs_)
    if (k == name) return v;
  return {};
}

std::vector<std::string> FormFields::getAll(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : pairs_)
    if (k == name) out.push_back(v);
  return out;
}

bool FormFields::has(const std::string& name) const {
  for (const auto& [k, v] : pairs_)
    if (k == name) return true;
  return false;
}

std::string urlEncode(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "!#$&'()*+,/:;=?@[]%\"<>\\^`{|} ", out);
  return out;
}

namespace {

bool plainLocalPath(const std::string& p) {
  if (p.empty() || p[0] != '/') return false;
  if (p.size() > 1 && (p[1] == '/' || p[1] == '\\')) return false;
  for (unsigned char c : p)
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  return true;
}

}  // namespace

std::string safeNext(const std::string& next, const std::string& fallback) {
  if (next.size() > 2048 || !plainLocalPath(next)) return fallback;
  std::string decoded;
  try {
    Poco::URI::decode(next, decoded);
  } catch (const Poco::Exception&) {
    return fallback;  // a malformed escape is no path we wrote
  }
  return plainLocalPath(decoded) ? next : fallback;
}

std::string logSafe(std::string_view value) {
  constexpr size_t kMax = 512;
  std::string out;
  out.reserve(std::min(value.size(), kMax) + 8);
  auto hex = [&](const char* format, unsigned code) {
    char buf[12];
    std::snprintf(buf, sizeof buf, format, code);
    out += buf;
  };
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (out.size() >= kMax && (c & 0xC0) != 0x80) {  // cut between characters, not inside one
      out += "...";
      break;
    }
    const auto next = [&](size_t k) {
      return i + k < value.size() ? static_cast<unsigned char>(value[i + k]) : 0u;
    };
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      hex("\\x%02x", c);
    } else if (c == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F) {  // C1 controls, e.g. NEL
      hex("\\u%04x", next(1));
      ++i;
    } else if (c == 0xE2 && next(1) == 0x80 && (next(2) == 0xA8 || next(2) == 0xA9)) {
      hex("\\u%04x", next(2) == 0xA8 ? 0x2028u : 0x2029u);  // line, paragraph separator
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string forwardedClient(const std::vector<std::string>& forwardedFor, const std::string& peer,
                            const std::set<std::string>& trusted) {
  std::vector<std::string> hops;
  for (const auto& line : forwardedFor) {
    std::istringstream in(line);
    std::string hop;
    while (std::getline(in, hop, ',')) {
      hop = Poco::trim(hop);
      if (!hop.empty()) hops.push_back(hop);
    }
  }
  if (hops.empty()) return peer;
  // Right to left: each trusted proxy appended what it saw; the first untrusted entry is the
  // furthest we can believe. Anything left of it the client may have written itself.
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (trusted.count(*it)) continue;
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(*it, address) ? address.toString() : peer;
  }
  return hops.front();
}

std::string toJson(const Poco::JSON::Object::Ptr& obj) {
  std::ostringstream out;
  // Stringifier with the UNICODE flag off keeps UTF-8 text readable (no \uXXXX escapes).
  Poco::JSON::Stringifier::condense(obj, out, Poco::JSON_WRAP_STRINGS);
  return out.str();
}

RequestContext::RequestContext(Site& s, Poco::Net::HTTPServerRequest& r, std::string rid)
    : site(s), request(r), requestId(std::move(rid)) {
  method = request.getMethod();
  const std::string& uri = request.getURI();
  const size_t q = uri.find('?');
  const std::string rawPath = uri.substr(0, q);
  try {
    Poco::URI::decode(rawPath, path);
  } catch (const Poco::Exception&) {
    path = rawPath;
  }
  if (q != std::string::npos) query = FormFields::parse(uri.substr(q + 1));
  api = path.rfind("/api/", 0) == 0;
  try {
    peerAddress = request.clientAddress().host().toString();
  } catch (const Poco::Exception&) {
    peerAddress = "-";  // the peer is already gone
  }
  clientAddress = peerAddress;
  https = site.config.https;
  // Anyone can send these headers: only a proxy we trust is believed about its client.
  if (site.trustedProxies.count(peerAddress)) {
    std::vector<std::string> forwardedFor;
    for (auto it = request.find("X-Forwarded-For");
         it != request.end() && Poco::icompare(it->first, "X-Forwarded-For") == 0; ++it)
      forwardedFor.push_back(it->second);
    clientAddress = forwardedClient(forwardedFor, peerAddress, site.trustedProxies);
    // The left-most value is what the first proxy saw (a chain appends).
    std::string proto = request.get("X-Forwarded-Proto", "");
    proto = Poco::trim(proto.substr(0, proto.find(',')));
    if (Poco::icompare(proto, "https") == 0) https = true;
  }
  lang = site.i18n.defaultLang();
}

std::string RequestContext::cookie(const std::string& name) const {
  Poco::Net::NameValueCollection cookies;
  request.getCookies(cookies);
  return cookies.get(name, "");
}

std::string RequestContext::tr(const std::string& msgid) const { return site.i18n.tr(lang, msgid); }

std::string RequestContext::trf(const std::string& msgid, const std::string& arg) const {
  return site.i18n.format(lang, msgid, arg);
}

workflow::Actor RequestContext::actor() const {
  if (!user) throw WebError(401, "unauthorized", "Please sign in.");
  auto actor = workflow::Actor::fromUser(*user);
  actor.requestId = requestId;  // so the Engine's log lines name the request
  return actor;
}

int64_t RequestContext::idParam(const std::string& name) const {
  auto it = params.find(name);
  Poco::Int64 id = 0;
  if (it == params.end() || it->second.size() > 18 ||
      !Poco::NumberParser::tryParse64(it->second, id) || id <= 0)
    throw NotFound("No such item.");
  return id;
}

Poco::JSON::Object::Ptr RequestContext::jsonBody() const {
  try {
    Poco::JSON::Parser parser;
    auto value = parser.parse(body);
    auto obj = value.extract<Poco::JSON::Object::Ptr>();
    if (obj) return obj;
  } catch (const std::exception&) {
    // fall through to the one answer below: the body is not a JSON object
  }
  throw Invalid("The request body is not a JSON object.");
}

}  // namespace liufang::web
