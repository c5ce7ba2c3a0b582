#pragma once
// Running the real `liufang` binary (or sqlite3) from a test: no shell, output collected.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;

namespace liufang::testkit {

struct CliOutcome {
  int exitCode = -1;   // -1 if it did not exit normally
  std::string output;  // stdout and stderr together
};

// Runs args[0] (searched in PATH if it has no slash) with no shell; waits and collects its
// output.
inline CliOutcome runCli(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  CliOutcome out;
  if (rc != 0) {
    close(fds[0]);
    out.output = "cannot start " + args[0];
    return out;
  }
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.output.append(buf, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) out.exitCode = WEXITSTATUS(status);
  return out;
}

}  // namespace liufang::testkit
