// keepalive_load: are N browsers served at the same time? Opens N keep-alive connections to one
// URL, one client thread each: connect, one request, then wait at a start line until every
// client has had its first answer (or the deadline passes), so all N connections are held open
// at once; then R more requests on the same connection. A server whose thread pool is smaller
// than N leaves the surplus connections queued behind idle keep-alive ones (Poco's default pool
// stops at 16), so they are not served before the deadline and the run fails.
//
//   keepalive_load [--url URL] [--clients N] [--requests R] [--deadline SECONDS]
//     --url       a page that needs no sign-in (default http://127.0.0.1:8080/login)
//     --clients   concurrent keep-alive connections (default 256)
//     --requests  further requests per connection after the start line (default 3)
//     --deadline  seconds by which every client must have had its first answer (default 20)
//
// Prints clients served, requests ok, failures, p50/p99 latency and whether all N were served
// concurrently. Exit status 0 only if every client was served before the deadline and every
// request answered 200 on its own, still open connection; 1 otherwise; 2 for bad arguments.
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Options {
  std::string url = "http://127.0.0.1:8080/login";
  int clients = 256;
  int requests = 3;
  int deadlineSeconds = 20;
};

// What one client saw.
struct ClientResult {
  bool served = false;          // first answer arrived before the deadline
  double firstMs = 0;           // connect + first request
  std::vector<double> laterMs;  // the requests after the start line that succeeded
  int ok = 0;                   // requests answered 200 (first one included)
  int failed = 0;               // requests that failed, timed out or were not answered
  int reconnects = 0;           // later requests that found the connection gone
  std::string error;            // the first failure, for the report
};

// A one-shot barrier with a deadline: each client arrives once, after its first answer or its
// failure, and waits until all have arrived or the deadline passes.
class StartLine {
 public:
  explicit StartLine(int expected) : expected_(expected) {}

  // Counts this arrival, then waits. Returns true if all clients arrived before `deadline`.
  bool arriveAndWait(SteadyClock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (++arrived_ == expected_) {
      allArrivedAt_ = SteadyClock::now();
      allArrived_.notify_all();
    }
    return allArrived_.wait_until(lock, deadline, [&] { return arrived_ == expected_; });
  }

  // When the last client arrived; only meaningful if every client did.
  SteadyClock::time_point allArrivedAt() {
    std::lock_guard<std::mutex> lock(mutex_);
    return allArrivedAt_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable allArrived_;
  const int expected_;
  int arrived_ = 0;
  SteadyClock::time_point allArrivedAt_{};
};

double msSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

// One GET on the session's connection; reads the whole body so the connection can be reused.
// Returns the latency in ms; throws on a transport error, a non-200 answer or "Connection: close".
double fetch(Poco::Net::HTTPClientSession& session, const std::string& pathAndQuery) {
  const auto t0 = SteadyClock::now();
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, pathAndQuery,
                             Poco::Net::HTTPMessage::HTTP_1_1);
  req.setKeepAlive(true);
  session.sendRequest(req);
  Poco::Net::HTTPResponse resp;
  std::istream& body = session.receiveResponse(resp);
  Poco::NullOutputStream sink;
  Poco::StreamCopier::copyStream(body, sink);
  if (resp.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
    throw std::runtime_error("HTTP " + std::to_string(static_cast<int>(resp.getStatus())));
  if (!resp.getKeepAlive()) throw std::runtime_error("the server closed the keep-alive connection");
  return msSince(t0);
}

std::string describe(const std::exception& e) {
  if (auto* pe = dynamic_cast<const Poco::Exception*>(&e)) return pe->displayText();
  return e.what();
}

Poco::Timespan untilDeadline(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::microseconds>(deadline - SteadyClock::now());
  return Poco::Timespan(std::max<Poco::Timespan::TimeDiff>(left.count(), 1000));
}

void runClient(const Options& o, const Poco::URI& uri, StartLine& line,
               SteadyClock::time_point deadline, ClientResult& r) {
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setKeepAlive(true);
  // Poco's client silently reconnects after 8 s idle; we hold connections longer than that on
  // purpose and want to see it if the server dropped one, so never let the client decide.
  session.setKeepAliveTimeout(Poco::Timespan(24 * 3600, 0));
  const std::string path = uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery();
  Poco::UInt16 localPort = 0;
  try {
    session.setTimeout(untilDeadline(deadline));
    const auto t0 = SteadyClock::now();
    fetch(session, path);
    r.firstMs = msSince(t0);
    r.served = SteadyClock::now() <= deadline;
    if (!r.served) throw std::runtime_error("first answer came after the deadline");
    ++r.ok;
    localPort = session.socket().address().port();
  } catch (const std::exception& e) {
    ++r.failed;
    r.error = "first request: " + describe(e);
  }
  line.arriveAndWait(deadline);
  if (!r.served) return;

  session.setTimeout(Poco::Timespan(10, 0));
  for (int i = 0; i < o.requests; ++i) {
    try {
      const double ms = fetch(session, path);
      // Same local port = same TCP connection; a new one means the held connection was lost.
      if (session.socket().address().port() != localPort) {
        ++r.reconnects;
        throw std::runtime_error("the held connection was gone; Poco reconnected");
      }
      r.laterMs.push_back(ms);
      ++r.ok;
    } catch (const std::exception& e) {
      ++r.failed;
      if (r.error.empty()) r.error = "request " + std::to_string(i + 2) + ": " + describe(e);
      return;  // the connection is not trustworthy any more
    }
  }
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "keepalive_load: " << why << "\n"
            << "usage: keepalive_load [--url URL] [--clients N] [--requests R] [--deadline S]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") usage("keep-alive load check");
    if (i + 1 >= argc) usage("missing value for " + a);
    const std::string v = argv[++i];
    try {
      if (a == "--url")
        o.url = v;
      else if (a == "--clients")
        o.clients = std::stoi(v);
      else if (a == "--requests")
        o.requests = std::stoi(v);
      else if (a == "--deadline")
        o.deadlineSeconds = std::stoi(v);
      else
        usage("unknown option " + a);
    } catch (const std::logic_error&) {
      usage("not a number: " + a + " " + v);
    }
  }
  if (o.clients < 1 || o.requests < 0 || o.deadlineSeconds < 1) usage("values out of range");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  Poco::URI uri;
  try {
    uri = Poco::URI(o.url);
  } catch (const Poco::Exception& e) {
    usage("bad --url: " + e.displayText());
  }
  if (uri.getScheme() != "http") usage("--url must be http://");

  std::printf(
      "keepalive_load: %d clients x (1 + %d) requests on held keep-alive connections -> %s"
      " (deadline %d s)\n",
      o.clients, o.requests, o.url.c_str(), o.deadlineSeconds);
  std::fflush(stdout);

  StartLine line(o.clients);
  std::vector<ClientResult> results(static_cast<size_t>(o.clients));
  const auto start = SteadyClock::now();
  const auto deadline = start + std::chrono::seconds(o.deadlineSeconds);
  {
    std::vector<std::thread> threads;
    threads.reserve(results.size());
    for (auto& r : results)
      threads.emplace_back([&, rp = &r] { runClient(o, uri, line, deadline, *rp); });
    for (auto& t : threads) t.join();
  }
  const double totalS = msSince(start) / 1000.0;

  int served = 0, ok = 0, failed = 0, reconnects = 0;
  std::vector<double> first, all;
  std::vector<std::string> errors;
  for (const auto& r : results) {
    served += r.served ? 1 : 0;
    ok += r.ok;
    failed += r.failed;
    reconnects += r.reconnects;
    if (r.served) {
      first.push_back(r.firstMs);
      all.push_back(r.firstMs);
    }
    all.insert(all.end(), r.laterMs.begin(), r.laterMs.end());
    if (!r.error.empty()) errors.push_back(r.error);
  }
  const bool allServed = served == o.clients;
  const bool concurrent = allServed && failed == 0 && reconnects == 0;
  const double allServedAfterS =
      allServed ? std::chrono::duration<double>(line.allArrivedAt() - start).count() : 0;

  std::printf("clients served:      %d/%d (first answer within %d s)\n", served, o.clients,
              o.deadlineSeconds);
  std::printf("requests ok:         %d/%d\n", ok, o.clients * (1 + o.requests));
  std::printf("failures:            %d (reconnects %d)\n", failed, reconnects);
  std::printf("latency, all:        p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", percentile(all, 50),
              percentile(all, 99), percentile(all, 100));
  std::printf("latency, first:      p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", percentile(first, 50),
              percentile(first, 99), percentile(first, 100));
  if (allServed) std::printf("all %d held open at once after %.2f s\n", o.clients, allServedAfterS);
  std::printf("served concurrently: %s (run took %.2f s)\n", concurrent ? "yes" : "NO", totalS);
  // A few distinct reasons are enough to see what went wrong.
  std::sort(errors.begin(), errors.end());
  errors.erase(std::unique(errors.begin(), errors.end()), errors.end());
  for (size_t i = 0; i < errors.size() && i < 5; ++i)
    std::printf("  failure: %s\n", errors[i].c_str());
  return concurrent ? 0 : 1;
}
