#pragma once
// The outgoing webhook per community (migration 011): its configuration, the outbox rows the
// Engine writes in the event's transaction (WriteTx::enqueueWebhook), and the delivery state
// the drainer (workflow/Webhooks.h) keeps. Delivery state is operational, like sessions: it
// changes no stream, so it is written here, outside the Engine.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace liufang::model {

struct WebhookConfig {
  int64_t communityId = 0;
  std::string url;
  std::string secret;  // keys the signature; never shown back on a page
  bool enabled = false;
  std::string updatedAt;
};

// One outbox row. deliveredAt non-empty: delivered; failed: given up; otherwise pending, due
// at nextAttemptAt.
struct WebhookDelivery {
  int64_t id = 0;
  int64_t communityId = 0;
  std::string kind;
  int64_t streamId = 0;
  int64_t seq = 0;
  std::string type;
  std::string body;  // the exact bytes sent and signed
  std::string createdAt;
  int attempts = 0;
  std::string nextAttemptAt;
  std::string deliveredAt;
  bool failed = false;
  int lastStatus = 0;  // HTTP status of the last attempt, 0 if none came back
  std::string lastError;
  // Filled by claimDueDeliveries: where and with what to send it.
  std::string url, secret;
};

// One delivery attempt as the log page shows it.
struct WebhookAttempt {
  int64_t id = 0;
  int64_t deliveryId = 0;
  std::string at;
  int status = 0;  // 0: no HTTP answer (error says why)
  std::string error;
  int64_t durationMs = 0;
};

// What became of one attempt: delivered (2xx), or retry at nextAttemptAt, or failed for good.
struct WebhookOutcome {
  WebhookAttempt attempt;
  bool delivered = false;
  bool giveUp = false;
  std::string nextAttemptAt;  // when neither delivered nor given up
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;
  // Sets (insert or replace) the community's webhook.
  virtual void setWebhook(const WebhookConfig& config) = 0;
  // Turns the community's webhook off (pending deliveries wait until it is on again).
  virtual void disableWebhook(int64_t communityId, const std::string& at) = 0;
  // The community's webhook, or nullopt if none was ever set.
  virtual std::optional<WebhookConfig> webhookOf(int64_t communityId) = 0;
  // Takes up to `limit` pending deliveries due at or before `now` whose community's webhook is
  // enabled, oldest first, and moves their next attempt to `leaseUntil` in the same statement,
  // so two drainers (the server, `liufang webhook deliver`) never send one row at once.
  virtual std::vector<WebhookDelivery> claimDueDeliveries(const std::string& now,
                                                          const std::string& leaseUntil,
                                                          int limit) = 0;
  // Logs the attempt and moves the delivery on (one transaction).
  virtual void recordWebhookAttempt(const WebhookOutcome& outcome) = 0;
  // The newest `limit` deliveries of the community (0: of every community), newest first.
  virtual std::vector<WebhookDelivery> webhookDeliveries(int64_t communityId, int limit) = 0;
  // The attempts of deliveries with id >= fromId of the community (0: every community),
  // oldest first: the log page's details for the rows it shows.
  virtual std::vector<WebhookAttempt> webhookAttempts(int64_t communityId, int64_t fromId) = 0;
};

}  // namespace liufang::model
