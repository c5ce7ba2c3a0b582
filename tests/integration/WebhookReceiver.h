#pragma once
// A real HTTP receiver for webhook tests (Poco HTTPServer on 127.0.0.1, an ephemeral port) and
// the HMAC-SHA256 a receiver checks the X-Liufang-Signature header against.
#include <Poco/Event.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <sodium.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace liufang::testkit {

// What the receiver saw of one request.
struct Received {
  std::string body, signature, event, delivery, contentType;
};

// A real HTTP receiver on 127.0.0.1: answers the scripted statuses in turn (then 200), or
// holds every request until released when `hang` is set.
class Receiver {
 public:
  explicit Receiver(std::vector<int> statuses = {}) : statuses_(std::move(statuses)) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
    server_->start();
  }
  ~Receiver() {
    release_.set();
    server_->stopAll(true);
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hook?from=liufang";
  }
  std::vector<Received> received() {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }
  std::atomic<bool> hang{false};
  std::atomic<int> inFlight{0};
  Poco::Event release_{false};

 private:
  struct Handler : Poco::Net::HTTPRequestHandler {
    explicit Handler(Receiver& r) : r_(r) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req,
                       Poco::Net::HTTPServerResponse& res) override {
      Received got;
      Poco::StreamCopier::copyToString(req.stream(), got.body);
      got.signature = req.get("X-Liufang-Signature", "");
      got.event = req.get("X-Liufang-Event", "");
      got.delivery = req.get("X-Liufang-Delivery", "");
      got.contentType = req.getContentType();
      int status = 200;
      {
        std::lock_guard<std::mutex> lock(r_.mutex_);
        if (r_.received_.size() < r_.statuses_.size()) status = r_.statuses_[r_.received_.size()];
        r_.received_.push_back(got);
      }
      if (r_.hang) {
        ++r_.inFlight;
        r_.release_.tryWait(10'000);
        --r_.inFlight;
      }
      res.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
      res.setContentLength(2);
      res.send() << "ok";
    }
    Receiver& r_;
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(Receiver& r) : r_(r) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(r_);
    }
    Receiver& r_;
  };
  std::vector<int> statuses_;
  std::mutex mutex_;
  std::vector<Received> received_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

// The HMAC-SHA256 of body under key, recomputed here with libsodium.
inline std::string hmacHex(const std::string& key, const std::string& body) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

}  // namespace liufang::testkit
