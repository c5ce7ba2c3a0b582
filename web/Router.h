#pragma once
// The root HTTPRequestHandlerFactory and its ordered route table (method + path pattern ->
// handler), the shape of ClickHouse's HTTPRequestHandlerFactoryMain. Every route runs inside
// one dispatcher that resolves the session and language, enforces the body limit and CSRF,
// maps errors to statuses in one place, adds the security headers and logs the access line.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "web/Http.h"

namespace liufang::web {

struct Site;

using Handler = std::function<Response(RequestContext&)>;

// Who may reach a route.
enum class Access {
  Public,    // anyone
  SignedIn,  // a session; HTML pages redirect to /login, the API answers 401
};

// How a state-changing request proves it came from our own page.
enum class Csrf {
  None,       // GET routes, and the API's own sign-in (it sets no cookie)
  Session,    // the session's token in the form field "csrf" or header X-CSRF-Token;
              // requests authenticated by a Bearer token need none
  LoginForm,  // double-submit: the login form's field must equal the lf_login cookie
};

struct Route {
  std::string method;
  std::string pattern;  // "/items/{id}/events": {name} captures one path segment
  Access access;
  Csrf csrf;
  Handler handler;
};

// The site map, top to bottom (Routes.cpp).
std::vector<Route> siteRoutes();

// Matches a pattern against a decoded path; fills params with the captures.
bool matchRoute(const std::string& pattern, const std::string& path,
                std::map<std::string, std::string>& params);

class RootHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RootHandlerFactory(Site& site);
  // Picks the first route whose method and pattern match; unmatched requests get a handler
  // that answers 404 (or 405 when only the method differs).
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  Site& site_;
  const std::vector<Route> routes_;
};

}  // namespace liufang::web
