#pragma once
// Connection-level limits that Poco's HTTPServer does not have: a deadline for receiving a
// whole request head, and a cap on open connections per client address.
//
// Each connection holds a pool thread for its lifetime (thread per connection), and Poco resets
// the socket's receive timeout with every byte, so a client dripping one header byte per
// second would keep its thread forever; a few hundred such clients stop the server. The
// deadline lives in the socket (GuardedSocketImpl::receiveBytes / poll), because Poco reads
// the head inside HTTPServerRequestImpl's constructor with no hook of its own; the listening
// socket creates these sockets at accept, where the per-address count is also kept, so a
// connection is counted from accept until its socket is gone, whether it was served, refused
// or dropped from a full queue.
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/ServerSocketImpl.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Net/TCPServer.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace liufang::web {

// The limits and the per-address counts, shared by the listening socket and its connections.
class ConnectionLimits {
 public:
  // maxPerAddress 0 means no cap; addresses in `uncapped` (a reverse proxy) are never
  // capped. headTimeout is the time a request head may take from its first byte (from
  // the start of the connection's thread for the first request).
  ConnectionLimits(int maxPerAddress, std::set<std::string> uncapped,
                   std::chrono::milliseconds headTimeout);

  // Counts one more connection from address; false if that exceeds the cap (it stays
  // counted until leave()).
  bool enter(const std::string& address);
  void leave(const std::string& address);
  // Open connections from address, for tests and logs.
  int openFrom(const std::string& address) const;

  std::chrono::milliseconds headTimeout() const { return headTimeout_; }

 private:
  const int maxPerAddress_;
  std::set<std::string> uncapped_;
  const std::chrono::milliseconds headTimeout_;
  mutable std::mutex mutex_;
  std::map<std::string, int> open_;
};

// An accepted connection's socket: counts itself against its address while it exists and
// enforces the head deadline on reads. The HTTP dispatcher tells it where requests start and
// end (RequestPhase below).
class GuardedSocketImpl : public Poco::Net::StreamSocketImpl {
 public:
  GuardedSocketImpl(poco_socket_t fd, std::string address,
                    std::shared_ptr<ConnectionLimits> limits);

  // True if this connection exceeded its address's cap at accept: it is to be closed unserved.
  bool overCap() const { return overCap_; }
  const std::string& address() const { return address_; }

  // Reads as StreamSocketImpl does, but while a request head is being received it waits at
  // most until the head deadline and then throws Poco::TimeoutException, however the bytes
  // trickle in.
  using Poco::Net::StreamSocketImpl::receiveBytes;
  int receiveBytes(void* buffer, int length, int flags = 0) override;
  // Poco waits here for a connection's first request: the wait ends at the head deadline.
  bool poll(const Poco::Timespan& timeout, int mode) override;

  // The whole head has arrived (the body, if any, is read under the ordinary timeout).
  void headReceived();
  // The answer is written: the next read starts the next request's head.
  void requestDone();

 protected:
  ~GuardedSocketImpl() override;

 private:
  enum class Phase { First, Head, Body, Idle };
  // Time left until the head deadline, arming it if this read starts a head.
  std::chrono::milliseconds headTimeLeft();

  const std::string address_;
  const std::shared_ptr<ConnectionLimits> limits_;
  const bool overCap_;
  // Only the connection's own thread reads and changes the phase.
  Phase phase_ = Phase::First;
  bool armed_ = false;
  std::chrono::steady_clock::time_point deadline_;
};

// The listening socket: accepts connections as GuardedSocketImpl.
class GuardedServerSocket : public Poco::Net::ServerSocket {
 public:
  // Binds address (reusing it) and listens. Throws Poco::Net::NetException if it cannot.
  GuardedServerSocket(const Poco::Net::SocketAddress& address, int backlog,
                      std::shared_ptr<ConnectionLimits> limits);
};

// Refuses, at accept, connections over their address's cap (they are closed unanswered).
class AddressCapFilter : public Poco::Net::TCPServerConnectionFilter {
 public:
  bool accept(const Poco::Net::StreamSocket& socket) override;
};

// Marks a request's head as received for its connection's deadline while alive, and the
// request as done when destroyed. A no-op for sockets that are not guarded.
class RequestPhase {
 public:
  explicit RequestPhase(Poco::Net::HTTPServerRequest& request);
  ~RequestPhase();
  RequestPhase(const RequestPhase&) = delete;
  RequestPhase& operator=(const RequestPhase&) = delete;

 private:
  GuardedSocketImpl* socket_ = nullptr;
};

}  // namespace liufang::web
