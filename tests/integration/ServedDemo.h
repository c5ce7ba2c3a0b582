#pragma once
// The shipped binary serving a demo: `liufang init --demo` into a fresh folder, then
// `liufang serve --port 0` on loopback, the port read from its "listening on" line.
#include <Poco/File.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace liufang::testkit {

class ServedDemo {
 public:
  // Starts the server; port() is 0 (and a failure is recorded) if it did not come up.
  explicit ServedDemo(const std::string& tag) {
    Poco::Path dir(Poco::Path::temp());
    dir.pushDirectory("liufang-" + tag + "-" + std::to_string(::getpid()));
    dir_ = dir.toString();
    Poco::File(dir_).createDirectories();
    const std::string db = dir_ + "demo.db";
    {
      Poco::Pipe out;
      auto init = Poco::Process::launch(LIUFANG_BINARY, {"init", "--demo", "--db", db}, nullptr,
                                        &out, &out);
      Poco::PipeInputStream in(out);
      std::string text;
      Poco::StreamCopier::copyToString(in, text);
      if (init.wait() != 0) {
        ADD_FAILURE() << "init --demo failed: " << text;
        return;
      }
    }
    Poco::Pipe out;
    server_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
        LIUFANG_BINARY, {"serve", "--port", "0", "--bind", "127.0.0.1", "--db", db}, nullptr, &out,
        nullptr));
    Poco::PipeInputStream in(out);
    std::string line;
    std::getline(in, line);
    const std::string prefix = "listening on http://127.0.0.1:";
    if (line.rfind(prefix, 0) != 0) {
      ADD_FAILURE() << "no listening line: " << line;
      return;
    }
    port_ = static_cast<uint16_t>(std::stoi(line.substr(prefix.size())));
  }
  ~ServedDemo() {
    stop();
    try {
      Poco::File(dir_).remove(true);
    } catch (...) {
      // a leftover temp folder is not a test failure
    }
  }
  ServedDemo(const ServedDemo&) = delete;
  ServedDemo& operator=(const ServedDemo&) = delete;

  uint16_t port() const { return port_; }
  // Stops the server with SIGTERM and returns its exit code (0 for a clean stop), once.
  int stop() {
    if (!server_) return exitCode_;
    Poco::Process::requestTermination(server_->id());
    exitCode_ = server_->wait();
    server_.reset();
    return exitCode_;
  }

 private:
  std::string dir_;
  std::unique_ptr<Poco::ProcessHandle> server_;
  uint16_t port_ = 0;
  int exitCode_ = -1;
};

// Runs `liufang serve --port 0 --bind 127.0.0.1 --db DB ARGS...` on an existing database until
// it answers /livez (its start-up sweep has run by then), lets `whileUp` use its port, stops
// it with SIGTERM and returns its exit code (0 for a clean stop; -1 if it never came up).
inline int serveOnce(const std::string& db, const std::vector<std::string>& args,
                     const std::function<void(uint16_t port)>& whileUp = {}) {
  std::vector<std::string> all = {"serve", "--port", "0", "--bind", "127.0.0.1", "--db", db};
  all.insert(all.end(), args.begin(), args.end());
  Poco::Pipe out;
  auto server = Poco::Process::launch(LIUFANG_BINARY, all, nullptr, &out, nullptr);
  Poco::PipeInputStream in(out);
  std::string line;
  std::getline(in, line);
  const std::string prefix = "listening on http://127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) {
    ADD_FAILURE() << "no listening line: " << line;
    Poco::Process::requestTermination(server.id());
    server.wait();
    return -1;
  }
  const auto port = static_cast<uint16_t>(std::stoi(line.substr(prefix.size())));
  // Answering a request means start-up is over (the termination handler is in place).
  Poco::Net::HTTPClientSession http("127.0.0.1", port);
  Poco::Net::HTTPRequest req("GET", "/livez", Poco::Net::HTTPMessage::HTTP_1_1);
  http.sendRequest(req);
  Poco::Net::HTTPResponse res;
  http.receiveResponse(res);
  EXPECT_EQ(res.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
  if (whileUp) whileUp(port);
  Poco::Process::requestTermination(server.id());
  return server.wait();
}

}  // namespace liufang::testkit
