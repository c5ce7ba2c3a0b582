#pragma once
// The outgoing webhook per community (docs/ARCHITECTURE.md "Webhook outbox").
//
// Writing: an event that writes inbox notices also gets one outbox row when its community has
// an enabled webhook, in the event's own transaction (MachineKind's writeNotices calls
// WriteTx::enqueueWebhook with webhookBody). Delivering: WebhookDeliverer drains due rows off
// the request path (BackgroundWork's own timer, `liufang webhook deliver`), POSTs the JSON
// signed with HMAC-SHA256, and retries with exponential backoff on the injected clock.
// Delivery state is operational (like sessions): it changes no stream and fires no event.
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "model/Clock.h"
#include "model/Store.h"
#include "workflow/Actor.h"

namespace liufang::workflow {

// ---- the body
// The JSON body of the event `row` on an item or a meeting, without "community" and
// "actor.name" (WriteTx::enqueueWebhook joins those in): {"event", "kind", "stream_id", "seq",
// "at", "actor": {"user", "party"}, "item": {id, title, state, lead, due} | "meeting": {id,
// title, date, state}, "url"}. Event names and fields are those of DESIGN §2.
std::string webhookBody(const model::EventRecord& row, const model::Item& item);
std::string webhookBody(const model::EventRecord& row, const model::Meeting& meeting);

// "sha256=" + the lowercase hex HMAC-SHA256 of `body` keyed by `secret` (libsodium), the value
// of the X-Liufang-Signature header.
std::string webhookSignature(const std::string& secret, const std::string& body);

// ---- delivery
struct WebhookPolicy {
  std::chrono::seconds firstRetry{30};  // after the first failure; doubled after each next one
  std::chrono::seconds maxRetry{3600};  // the cap of the doubling
  int maxAttempts = 10;                 // then the delivery is marked failed (still listed)
  std::chrono::seconds timeout{5};      // connect, send and receive, each
  int batch = 5;                        // deliveries claimed (leased) per drain step
};

// The wait before the next attempt after `attempts` failed ones (1 → firstRetry, 2 → twice
// that, ...), capped at maxRetry.
std::chrono::seconds webhookBackoff(int attempts, const WebhookPolicy& policy);

// Sends due outbox rows. Thread-compatible: one drain at a time per object; several objects
// (processes) may drain one database, as claims are leased.
class WebhookDeliverer {
 public:
  // store and clock must outlive the deliverer.
  WebhookDeliverer(model::Store& store, const model::Clock& clock, WebhookPolicy policy = {});
  // Attempts every delivery due now, batch by batch, until none is due or *stop is set (checked
  // before each attempt; rows claimed and not attempted come back when their lease ends).
  // Returns the number of attempts made. Each attempt is logged (spdlog) and recorded; never
  // throws for a receiver's failure (storage errors propagate).
  int drain(const std::atomic<bool>* stop = nullptr);

 private:
  model::WebhookOutcome attempt(const model::WebhookDelivery& d);
  model::Store& store_;
  const model::Clock& clock_;
  WebhookPolicy policy_;
};

// ---- configuration
// Sets the webhook of the community `code` (NotFound) to `url` with `secret`, enabled. The
// URL must be http://host[:port]/path (Invalid; https is not built in, see
// docs/OPERATIONS.md); the secret 16..200 characters (Invalid), an empty one keeping the
// current secret.
model::WebhookConfig setCommunityWebhook(model::Store& store, const model::Clock& clock,
                                         const std::string& code, const std::string& url,
                                         const std::string& secret);
// Turns the community's webhook off; pending deliveries wait. NotFound if the community or
// its webhook does not exist.
void disableCommunityWebhook(model::Store& store, const model::Clock& clock,
                             const std::string& code);

// ---- the delivery log page (/webhooks)
struct WebhookLogRow {
  model::WebhookDelivery delivery;
  std::vector<model::WebhookAttempt> attempts;  // oldest first
  std::string href;                             // the item's or meeting's page
  std::string title;                            // the item's or meeting's title in the body
};

// Whether the user may read the delivery log: a convener (of their community) or a supervisor
// (of theirs, or every community's when tied to none).
bool mayReadWebhookLog(const model::User& u);
// The newest deliveries the user may see with their attempts. Throws Forbidden.
std::vector<WebhookLogRow> webhookLog(model::Store& store, const model::User& u,
                                      int limit = 100);

}  // namespace liufang::workflow
