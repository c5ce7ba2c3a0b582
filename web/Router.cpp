#include "web/Router.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include "model/Errors.h"
#include "model/Password.h"
#include "web/ConnectionGuard.h"
#include "web/Site.h"
#include "web/View.h"

namespace liufang::web {
namespace {

const char* kSessionCookie = "lf_session";
const char* kLangCookie = "lf_lang";

std::string newRequestId() {
  // A per-process random prefix keeps ids from two nodes or two runs apart in merged logs.
  static const std::string prefix = model::randomToken(3);
  static std::atomic<uint64_t> counter{0};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%06llu", prefix.c_str(),
                static_cast<unsigned long long>(++counter));
  return buf;
}

Poco::Net::HTTPCookie langCookie(const std::string& lang) {
  Poco::Net::HTTPCookie c(kLangCookie, lang);
  c.setPath("/");
  c.setMaxAge(365 * 24 * 3600);
  c.setHttpOnly(true);
  c.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
  return c;
}

// Reads the whole body, refusing more than `limit` bytes whether or not a Content-Length was
// sent (a chunked body announces no size, so the read itself is capped). A body only somewhat
// too large is read on and discarded before the 413: closing a socket with unread input makes
// the kernel reset the connection, and the client would lose the answer.
void readBody(RequestContext& ctx, size_t limit) {
  auto& req = ctx.request;
  const bool hasBody =
      req.getChunkedTransferEncoding() || (req.hasContentLength() && req.getContentLength64() > 0);
  if (!hasBody) return;
  const uint64_t drainLimit = 2 * static_cast<uint64_t>(limit);
  if (req.hasContentLength() && static_cast<uint64_t>(req.getContentLength64()) > drainLimit)
    throw WebError(413, "too_large", "The request is too large.");
  std::istream& in = req.stream();
  char buf[16384];
  std::string body;
  uint64_t seen = 0;
  while (in && seen <= drainLimit) {
    in.read(buf, sizeof buf);
    const auto n = static_cast<size_t>(in.gcount());
    seen += n;
    if (seen <= limit) body.append(buf, n);
  }
  if (seen > limit) throw WebError(413, "too_large", "The request is too large.");
  ctx.body = std::move(body);
  const std::string type = req.getContentType();
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0)
    ctx.form = FormFields::parse(ctx.body);
}

// Session from "Authorization: Bearer <token>" or the session cookie; language from ?lang=
// (remembered in a cookie), the cookie, the user's record, then the site default.
void identify(RequestContext& ctx) {
  std::string lang = I18n::normalize(ctx.query.get("lang"));
  if (!lang.empty())
    ctx.setCookies.push_back(langCookie(lang));
  else
    lang = I18n::normalize(ctx.cookie(kLangCookie));

  std::string token;
  const std::string authz = ctx.request.get("Authorization", "");
  if (authz.rfind("Bearer ", 0) == 0) {
    token = authz.substr(7);
    while (!token.empty() && token.back() == ' ') token.pop_back();
    ctx.bearer = true;
  } else {
    token = ctx.cookie(kSessionCookie);
  }
  if (!token.empty()) {
    if (auto s = ctx.site.auth.resolve(token)) {
      ctx.user = s->user;
      ctx.session = s->session;
      ctx.tokenHash = s->tokenHash;
    }
  }
  if (lang.empty() && ctx.user) lang = I18n::normalize(ctx.user->locale);
  ctx.lang = lang.empty() ? ctx.site.i18n.defaultLang() : lang;
}

// RFC 9112 §6.1 and §6.3: a request with both Transfer-Encoding and Content-Length, with a
// transfer coding other than chunked, or with disagreeing Content-Length values is the stuff
// of request smuggling (a proxy in front may frame it differently); refuse it and close the
// connection, since where its body ends is unknowable.
void checkFraming(const Poco::Net::HTTPServerRequest& req) {
  static const char* msg = "The request is malformed.";
  std::string length;
  bool transferEncoding = false;
  for (const auto& [name, value] : req) {
    if (Poco::icompare(name, "Transfer-Encoding") == 0) {
      if (transferEncoding || Poco::icompare(Poco::trim(value), "chunked") != 0)
        throw WebError(400, "bad_framing", msg);
      transferEncoding = true;
    } else if (Poco::icompare(name, "Content-Length") == 0) {
      if (!length.empty() && Poco::trim(value) != length) throw WebError(400, "bad_framing", msg);
      length = Poco::trim(value);
    }
  }
  if (transferEncoding && !length.empty()) throw WebError(400, "bad_framing", msg);
}

void checkCsrf(RequestContext& ctx, Csrf rule) {
  static const char* msg =
      "This form has expired or did not come from this site. Reload the page and try again.";
  if (rule == Csrf::Session && !ctx.bearer) {
    std::string sent = ctx.form.get("csrf");
    if (sent.empty()) sent = ctx.request.get("X-CSRF-Token", "");
    if (!ctx.session || !Auth::tokensEqual(sent, ctx.session->csrfToken))
      throw WebError(403, "forbidden", msg);
  } else if (rule == Csrf::LoginForm) {
    if (!Auth::tokensEqual(ctx.form.get("csrf"), ctx.cookie("lf_login")))
      throw WebError(403, "forbidden", msg);
  }
}

std::string headingFor(int status) {
  switch (status) {
    case 400:
      return "The input is incomplete or invalid";
    case 401:
      return "Please sign in";
    case 403:
      return "Not allowed";
    case 404:
      return "Not found";
    case 405:
      return "Not allowed";
    case 409:
      return "Cannot do that now";
    case 413:
      return "Too large";
    case 429:
      return "Too many attempts";
    case 503:
      return "The server is busy";
    default:
      return "Something went wrong";
  }
}

// The one place where a failure becomes an answer: HTML gets the error page, the API the
// {"error": {"code", "message"}} object. The message is already in the request's language.
Response errorAnswer(RequestContext& ctx, int status, const std::string& code,
                     const std::string& message) {
  Response out;
  if (ctx.api) {
    Poco::JSON::Object::Ptr err = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    err->set("code", code);
    err->set("message", message);
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
    root->set("error", err);
    out = Response::json(root, status);
  } else {
    try {
      auto d = baseData(ctx, ctx.tr(headingFor(status)));
      d.set("status", std::to_string(status));
      d.set("heading", ctx.tr(headingFor(status)));
      d.set("message", message);
      auto id = ctx.params.find("id");
      if (id != ctx.params.end() && status != 404) {
        d.set("back_href", "/items/" + id->second);
        d.set("back_label", ctx.tr("Back to the item"));
      } else {
        d.set("back_href", "/");
        d.set("back_label", ctx.tr("Back to the start page"));
      }
      out = renderPage(ctx, "error", d, status);
    } catch (const std::exception& e) {
      // The error page itself failed: answer plain text rather than nothing.
      spdlog::error("error page failed: {} rid={}", e.what(), ctx.requestId);
      out = Response::html(message, status);
      out.contentType = "text/plain; charset=utf-8";
    }
  }
  // The rest of the body was never read (413), or where it ends is unknowable (bad framing).
  if (status == 413 || code == "bad_framing") out.closeConnection = true;
  return out;
}

std::string who(const RequestContext& ctx) { return ctx.user ? logSafe(ctx.user->username) : "-"; }
std::string itemOf(const RequestContext& ctx) {
  auto it = ctx.params.find("id");
  return it == ctx.params.end() ? "-" : it->second;
}

int statusOf(const Error& e) {
  const std::string code = e.code();
  if (code == "invalid") return 400;
  if (code == "forbidden") return 403;
  if (code == "not_found") return 404;
  return 409;  // refused, conflict
}

// Called inside a catch block: turns the exception in flight into the answer, logging it with
// the item, user and request id.
Response answerCurrentException(RequestContext& ctx) {
  try {
    throw;
  } catch (const Error& e) {
    ctx.site.metrics.refusal(e.code());
    const int status = statusOf(e);
    spdlog::info("{} {}: {} {} ({}) item={} user={} rid={}", logSafe(ctx.method), logSafe(ctx.path),
                 status, e.code(), logSafe(e.what()), logSafe(itemOf(ctx)), who(ctx),
                 ctx.requestId);
    return errorAnswer(ctx, status, e.code(), ctx.site.i18n.render(ctx.lang, e.message()));
  } catch (const WebError& e) {
    ctx.site.metrics.refusal(e.code());
    spdlog::info("{} {}: {} {} item={} user={} rid={}", logSafe(ctx.method), logSafe(ctx.path),
                 e.status(), e.code(), logSafe(itemOf(ctx)), who(ctx), ctx.requestId);
    const std::string message = e.retryAfterSeconds() > 0
                                    ? ctx.trf(e.what(), std::to_string(e.retryAfterSeconds()))
                                    : ctx.tr(e.what());
    Response out = errorAnswer(ctx, e.status(), e.code(), message);
    if (e.retryAfterSeconds() > 0)
      out.headers.emplace_back("Retry-After", std::to_string(e.retryAfterSeconds()));
    if (e.status() == 401 && ctx.api) out.headers.emplace_back("WWW-Authenticate", "Bearer");
    return out;
  } catch (const std::exception& e) {
    spdlog::error("{} {}: unexpected {} item={} user={} rid={}", logSafe(ctx.method),
                  logSafe(ctx.path), logSafe(e.what()), logSafe(itemOf(ctx)), who(ctx),
                  ctx.requestId);
  } catch (...) {
    spdlog::error("{} {}: unexpected non-standard exception item={} user={} rid={}",
                  logSafe(ctx.method), logSafe(ctx.path), logSafe(itemOf(ctx)), who(ctx),
                  ctx.requestId);
  }
  ctx.site.metrics.refusal("internal");
  // Nothing of the exception reaches the client: only the id to quote when reporting it.
  return errorAnswer(ctx, 500, "internal",
                     ctx.trf("Something went wrong on our side. Please quote {1} if you report it.",
                             ctx.requestId));
}

void addSecurityHeaders(Poco::Net::HTTPServerResponse& resp, const ServerConfig& config,
                        bool https) {
  resp.set("Content-Security-Policy",
           "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  // Only when the site is served over HTTPS: a browser that has seen HSTS refuses plain HTTP
  // to this host for max-age, which would lock out a plain-HTTP LAN deployment.
  if (https)
    resp.set("Strict-Transport-Security", "max-age=" + std::to_string(config.hstsMaxAgeSeconds));
  resp.set("X-Content-Type-Options", "nosniff");
  resp.set("Referrer-Policy", "same-origin");
  resp.set("X-Frame-Options", "DENY");
}

class RouteHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RouteHandler(Site& site, const Route* route, std::map<std::string, std::string> params,
               bool wrongMethod)
      : site_(site), route_(route), params_(std::move(params)), wrongMethod_(wrongMethod) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    const auto start = std::chrono::steady_clock::now();
    // The head is in: the connection's head deadline no longer applies until the next request.
    RequestPhase phase(request);
    RequestContext ctx(site_, request, newRequestId());
    ctx.params = params_;
    Auth::ClientScope client(ctx.clientAddress);
    Response out;
    try {
      out = dispatch(ctx);
    } catch (...) {
      out = answerCurrentException(ctx);
    }
    write(ctx, out, response);
    const auto ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    // The client as forwarded by a trusted proxy, and the proxy itself when there is one.
    spdlog::info("{} {} {} {:.1f}ms user={} from={}{}{} rid={}", logSafe(ctx.method),
                 logSafe(ctx.path), out.status, ms, who(ctx), ctx.clientAddress,
                 ctx.peerAddress == ctx.clientAddress ? "" : " via=",
                 ctx.peerAddress == ctx.clientAddress ? "" : ctx.peerAddress, ctx.requestId);
    // By pattern, never by path: ids in paths would make a series per item.
    site_.metrics.request(ctx.method, route_ ? route_->pattern : "", out.status, ms / 1000.0);
  }

 private:
  Response dispatch(RequestContext& ctx) {
    checkFraming(ctx.request);
    identify(ctx);
    readBody(ctx, site_.config.maxBodyBytes);
    if (!route_) {
      if (wrongMethod_)
        throw WebError(405, "method_not_allowed", "This method is not allowed here.");
      throw NotFound("There is no such page.");
    }
    if (route_->access == Access::SignedIn && !ctx.user) {
      if (ctx.api)
        throw WebError(401, "unauthorized",
                       ctx.bearer ? "The token is invalid or has expired. Sign in again."
                                  : "Sign in first: send Authorization: Bearer <token>.");
      std::string next = ctx.method == "GET" ? ctx.request.getURI() : "/desk";
      return Response::redirect("/login?next=" + urlEncode(safeNext(next, "/desk")));
    }
    checkCsrf(ctx, route_->csrf);
    return route_->handler(ctx);
  }

  void write(RequestContext& ctx, Response& out, Poco::Net::HTTPServerResponse& resp) {
    try {
      resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(out.status));
      addSecurityHeaders(resp, site_.config, ctx.https);
      bool cacheSet = false;
      for (const auto& [name, value] : out.headers) {
        resp.set(name, value);
        if (name == "Cache-Control") cacheSet = true;
      }
      // Pages show personal data: no shared or back-button caching unless a route says so.
      if (!cacheSet) resp.set("Cache-Control", "no-store");
      resp.set("X-Request-Id", ctx.requestId);
      for (auto c : ctx.setCookies) {
        // Over HTTPS a cookie must never travel in clear, should a plain-HTTP link be followed.
        if (ctx.https) c.setSecure(true);
        resp.addCookie(c);
      }
      if (out.closeConnection) resp.setKeepAlive(false);
      if (out.status == 304 || out.status == 204) {
        resp.setContentLength(0);
        resp.send();
        return;
      }
      resp.setContentType(out.contentType);
      resp.sendBuffer(out.body.data(), out.body.size());
    } catch (const Poco::Exception& e) {
      // The client went away mid-answer; nothing left to tell it.
      spdlog::debug("writing the response failed: {} rid={}", e.displayText(), ctx.requestId);
    } catch (const std::exception& e) {
      spdlog::debug("writing the response failed: {} rid={}", e.what(), ctx.requestId);
    }
  }

  Site& site_;
  const Route* route_;
  std::map<std::string, std::string> params_;
  bool wrongMethod_;
};

}  // namespace

bool matchRoute(const std::string& pattern, const std::string& path,
                std::map<std::string, std::string>& params) {
  size_t p = 0, s = 0;
  std::map<std::string, std::string> found;
  while (p < pattern.size() && s <= path.size()) {
    if (pattern[p] == '{') {
      const size_t close = pattern.find('}', p);
      const std::string name = pattern.substr(p + 1, close - p - 1);
      size_t end = path.find('/', s);
      if (end == std::string::npos) end = path.size();
      if (end == s) return false;  // a capture is never empty
      found[name] = path.substr(s, end - s);
      p = close + 1;
      s = end;
    } else {
      if (s >= path.size() || pattern[p] != path[s]) return false;
      ++p;
      ++s;
    }
  }
  if (p != pattern.size() || s != path.size()) return false;
  params = std::move(found);
  return true;
}

RootHandlerFactory::RootHandlerFactory(Site& site) : site_(site), routes_(siteRoutes()) {}

Poco::Net::HTTPRequestHandler* RootHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
  const std::string& uri = request.getURI();
  std::string path;
  try {
    Poco::URI::decode(uri.substr(0, uri.find('?')), path);
  } catch (const Poco::Exception&) {
    path = uri.substr(0, uri.find('?'));
  }
  std::string method = request.getMethod();
  if (method == "HEAD") method = "GET";  // Poco sends the headers only for HEAD
  bool pathMatched = false;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!matchRoute(route.pattern, path, params)) continue;
    if (route.method == method) return new RouteHandler(site_, &route, std::move(params), false);
    pathMatched = true;
  }
  return new RouteHandler(site_, nullptr, {}, pathMatched);
}

}  // namespace liufang::web
