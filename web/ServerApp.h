#pragma once
// `liufang serve`: the HTTP server as a Poco::Util::ServerApplication.

namespace liufang::web {

// Runs the server with argv as `liufang serve [--port N] [--db PATH] [--config FILE] ...`
// (argv[0] is the program). Blocks until SIGINT/SIGTERM. Returns the process exit code.
int runServe(int argc, char** argv);

}  // namespace liufang::web
