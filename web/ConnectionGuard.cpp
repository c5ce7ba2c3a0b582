#include "web/ConnectionGuard.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NetException.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace liufang::web {

using SteadyClock = std::chrono::steady_clock;

ConnectionLimits::ConnectionLimits(int maxPerAddress, std::set<std::string> uncapped,
                                   std::chrono::milliseconds headTimeout)
    : maxPerAddress_(maxPerAddress), uncapped_(std::move(uncapped)), headTimeout_(headTimeout) {}

bool ConnectionLimits::enter(const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  const int n = ++open_[address];
  return maxPerAddress_ <= 0 || n <= maxPerAddress_ || uncapped_.count(address) > 0;
}

void ConnectionLimits::leave(const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = open_.find(address);
  if (it == open_.end()) return;
  if (--it->second <= 0) open_.erase(it);  // the table holds only addresses with connections
}

int ConnectionLimits::openFrom(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = open_.find(address);
  return it == open_.end() ? 0 : it->second;
}

GuardedSocketImpl::GuardedSocketImpl(poco_socket_t fd, std::string address,
                                     std::shared_ptr<ConnectionLimits> limits)
    : Poco::Net::StreamSocketImpl(fd),
      address_(std::move(address)),
      limits_(std::move(limits)),
      overCap_(!limits_->enter(address_)) {}

GuardedSocketImpl::~GuardedSocketImpl() { limits_->leave(address_); }

std::chrono::milliseconds GuardedSocketImpl::headTimeLeft() {
  const auto now = SteadyClock::now();
  if (phase_ == Phase::Idle) {
    // The first byte of the next request on a kept-alive connection.
    phase_ = Phase::Head;
    armed_ = false;
  }
  if (!armed_) {
    deadline_ = now + limits_->headTimeout();
    armed_ = true;
  }
  if (phase_ == Phase::First) phase_ = Phase::Head;
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - now));
}

int GuardedSocketImpl::receiveBytes(void* buffer, int length, int flags) {
  if (phase_ != Phase::Body) {
    const auto left = headTimeLeft();
    // Waiting here rather than in recv() bounds the whole head, not each byte: the kernel's
    // receive timeout starts afresh with every byte that arrives.
    if (left.count() == 0 || !Poco::Net::StreamSocketImpl::poll(Poco::Timespan(left.count() * 1000),
                                                                Poco::Net::Socket::SELECT_READ))
      throw Poco::TimeoutException("request head not received in time");
  }
  return Poco::Net::StreamSocketImpl::receiveBytes(buffer, length, flags);
}

bool GuardedSocketImpl::poll(const Poco::Timespan& timeout, int mode) {
  // Only the wait for a connection's first request is bounded here; the wait between
  // kept-alive requests is Poco's keep-alive timeout.
  if (phase_ == Phase::First && (mode & Poco::Net::Socket::SELECT_READ)) {
    if (!armed_) {
      deadline_ = SteadyClock::now() + limits_->headTimeout();
      armed_ = true;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::microseconds>(deadline_ - SteadyClock::now());
    if (left.count() <= 0) return false;
    return Poco::Net::StreamSocketImpl::poll(
        std::min(timeout, Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(left.count()))),
        mode);
  }
  return Poco::Net::StreamSocketImpl::poll(timeout, mode);
}

void GuardedSocketImpl::headReceived() { phase_ = Phase::Body; }

void GuardedSocketImpl::requestDone() {
  phase_ = Phase::Idle;
  armed_ = false;
}

namespace {

// Accepts like SocketImpl::acceptConnection, but hands out GuardedSocketImpl.
class GuardedServerSocketImpl : public Poco::Net::ServerSocketImpl {
 public:
  explicit GuardedServerSocketImpl(std::shared_ptr<ConnectionLimits> limits)
      : limits_(std::move(limits)) {}

  Poco::Net::SocketImpl* acceptConnection(Poco::Net::SocketAddress& clientAddr) override {
    if (sockfd() == POCO_INVALID_SOCKET) throw Poco::Net::InvalidSocketException();
    sockaddr_storage buffer{};
    auto* sa = reinterpret_cast<sockaddr*>(&buffer);
    poco_socklen_t len = sizeof buffer;
    poco_socket_t fd;
    do {
      len = sizeof buffer;
      fd = ::accept(sockfd(), sa, &len);
    } while (fd == POCO_INVALID_SOCKET && errno == EINTR);
    if (fd == POCO_INVALID_SOCKET) error();  // throws the matching Poco exception
    clientAddr = Poco::Net::SocketAddress(sa, len);
    return new GuardedSocketImpl(fd, clientAddr.host().toString(), limits_);
  }

 private:
  std::shared_ptr<ConnectionLimits> limits_;
};

}  // namespace

GuardedServerSocket::GuardedServerSocket(const Poco::Net::SocketAddress& address, int backlog,
                                         std::shared_ptr<ConnectionLimits> limits)
    : Poco::Net::ServerSocket(new GuardedServerSocketImpl(std::move(limits)), true) {
  bind(address, true);
  listen(backlog);
}

bool AddressCapFilter::accept(const Poco::Net::StreamSocket& socket) {
  auto* guarded = dynamic_cast<GuardedSocketImpl*>(socket.impl());
  return guarded == nullptr || !guarded->overCap();
}

RequestPhase::RequestPhase(Poco::Net::HTTPServerRequest& request) {
  if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request))
    socket_ = dynamic_cast<GuardedSocketImpl*>(impl->socket().impl());
  if (socket_) socket_->headReceived();
}

RequestPhase::~RequestPhase() {
  if (socket_) socket_->requestDone();
}

}  // namespace liufang::web
