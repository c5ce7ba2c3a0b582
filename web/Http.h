#pragma once
// The web layer's request and response values. Handlers take a RequestContext and return a
// Response; the dispatcher (Router.cpp) writes it, so an error thrown half-way through a
// handler can still become a clean error page instead of half a page.
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPServerRequest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/Store.h"
#include "model/Types.h"
#include "workflow/Engine.h"

namespace liufang::web {

struct Site;

// A refusal at the HTTP level rather than the domain's: 401 (not signed in), 403 (CSRF),
// 405, 413 (body too large), 429 (login throttled), 400 (body is not JSON). message is an
// English msgid, translated when the answer is written.
class WebError : public std::runtime_error {
 public:
  WebError(int status, std::string code, const std::string& msgid, int retryAfterSeconds = 0)
      : std::runtime_error(msgid),
        status_(status),
        code_(std::move(code)),
        retryAfter_(retryAfterSeconds) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  int retryAfterSeconds() const { return retryAfter_; }

 private:
  int status_;
  std::string code_;
  int retryAfter_;
};

// What a handler answers.
struct Response {
  int status = 200;
  std::string contentType = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool closeConnection = false;

  static Response html(std::string body, int status = 200);
  static Response json(const Poco::JSON::Object::Ptr& obj, int status = 200);
  // 303 See Other: after a POST the browser fetches the target with GET.
  static Response redirect(const std::string& location);
};

// Decoded name=value pairs of a query string or an urlencoded form body, order and repeats
// kept (checkboxes send one pair each).
class FormFields {
 public:
  // Parses "a=1&b=x+y&c=%E4%B8%AD". Malformed escapes are kept literally.
  static FormFields parse(const std::string& encoded);
  // The first value of name, "" if absent.
  std::string get(const std::string& name) const;
  std::vector<std::string> getAll(const std::string& name) const;
  bool has(const std::string& name) const;
  const std::vector<std::pair<std::string, std::string>>& all() const { return pairs_; }
  void add(std::string name, std::string value) {
    pairs_.emplace_back(std::move(name), std::move(value));
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// Percent-encodes s for a query string value.
std::string urlEncode(const std::string& s);
// next if it is a path on this site a browser cannot mistake for another origin, fallback
// otherwise: it must start with a single '/', and neither it nor its percent-decoded form may
// hold "//" or a '\' after that '/' (browsers read both as the start of a host), a backslash
// anywhere, or control characters (browsers drop tabs and newlines, turning "/\t/evil" into
// "//evil"). For the redirects after sign-in and the language switch.
std::string safeNext(const std::string& next, const std::string& fallback);
// A request value made safe for one log line: control characters (and the C1 controls and
// Unicode line separators some viewers break lines at) become \n, \r, \t, \xHH or
// \uHHHH, a backslash is doubled, so no value can start a forged line; values longer than
// 512 bytes are cut with "...". Every log line that carries request values uses it.
std::string logSafe(std::string_view value);
// The client behind a trusted proxy: X-Forwarded-For (all its lines, in order) read from the
// right, skipping trusted proxies; the first other entry if it is an IP address. Returns
// `peer` when the list is empty or that entry is not an address (a header we cannot read is
// not believed), and the left-most entry when every one is a trusted proxy.
std::string forwardedClient(const std::vector<std::string>& forwardedFor, const std::string& peer,
                            const std::set<std::string>& trusted);

// Serialises a JSON object compactly (UTF-8 kept as is).
std::string toJson(const Poco::JSON::Object::Ptr& obj);

// One request as the handlers see it: decoded path and query, route captures, the signed-in
// user (if any), the chosen language and the body (already read, within the size limit).
class RequestContext {
 public:
  RequestContext(Site& site, Poco::Net::HTTPServerRequest& request, std::string requestId);

  Site& site;
  Poco::Net::HTTPServerRequest& request;
  const std::string requestId;
  std::string method;
  std::string path;  // decoded, without the query
  FormFields query;
  std::map<std::string, std::string> params;  // captures of the matched route pattern
  bool api = false;                           // under /api/: answers JSON
  // The client's IP address, e.g. "127.0.0.1": the peer's, or, when the peer is a trusted
  // proxy, the right-most X-Forwarded-For address that is not itself a trusted proxy.
  std::string clientAddress;
  std::string peerAddress;  // the address of the socket's other end (the proxy, if any)
  // Served over HTTPS as the browser sees it: http.https, or X-Forwarded-Proto: https from a
  // trusted proxy. Turns on Secure cookies and HSTS for this answer.
  bool https = false;
  std::string lang;  // "zh_CN" or "en"

  std::optional<model::User> user;  // signed in
  std::optional<model::WebSession> session;
  std::string tokenHash;  // of the session token
  bool bearer = false;    // authenticated by Authorization: Bearer (no CSRF needed)

  std::string body;
  FormFields form;  // the body, when it is an urlencoded form
  std::vector<Poco::Net::HTTPCookie> setCookies;

  // A request cookie's value, "" if absent.
  std::string cookie(const std::string& name) const;
  // UI text in this request's language.
  std::string tr(const std::string& msgid) const;
  std::string trf(const std::string& msgid, const std::string& arg) const;
  // The engine's view of the signed-in user. Throws WebError 401 if nobody is signed in.
  workflow::Actor actor() const;
  // A numeric route capture; throws liufang::NotFound if it is not a positive integer.
  int64_t idParam(const std::string& name) const;
  // Parses the body as a JSON object; throws liufang::Invalid if it is not one.
  Poco::JSON::Object::Ptr jsonBody() const;
};

}  // namespace liufang::web
