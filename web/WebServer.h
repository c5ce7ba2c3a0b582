#pragma once
// The HTTP server proper, separate from the command line so tests can run it in-process on
// port 0 with their own store and clock: Poco's HTTPServer on our own thread pool and the route
// factory. The deadline sweep and session purge run beside it (workflow/Background.h).
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <cstdint>
#include <memory>
#include <string>

#include "model/Clock.h"
#include "model/Store.h"
#include "web/Config.h"
#include "workflow/Engine.h"

namespace liufang::web {

struct Site;
class ConnectionLimits;

class WebServer {
 public:
  // Builds the engine and the site. Throws std::runtime_error if a template or catalog is
  // broken, so a bad build fails at start-up. store and clock must outlive the server.
  WebServer(const ServerConfig& config, model::Store& store, const model::Clock& clock);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds config.bind:config.port (0 picks a free port) and starts serving. Connections over
  // config.maxConnectionsPerAddress are closed at accept, and a request head must arrive
  // within config.headTimeoutSeconds (web/ConnectionGuard.h). Throws
  // Poco::Net::NetException if it cannot bind.
  void start();
  // Stops accepting and closes open connections. Safe to call twice.
  void stop();

  // The bound port (after start()).
  uint16_t port() const;
  // "http://HOST:PORT" a local client can open (127.0.0.1 when bound to all interfaces).
  std::string url() const;

  workflow::Engine& engine() { return *engine_; }
  Site& site() { return *site_; }

 private:
  ServerConfig config_;
  std::unique_ptr<workflow::Engine> engine_;
  std::unique_ptr<Site> site_;
  std::shared_ptr<ConnectionLimits> limits_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
};

}  // namespace liufang::web
