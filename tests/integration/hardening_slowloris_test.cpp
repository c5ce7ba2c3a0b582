// Findings of the outside security test, connection side: a client that drips its request
// head one byte at a time, or opens connections and sends nothing, must not hold the server's
// threads; an idle keep-alive connection ends after its keep-alive timeout; one client
// address cannot take the whole pool. Raw sockets, the real server on a loopback port.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <thread>

#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

using Clock = std::chrono::steady_clock;

// A connection to the server from `source` (any 127.x.y.z address is this host on Linux, so a
// test can play a second client address).
Poco::Net::StreamSocket connectFrom(const std::string& source, uint16_t port) {
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress::IPv4);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = 0;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  if (::bind(s.impl()->sockfd(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
    throw std::runtime_error("cannot bind to " + source);
  s.connect(Poco::Net::SocketAddress("127.0.0.1", port));
  return s;
}

// True once the server has closed the connection (EOF or reset), checking without blocking;
// whatever the server sent first (an error answer) is read and dropped.
bool closedByServer(Poco::Net::StreamSocket& s) {
  try {
    char buf[4096];
    while (s.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ))
      if (s.receiveBytes(buf, sizeof buf) <= 0) return true;
    return false;
  } catch (const Poco::Exception&) {
    return true;
  }
}

// Seconds until the server closes s, sending one byte of `drip` every `every` meanwhile (none
// if drip is empty); -1 if it is still open after `limit`.
double secondsUntilClosed(Poco::Net::StreamSocket& s, const std::string& drip,
                          std::chrono::milliseconds every, std::chrono::seconds limit) {
  const auto start = Clock::now();
  size_t sent = 0;
  auto nextDrip = start;
  while (Clock::now() - start < limit) {
    if (closedByServer(s)) return std::chrono::duration<double>(Clock::now() - start).count();
    if (!drip.empty() && Clock::now() >= nextDrip) {
      try {
        s.sendBytes(&drip[sent % drip.size()], 1);
        ++sent;
      } catch (const Poco::Exception&) {
        return std::chrono::duration<double>(Clock::now() - start).count();
      }
      nextDrip += every;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

TEST(HardeningSlowloris, DrippedRequestHeadIsCutAtTheHeadDeadline) {
  web::ServerConfig cfg;
  cfg.headTimeoutSeconds = 1;
  TestServer server(cfg);
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server.port()));
  const double closedAfter = secondsUntilClosed(
      s, "GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      std::chrono::milliseconds(200), std::chrono::seconds(6));
  EXPECT_GT(closedAfter, 0.0) << "still open after 6 s of one byte per 200 ms";
  EXPECT_LT(closedAfter, 2.5);
}

TEST(HardeningSlowloris, SilentConnectionIsClosedAtTheHeadDeadline) {
  web::ServerConfig cfg;
  cfg.headTimeoutSeconds = 1;
  TestServer server(cfg);
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server.port()));
  const double closedAfter =
      secondsUntilClosed(s, "", std::chrono::milliseconds(0), std::chrono::seconds(6));
  EXPECT_GT(closedAfter, 0.0) << "a connection that sends nothing is still open after 6 s";
  EXPECT_LT(closedAfter, 2.5);
}

TEST(HardeningSlowloris, IdleKeepAliveConnectionIsClosedAfterItsTimeout) {
  web::ServerConfig cfg;
  cfg.keepAliveTimeoutSeconds = 1;
  cfg.headTimeoutSeconds = 10;
  TestServer server(cfg);
  Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server.port()));
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  s.sendBytes(req.data(), static_cast<int>(req.size()));
  std::string answer;
  char buf[4096];
  s.setReceiveTimeout(Poco::Timespan(5, 0));
  while (!contains(answer, "\r\n\r\n") || !contains(answer, "ok schema=")) {
    const int n = s.receiveBytes(buf, sizeof buf);
    ASSERT_GT(n, 0) << answer;
    answer.append(buf, static_cast<size_t>(n));
  }
  ASSERT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  const double closedAfter =
      secondsUntilClosed(s, "", std::chrono::milliseconds(0), std::chrono::seconds(6));
  EXPECT_GT(closedAfter, 0.0) << "an idle keep-alive connection is still open after 6 s";
  EXPECT_LT(closedAfter, 2.5);
}

// A normal client's request on a fresh connection; its status, or 0 if no answer came within
// `timeout`.
int statusWithin(uint16_t port, const std::string& path, Poco::Timespan timeout) {
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(timeout);
    Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    std::string body;
    Poco::StreamCopier::copyToString(in, body);
    return resp.getStatus();
  } catch (const Poco::Exception&) {
    return 0;
  }
}

TEST(HardeningSlowloris, SlowClientsDoNotStopANormalClient) {
  web::ServerConfig cfg;
  cfg.minThreads = 2;
  cfg.maxThreads = 4;
  cfg.headTimeoutSeconds = 30;  // the slow clients keep their threads for the whole test
  cfg.maxConnectionsPerAddress = 2;
  TestServer server(cfg);

  // 20 slow clients from another address, each a request head started and never finished.
  std::vector<Poco::Net::StreamSocket> slow;
  for (int i = 0; i < 20; ++i) {
    slow.push_back(connectFrom("127.0.0.2", server.port()));
    const std::string start = "GET /healthz HTTP/1.1\r\nX-Slow: a";
    try {
      slow.back().sendBytes(start.data(), static_cast<int>(start.size()));
    } catch (const Poco::Exception&) {
      // refused at accept: the cap at work
    }
  }
  std::atomic<bool> stop{false};
  std::thread drip([&] {
    while (!stop) {
      for (auto& s : slow) {
        try {
          s.sendBytes("a", 1);
        } catch (const Poco::Exception&) {
          // closed by the server
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  for (int i = 0; i < 3; ++i) {
    const auto start = Clock::now();
    EXPECT_EQ(statusWithin(server.port(), "/healthz", Poco::Timespan(1, 0)), 200);
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 1.0);
  }
  int closed = 0;
  for (auto& s : slow) closed += closedByServer(s) ? 1 : 0;
  stop = true;
  drip.join();
  EXPECT_GE(closed, 18) << "the address cap (2) should have closed the other slow clients";
}

}  // namespace
}  // namespace liufang::testkit
