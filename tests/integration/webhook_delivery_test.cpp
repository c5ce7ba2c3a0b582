// The outgoing webhook against a real local receiver (Poco HTTPServer on a loopback port): the
// outbox row is written in the event's transaction (none for a refused event), the delivery
// retries with exponential backoff on the injected clock until the receiver answers 200, the
// signature verifies, and a receiver that hangs costs one timed-out attempt, not a request.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "CliTestKit.h"
#include "WebhookReceiver.h"
#include "EngineTestKit.h"
#include "model/Errors.h"
#include "workflow/Background.h"
#include "workflow/Webhooks.h"

using namespace liufang;
using testkit::shanghai;

namespace {

using testkit::hmacHex;
using testkit::Received;
using testkit::Receiver;

const std::string kSecret = "s3cret-for-the-district-bridge";

class WebhookDelivery : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::off);
    ASSERT_GE(sodium_init(), 0);
    path_ = dir_.file("webhook.db");
    store_ = model::openSqliteStore(testkit::testStoreOptions(path_));
    town_ = testkit::TestCommunity::create(*store_);
  }

  workflow::Command assign() {
    return workflow::Command("assign").set("lead", "wuye").set("standard", "亮灯").set(
        "due", "2026-12-31");
  }
  int outboxRows() { return std::stoi(testkit::queryOne(path_, "SELECT COUNT(*) FROM webhook_outbox")); }
  std::string col(const std::string& sql) { return testkit::queryOne(path_, sql); }

  testkit::TempDir dir_{"webhook"};
  std::string path_;
  std::unique_ptr<model::Store> store_;
  testkit::TestCommunity town_;
  model::ManualClock clock_{shanghai("2026-11-16", 9)};
};

TEST_F(WebhookDelivery, RetriesWithBackoffUntilTheReceiverAnswersAndSignsTheExactBody) {
  Receiver receiver({500, 500});  // the third attempt gets 200
  workflow::setCommunityWebhook(*store_, clock_, "taoyuanju", receiver.url(), kSecret);
  workflow::Engine engine(*store_, clock_);
  const int64_t id = town_.resolvedItem(engine);
  EXPECT_EQ(outboxRows(), 0) << "take_up and resolve notify nobody, so no delivery";
  engine.apply(id, assign(), town_.convener);
  ASSERT_EQ(outboxRows(), 1);

  workflow::WebhookDeliverer deliverer(*store_, clock_);
  const auto t0 = clock_.now();
  EXPECT_EQ(deliverer.drain(), 1);  // 500
  EXPECT_EQ(col("SELECT next_attempt_at FROM webhook_outbox"),
            model::formatInstant(t0 + std::chrono::seconds(30)));
  EXPECT_EQ(deliverer.drain(), 0) << "not due before its backoff";
  clock_.advance(std::chrono::seconds(29));
  EXPECT_EQ(deliverer.drain(), 0);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(deliverer.drain(), 1);  // 500 again: the next wait doubles
  EXPECT_EQ(col("SELECT next_attempt_at FROM webhook_outbox"),
            model::formatInstant(t0 + std::chrono::seconds(30 + 60)));
  clock_.advance(std::chrono::seconds(59));
  EXPECT_EQ(deliverer.drain(), 0);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(deliverer.drain(), 1);  // 200
  clock_.advance(std::chrono::hours(5));
  EXPECT_EQ(deliverer.drain(), 0) << "a delivered row is never sent again";

  // Three attempts recorded at the backoff's instants, the last one delivered.
  const auto deliveries = store_->webhookDeliveries(town_.id, 10);
  ASSERT_EQ(deliveries.size(), 1u);
  const auto& d = deliveries[0];
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(d.lastStatus, 200);
  EXPECT_EQ(d.deliveredAt, model::formatInstant(t0 + std::chrono::seconds(90)));
  EXPECT_FALSE(d.failed);
  const auto attempts = store_->webhookAttempts(town_.id, d.id);
  ASSERT_EQ(attempts.size(), 3u);
  const int statuses[] = {500, 500, 200};
  const int offsets[] = {0, 30, 90};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(attempts[i].status, statuses[i]);
    EXPECT_EQ(attempts[i].at, model::formatInstant(t0 + std::chrono::seconds(offsets[i])));
    EXPECT_GE(attempts[i].durationMs, 0);
  }
  EXPECT_EQ(attempts[0].error, "Internal Server Error");

  // The receiver saw the same signed body three times, with the delivery id to dedupe on.
  const auto got = receiver.received();
  ASSERT_EQ(got.size(), 3u);
  for (const auto& r : got) {
    EXPECT_EQ(r.body, got[0].body);
    EXPECT_EQ(r.signature, "sha256=" + hmacHex(kSecret, r.body));
    EXPECT_NE(r.signature, "sha256=" + hmacHex("another secret!!", r.body));
    EXPECT_EQ(r.event, "assign");
    EXPECT_EQ(r.delivery, std::to_string(d.id));
    EXPECT_EQ(r.contentType, "application/json; charset=utf-8");
  }
  EXPECT_EQ(got[0].body, d.body) << "the stored body is the exact bytes sent";
  const auto body = Poco::JSON::Parser().parse(got[0].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(body->getValue<std::string>("event"), "assign");
  EXPECT_EQ(body->getValue<std::string>("kind"), "item");
  EXPECT_EQ(body->getValue<int64_t>("stream_id"), id);
  EXPECT_EQ(body->getValue<int64_t>("seq"), 4);
  EXPECT_EQ(body->getValue<std::string>("community"), "taoyuanju");
  EXPECT_EQ(body->getValue<std::string>("at"), model::formatInstant(t0));
  EXPECT_EQ(body->getValue<std::string>("url"), "/items/" + std::to_string(id));
  const auto actor = body->getObject("actor");
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->getValue<int64_t>("user"), town_.convener.userId);
  EXPECT_EQ(actor->getValue<std::string>("party"), "dangwei");
  EXPECT_EQ(actor->getValue<std::string>("name"), "shuji");
  const auto item = body->getObject("item");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->getValue<int64_t>("id"), id);
  EXPECT_EQ(item->getValue<std::string>("title"), "路灯不亮");
  EXPECT_EQ(item->getValue<std::string>("state"), "deadline.on_track");
  EXPECT_EQ(item->getValue<std::string>("lead"), "wuye");
  EXPECT_EQ(item->getValue<std::string>("due"), "2026-12-31");
}

TEST_F(WebhookDelivery, RefusedEventsAndCommunitiesWithoutAnEnabledWebhookWriteNoRow) {
  Receiver receiver;
  workflow::setCommunityWebhook(*store_, clock_, "taoyuanju", receiver.url(), kSecret);
  workflow::Engine engine(*store_, clock_);
  const int64_t id = town_.resolvedItem(engine);
  // Refused: no lead party. The event, its notice and its delivery roll back together.
  EXPECT_THROW(engine.apply(id, workflow::Command("assign").set("standard", "亮灯").set(
                                    "due", "2026-12-31"),
                            town_.convener),
               Error);
  EXPECT_EQ(outboxRows(), 0);
  // A representative may not assign, and an item being assigned takes no urge: refused too.
  EXPECT_THROW(engine.apply(id, assign(), town_.rep("wuye")), Forbidden);
  EXPECT_THROW(engine.apply(id, workflow::Command("urge").set("note", "快"), town_.supervisor),
               Refused);
  EXPECT_EQ(outboxRows(), 0);

  // Another community without a webhook: its notifying events queue nothing.
  const auto other = testkit::TestCommunity::create(*store_, "xinghe");
  engine.apply(other.resolvedItem(engine), assign(), other.convener);
  EXPECT_EQ(outboxRows(), 0);

  // Turned off: nothing queued; on again: the next notifying event is.
  workflow::disableCommunityWebhook(*store_, clock_, "taoyuanju");
  engine.apply(id, assign(), town_.convener);
  EXPECT_EQ(outboxRows(), 0);
  workflow::setCommunityWebhook(*store_, clock_, "taoyuanju", receiver.url(), kSecret);
  engine.apply(id, workflow::Command("urge").set("note", "请尽快"), town_.supervisor);
  EXPECT_EQ(outboxRows(), 1);
  EXPECT_EQ(col("SELECT type FROM webhook_outbox"), "urge");

  EXPECT_THROW(workflow::setCommunityWebhook(*store_, clock_, "taoyuanju",
                                             "https://example.org/hook", kSecret),
               Invalid);
  EXPECT_THROW(workflow::setCommunityWebhook(*store_, clock_, "taoyuanju", receiver.url(), "short"),
               Invalid);
  EXPECT_THROW(workflow::setCommunityWebhook(*store_, clock_, "nowhere", receiver.url(), kSecret),
               NotFound);
}

TEST_F(WebhookDelivery, GivesUpAfterTheLastAttemptAndKeepsTheRowListed) {
  Receiver receiver({503, 503, 503});
  workflow::setCommunityWebhook(*store_, clock_, "taoyuanju", receiver.url(), kSecret);
  workflow::Engine engine(*store_, clock_);
  engine.apply(town_.resolvedItem(engine), assign(), town_.convener);
  workflow::WebhookPolicy policy;
  policy.maxAttempts = 3;
  workflow::WebhookDeliverer deliverer(*store_, clock_, policy);
  for (int i = 0; i < 5; ++i) {
    deliverer.drain();
    clock_.advance(std::chrono::hours(1));
  }
  const auto d = store_->webhookDeliveries(town_.id, 10).at(0);
  EXPECT_EQ(d.attempts, 3);
  EXPECT_TRUE(d.failed);
  EXPECT_EQ(d.lastStatus, 503);
  EXPECT_EQ(receiver.received().size(), 3u);
  EXPECT_EQ(workflow::webhookBackoff(1, policy), std::chrono::seconds(30));
  EXPECT_EQ(workflow::webhookBackoff(4, policy), std::chrono::seconds(240));
  EXPECT_EQ(workflow::webhookBackoff(30, policy), std::chrono::seconds(3600)) << "capped";
}

TEST_F(WebhookDelivery, AHangingReceiverTimesOutOnTheBackgroundThreadAndBlocksNoRequest) {
  Receiver receiver;
  receiver.hang = true;
  workflow::setCommunityWebhook(*store_, clock_, "taoyuanju", receiver.url(), kSecret);
  workflow::Engine engine(*store_, clock_);
  const int64_t id = town_.resolvedItem(engine);
  engine.apply(id, assign(), town_.convener);

  workflow::BackgroundOptions bo;
  bo.sweepInterval = bo.purgeInterval = std::chrono::hours(1);
  bo.webhookInterval = std::chrono::milliseconds(50);
  bo.webhook.timeout = std::chrono::seconds(1);
  workflow::BackgroundWork background(*store_, clock_, bo);
  background.start();
  // Wait until the delivery thread is stuck on the receiver...
  for (int i = 0; i < 200 && receiver.inFlight == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(receiver.inFlight, 1) << "the background delivery reached the receiver";
  // ...then an event is applied and committed while it still hangs.
  engine.apply(id, workflow::Command("urge").set("note", "请尽快"), town_.supervisor);
  EXPECT_EQ(receiver.inFlight, 1) << "the event did not wait for the delivery";
  EXPECT_EQ(outboxRows(), 2);
  // The attempt times out and is recorded as an error, with a retry scheduled.
  for (int i = 0; i < 300 && col("SELECT attempts FROM webhook_outbox WHERE type = 'assign'") != "1";
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  background.stop();
  const auto rows = store_->webhookDeliveries(town_.id, 10);
  const auto& assigned = rows.back();
  ASSERT_EQ(assigned.type, "assign");
  EXPECT_EQ(assigned.attempts, 1);
  EXPECT_EQ(assigned.lastStatus, 0);
  EXPECT_NE(assigned.lastError.find("timed out"), std::string::npos) << assigned.lastError;
  EXPECT_TRUE(assigned.deliveredAt.empty());
  EXPECT_FALSE(assigned.failed);
  const auto attempts = store_->webhookAttempts(town_.id, assigned.id);
  ASSERT_FALSE(attempts.empty());
  EXPECT_GE(attempts[0].durationMs, 900);
}

TEST_F(WebhookDelivery, TheCommandLineSetsShowsTurnsOffAndDrainsOnce) {
  Receiver receiver;
  const std::string bin = LIUFANG_BINARY;
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), bin);
    args.push_back("--db");
    args.push_back(path_);
    return testkit::runCli(args);
  };
  auto r = cli({"community", "webhook", "taoyuanju", "https://example.org/hook", kSecret});
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_NE(r.output.find("http://"), std::string::npos) << r.output;
  r = cli({"community", "webhook", "taoyuanju", receiver.url(), kSecret});
  ASSERT_EQ(r.exitCode, 0) << r.output;
  r = cli({"community", "webhook", "taoyuanju"});
  EXPECT_NE(r.output.find("webhook on, " + receiver.url() + ", secret set"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find(kSecret), std::string::npos) << "the secret is not printed";

  workflow::Engine engine(*store_, clock_);  // its instants are in the past: due at once
  engine.apply(town_.resolvedItem(engine), assign(), town_.convener);
  r = cli({"webhook", "deliver"});
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("webhook: 1 delivery attempt(s)"), std::string::npos) << r.output;
  ASSERT_EQ(receiver.received().size(), 1u);
  EXPECT_EQ(receiver.received()[0].signature,
            "sha256=" + hmacHex(kSecret, receiver.received()[0].body));
  EXPECT_NE(col("SELECT delivered_at FROM webhook_outbox"), "");
  EXPECT_NE(cli({"webhook", "deliver"}).output.find("webhook: 0 delivery"), std::string::npos);

  r = cli({"community", "webhook", "taoyuanju", "off"});
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_EQ(col("SELECT enabled FROM webhooks"), "0");
}

}  // namespace
