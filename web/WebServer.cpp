#include "web/WebServer.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <spdlog/spdlog.h>

#include <csignal>

#include "web/ConnectionGuard.h"
#include "web/Router.h"
#include "web/Site.h"

namespace liufang::web {

WebServer::WebServer(const ServerConfig& config, model::Store& store, const model::Clock& clock)
    : config_(config),
      engine_(std::make_unique<workflow::Engine>(store, clock)),
      site_(std::make_unique<Site>(config, store, *engine_, clock)) {}

WebServer::~WebServer() { stop(); }

void WebServer::start() {
  // A client that hangs up mid-answer must cost us an exception, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  // A backlog well above the thread count, so a burst of new connections queues in the
  // kernel rather than being reset.
  limits_ = std::make_shared<ConnectionLimits>(
      config_.maxConnectionsPerAddress, config_.trustedProxySet(),
      std::chrono::milliseconds(1000LL * config_.headTimeoutSeconds));
  GuardedServerSocket socket(Poco::Net::SocketAddress(config_.bind, config_.port), 1024, limits_);
  port_ = socket.address().port();

  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(config_.maxThreads);
  params->setMaxQueued(config_.maxQueued);
  params->setTimeout(Poco::Timespan(config_.timeoutSeconds, 0));
  params->setKeepAlive(config_.keepAlive);
  params->setKeepAliveTimeout(Poco::Timespan(config_.keepAliveTimeoutSeconds, 0));
  params->setMaxKeepAliveRequests(config_.maxKeepAliveRequests);
  params->setServerName("liufang");
  params->setSoftwareVersion("liufang");
  // Poco's TCPServerDispatcher::stop() wakes only the dispatcher threads already waiting for a
  // connection; one just started waits out this idle time before it sees the stop, and
  // stop() joins it. A short idle time bounds that stall (it was 60 s, seen in tests).
  params->setThreadIdleTime(Poco::Timespan(5, 0));

  // Each open keep-alive connection holds one pool thread for its lifetime, so the pool's
  // ceiling is the number of browsers served at once.
  pool_ = std::make_unique<Poco::ThreadPool>(config_.minThreads, config_.maxThreads, 60);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new RootHandlerFactory(*site_), *pool_, socket,
                                                    params);
  server_->setConnectionFilter(new AddressCapFilter);
  server_->start();
  spdlog::info(
      "serving on {}:{} (threads {}..{}, queue {}, keep-alive {} s, head {} s, {} connections "
      "per address, body limit {} B{})",
      config_.bind, port_, config_.minThreads, config_.maxThreads, config_.maxQueued,
      config_.keepAlive ? config_.keepAliveTimeoutSeconds : 0, config_.headTimeoutSeconds,
      config_.maxConnectionsPerAddress, config_.maxBodyBytes, config_.https ? ", https" : "");
}

void WebServer::stop() {
  if (server_) {
    // Idle keep-alive connections would otherwise hold their threads until they time out.
    server_->stopAll(true);
    server_.reset();
  }
  if (pool_) {
    pool_->joinAll();
    pool_.reset();
  }
}

uint16_t WebServer::port() const { return port_; }

std::string WebServer::url() const {
  const bool any = config_.bind == "0.0.0.0" || config_.bind == "::" || config_.bind.empty();
  const std::string host = any ? "127.0.0.1" : config_.bind;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port_);
}

}  // namespace liufang::web
