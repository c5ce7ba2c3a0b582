#include "workflow/Background.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace liufang::workflow {

void DeadlineSweepTask::run() {
  try {
    const int moved = engine_.sweep();
    if (moved == 0) spdlog::debug("deadline sweep: nothing changed");
    // Engine::sweep logs the items it moved.
  } catch (const std::exception& e) {
    spdlog::error("deadline sweep failed: {}", e.what());
    if (onRun_) onRun_(false);
    return;
  }
  if (onRun_) onRun_(true);
}

void SessionPurgeTask::run() {
  try {
    store_.deleteSessionsSeenBefore(model::formatInstant(clock_.now() - idle_));
  } catch (const std::exception& e) {
    spdlog::error("session purge failed: {}", e.what());
  }
}

void WebhookDeliveryTask::run() {
  try {
    deliverer_.drain(&stop_);  // each attempt is logged by the deliverer
  } catch (const std::exception& e) {
    spdlog::error("webhook delivery failed: {}", e.what());
  }
}

BackgroundWork::BackgroundWork(model::Store& store, const model::Clock& clock,
                               BackgroundOptions options)
    : store_(store), clock_(clock), options_(options), engine_(store, clock) {}

BackgroundWork::~BackgroundWork() { stop(); }

void BackgroundWork::start() {
  stop();
  stopping_ = false;
  Poco::Util::TimerTask::Ptr sweep(new DeadlineSweepTask(engine_, options_.onSweepRun));
  Poco::Util::TimerTask::Ptr purge(new SessionPurgeTask(store_, clock_, options_.sessionIdle));
  sweep->run();
  purge->run();
  const auto ms = [](std::chrono::milliseconds d) {
    return static_cast<long>(std::max<int64_t>(1, d.count()));
  };
  timer_ = std::make_unique<Poco::Util::Timer>();
  timer_->schedule(sweep, ms(options_.sweepInterval), ms(options_.sweepInterval));
  timer_->schedule(purge, ms(options_.purgeInterval), ms(options_.purgeInterval));
  Poco::Util::TimerTask::Ptr deliver(
      new WebhookDeliveryTask(store_, clock_, options_.webhook, stopping_));
  webhookTimer_ = std::make_unique<Poco::Util::Timer>();
  webhookTimer_->schedule(deliver, 1L, ms(options_.webhookInterval));
  spdlog::info(
      "background work: deadline sweep every {} ms, session purge every {} ms, webhook "
      "delivery every {} ms",
      options_.sweepInterval.count(), options_.purgeInterval.count(),
      options_.webhookInterval.count());
}

void BackgroundWork::stop() {
  stopping_ = true;  // a drain in progress ends after its current attempt
  for (auto* t : {&webhookTimer_, &timer_}) {
    if (!*t) continue;
    (*t)->cancel(true);
    t->reset();  // ~Timer joins its thread
  }
}

}  // namespace liufang::workflow
