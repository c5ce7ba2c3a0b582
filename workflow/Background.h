#pragma once
// Work the server does on its own, outside any request, on Poco::Util::Timer threads:
//   DeadlineSweepTask    fires `tick` on items whose deadline light is stale (Engine::sweep);
//   SessionPurgeTask     deletes web sessions idle past the limit;
//   WebhookDeliveryTask  drains the webhook outbox (workflow/Webhooks.h) on a timer of its
//                        own, so a slow receiver never delays the sweep or any request.
// BackgroundWork owns the timers; `liufang serve` (web/ServerApp.cpp) starts them before the
// HTTP server and stops them after.
#include <Poco/Util/Timer.h>
#include <Poco/Util/TimerTask.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "model/Clock.h"
#include "model/Store.h"
#include "workflow/Engine.h"
#include "workflow/Webhooks.h"

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

// Sends the due webhook deliveries: one WebhookDeliverer::drain() per run. A failed run is
// logged; the next one tries again.
class WebhookDeliveryTask : public Poco::Util::TimerTask {
 public:
  // store and clock must outlive the task.
  // store, clock and stop must outlive the task; stop set ends a drain between attempts.
  WebhookDeliveryTask(model::Store& store, const model::Clock& clock, WebhookPolicy policy,
                      const std::atomic<bool>& stop)
      : deliverer_(store, clock, policy), stop_(stop) {}
  void run() override;

 private:
  WebhookDeliverer deliverer_;
  const std::atomic<bool>& stop_;
};

struct BackgroundOptions {
  std::chrono::milliseconds sweepInterval{60'000};  // serve: sweep.interval_seconds
  std::chrono::milliseconds purgeInterval{60'000};  // serve: the same interval
  std::chrono::minutes sessionIdle{30};             // serve: session.idle_minutes
  std::chrono::milliseconds webhookInterval{5'000};  // serve: webhook.interval_seconds
  WebhookPolicy webhook;  // serve: webhook.timeout_seconds, webhook.max_attempts
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

  // Runs the sweep and the purge once in the calling thread, so lights are right before the
  // first request, then schedules them every interval (fixed delay) on the timer thread; the
  // webhook delivery starts at once on its own timer thread.
  void start();
  // Cancels what is pending, lets a running task finish and joins the timer threads (a
  // delivery in flight ends within the webhook timeout). Safe to call twice and without
  // start().
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
  std::unique_ptr<Poco::Util::Timer> webhookTimer_;  // its own thread: receivers may be slow
  std::atomic<bool> stopping_{false};
};

}  // namespace liufang::workflow
