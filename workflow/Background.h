#pragma once
// Work the server does on its own, outside any request, on one Poco::Util::Timer thread:
//   DeadlineSweepTask  fires `tick` on items whose deadline light is stale (Engine::sweep);
//   SessionPurgeTask   deletes web sessions idle past the limit.
// BackgroundWork owns the timer; `liufang serve` (web/ServerApp.cpp) starts it before the
// HTTP server and stops it after. Webhook delivery joins here as a third task (draining an
// outbox written in the Engine's transaction); being slow on a remote receiver, it gets its own
// timer or a Poco::TaskManager thread, so it never delays the sweep.
#include <Poco/Util/Timer.h>
#include <Poco/Util/TimerTask.h>

#include <chrono>
#include <functional>
#include <memory>

#include "model/Clock.h"
#include "model/Store.h"
#include "workflow/Engine.h"

namespace liufang::workflow {

// Refreshes deadline lights: one Engine::sweep() per run. A failed run is logged; the next
// one tries again.
class DeadlineSweepTask : public Poco::Util::TimerTask {
 public:
  // engine must outlive the task. onRun (if set) hears each run's outcome (ok or failed).
  explicit DeadlineSweepTask(Engine& engine, std::function<void(bool ok)> onRun = {})
      : engine_(engine), onRun_(std::move(onRun)) {}
  void run() override;

 private:
  Engine& engine_;
  std::function<void(bool ok)> onRun_;
};

// Deletes the sessions nobody has used for `idle` (they would be refused on use anyway; this
// keeps the table small). A failed run is logged; the next one tries again.
class SessionPurgeTask : public Poco::Util::TimerTask {
 public:
  // store and clock must outlive the task.
  SessionPurgeTask(model::Store& store, const model::Clock& clock, std::chrono::minutes idle)
      : store_(store), clock_(clock), idle_(idle) {}
  void run() override;

 private:
  model::Store& store_;
  const model::Clock& clock_;
  std::chrono::minutes idle_;
};

struct BackgroundOptions {
  std::chrono::milliseconds sweepInterval{60'000};  // serve: sweep.interval_seconds
  std::chrono::milliseconds purgeInterval{60'000};  // serve: the same interval
  std::chrono::minutes sessionIdle{30};             // serve: session.idle_minutes
  // Hears each sweep run's outcome, on the timer thread (serve: the /metrics counter).
  std::function<void(bool ok)> onSweepRun;
};

class BackgroundWork {
 public:
  // store and clock must outlive this object. Nothing runs before start().
  BackgroundWork(model::Store& store, const model::Clock& clock, BackgroundOptions options);
  // Stops (see stop()).
  ~BackgroundWork();
  BackgroundWork(const BackgroundWork&) = delete;
  BackgroundWork& operator=(const BackgroundWork&) = delete;

  // Runs each task once in the calling thread, so lights are right before the first request,
  // then schedules them every interval (fixed delay) on the timer thread.
  void start();
  // Cancels what is pending, lets a running task finish and joins the timer thread. Safe to
  // call twice and without start().
  void stop();
  // The engine the sweep fires `tick` through, for observers (metrics) to subscribe to before
  // start().
  Engine& engine() { return engine_; }

 private:
  model::Store& store_;
  const model::Clock& clock_;
  BackgroundOptions options_;
  Engine engine_;
  std::unique_ptr<Poco::Util::Timer> timer_;
};

}  // namespace liufang::workflow
