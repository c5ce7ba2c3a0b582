// The shipped binary: `liufang init --demo` then `liufang serve --port 0`, read the port from
// the "listening on" line, and talk to it.
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <fstream>

#include "CliTestKit.h"
#include "ServedDemo.h"
#include "WebTestKit.h"

namespace liufang::testkit {
namespace {

TEST(ServeBinary, PrintsListeningLineAndServesTheDemo) {
  ServedDemo served("bin");
  ASSERT_NE(served.port(), 0);
  Reply health = send(served.port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  Reply token = send(served.port(), "POST", "/api/v1/session",
                     R"({"username":"ducha","password":"taoyuanju-2026"})", "application/json");
  EXPECT_EQ(token.status, 200) << token.body;
  EXPECT_EQ(served.stop(), 0) << "SIGTERM stops it cleanly";
}

// A log file that cannot be opened stops the start with the reason and the config exit code,
// rather than the server running with a log nobody will find.
TEST(ServeBinary, RefusesToStartWithAnUnwritableLogFile) {
  const std::string config =
      Poco::Path::temp() + "liufang-badlog-" + std::to_string(::getpid()) + ".properties";
  std::ofstream(config) << "log.file = /proc/no-such-folder/liufang.log\n"
                        << "http.bind = 127.0.0.1\nhttp.port = 0\n"
                        << "db.path = " << Poco::Path::temp() << "liufang-badlog-unused.db\n";
  const CliOutcome out = runCli({LIUFANG_BINARY, "serve", "--config", config});
  Poco::File(config).remove();
  EXPECT_EQ(out.exitCode, 78) << out.output;  // EX_CONFIG
  EXPECT_NE(out.output.find("log.file"), std::string::npos) << out.output;
  EXPECT_EQ(out.output.find("listening on"), std::string::npos) << out.output;
}

}  // namespace
}  // namespace liufang::testkit
