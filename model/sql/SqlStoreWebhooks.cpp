// The webhook's configuration, outbox claims and delivery log (see model/WebhookStore.h).
// The outbox rows themselves are written by WriteTx::enqueueWebhook, in the event's transaction.
#include "model/sql/SqlStore.h"

namespace liufang::model::sql {

namespace {

const char* const kDeliveryColumns =
    "o.id, o.community_id, o.kind, o.stream_id, o.seq, o.type, o.body, o.created_at, o.attempts,"
    " o.next_attempt_at, o.delivered_at, o.failed, o.last_status, o.last_error";

// Reads kDeliveryColumns from the current row, starting at column 0.
WebhookDelivery readDelivery(const Step& s) {
  WebhookDelivery d;
  s.read(0, d.id), s.read(1, d.communityId), s.read(2, d.kind), s.read(3, d.streamId);
  s.read(4, d.seq), s.read(5, d.type), s.read(6, d.body), s.read(7, d.createdAt);
  s.read(8, d.attempts), s.read(9, d.nextAttemptAt), s.read(10, d.deliveredAt);
  s.read(11, d.failed), s.read(12, d.lastStatus), s.read(13, d.lastError);
  return d;
}

}  // namespace

void SqlStore::setWebhook(const WebhookConfig& w) {
  auto c = pool_.borrow();
  c->guarded("setWebhook", [&] {
    Step s(*c, std::string("INSERT INTO webhooks (community_id, url, secret, enabled, updated_at)"
                           " VALUES (?, ?, ?, ?, ?) ON CONFLICT (community_id) DO UPDATE SET"
                           " url = excluded.url, secret = excluded.secret,"
                           " enabled = excluded.enabled, updated_at = excluded.updated_at"));
    s.bind(w.communityId).bind(w.url).bind(w.secret).bind(w.enabled).bind(w.updatedAt);
    return s.run();
  });
}

void SqlStore::disableWebhook(int64_t communityId, const std::string& at) {
  auto c = pool_.borrow();
  c->guarded("disableWebhook", [&] {
    Step s(*c, std::string("UPDATE webhooks SET enabled = 0, updated_at = ? WHERE community_id = ?"));
    s.bind(at).bind(communityId);
    return s.run();
  });
}

std::optional<WebhookConfig> SqlStore::webhookOf(int64_t communityId) {
  auto c = pool_.borrow();
  return c->guarded("webhookOf", [&]() -> std::optional<WebhookConfig> {
    Step s(*c, std::string("SELECT url, secret, enabled, updated_at FROM webhooks"
                           " WHERE community_id = ?"));
    s.bind(communityId);
    if (!s.row()) return std::nullopt;
    WebhookConfig w;
    w.communityId = communityId;
    s.read(0, w.url), s.read(1, w.secret), s.read(2, w.enabled), s.read(3, w.updatedAt);
    return w;
  });
}

std::vector<WebhookDelivery> SqlStore::claimDueDeliveries(const std::string& now,
                                                          const std::string& leaseUntil,
                                                          int limit) {
  auto c = pool_.borrow();
  return c->guarded("claimDueDeliveries", [&] {
    std::vector<WebhookDelivery> out;
    // Claim and read in one transaction: the UPDATE moves the rows out of the due range, so a
    // second drainer starting meanwhile finds them taken.
    Step(*c, Hot::Begin).run();
    try {
      {
        Step s(*c, std::string("SELECT ") + kDeliveryColumns +
                       ", w.url, w.secret FROM webhook_outbox o"
                       " JOIN webhooks w ON w.community_id = o.community_id AND w.enabled = 1"
                       " WHERE o.delivered_at = '' AND o.failed = 0 AND o.next_attempt_at <= ?"
                       " ORDER BY o.next_attempt_at, o.id LIMIT ?");
        s.bind(now).bind(limit);
        while (s.row()) {
          WebhookDelivery d = readDelivery(s);
          s.read(14, d.url), s.read(15, d.secret);
          out.push_back(std::move(d));
        }
      }
      for (const auto& d : out) {
        Step u(*c, std::string("UPDATE webhook_outbox SET next_attempt_at = ? WHERE id = ?"));
        u.bind(leaseUntil).bind(d.id);
        u.run();
      }
      Step(*c, Hot::Commit).run();
    } catch (...) {
      c->rollbackIfOpen();
      throw;
    }
    return out;
  });
}

void SqlStore::recordWebhookAttempt(const WebhookOutcome& o) {
  auto c = pool_.borrow();
  c->guarded("recordWebhookAttempt", [&] {
    const auto& a = o.attempt;
    Step(*c, Hot::Begin).run();
    try {
      Step ins(*c, std::string("INSERT INTO webhook_attempts (outbox_id, at, status, error,"
                               " duration_ms) VALUES (?, ?, ?, ?, ?)"));
      ins.bind(a.deliveryId).bind(a.at).bind(a.status).bind(a.error).bind(a.durationMs);
      ins.run();
      Step up(*c, std::string("UPDATE webhook_outbox SET attempts = attempts + 1,"
                              " last_status = ?, last_error = ?, delivered_at = ?, failed = ?,"
                              " next_attempt_at = ? WHERE id = ?"));
      // Named: Step binds text without copying it, so no temporaries.
      const std::string deliveredAt = o.delivered ? a.at : std::string();
      const std::string next = o.delivered || o.giveUp ? std::string() : o.nextAttemptAt;
      up.bind(a.status).bind(a.error).bind(deliveredAt).bind(o.giveUp && !o.delivered);
      up.bind(next).bind(a.deliveryId);
      up.run();
      Step(*c, Hot::Commit).run();
    } catch (...) {
      c->rollbackIfOpen();
      throw;
    }
    return 0;
  });
}

std::vector<WebhookDelivery> SqlStore::webhookDeliveries(int64_t communityId, int limit) {
  auto c = pool_.borrow();
  return c->guarded("webhookDeliveries", [&] {
    Step s(*c, std::string("SELECT ") + kDeliveryColumns +
                   " FROM webhook_outbox o WHERE (? = 0 OR o.community_id = ?)"
                   " ORDER BY o.id DESC LIMIT ?");
    s.bind(communityId).bind(communityId).bind(limit);
    std::vector<WebhookDelivery> out;
    while (s.row()) out.push_back(readDelivery(s));
    return out;
  });
}

std::vector<WebhookAttempt> SqlStore::webhookAttempts(int64_t communityId, int64_t fromId) {
  auto c = pool_.borrow();
  return c->guarded("webhookAttempts", [&] {
    Step s(*c, std::string("SELECT a.id, a.outbox_id, a.at, a.status, a.error, a.duration_ms"
                           " FROM webhook_attempts a JOIN webhook_outbox o ON o.id = a.outbox_id"
                           " WHERE a.outbox_id >= ? AND (? = 0 OR o.community_id = ?)"
                           " ORDER BY a.id"));
    s.bind(fromId).bind(communityId).bind(communityId);
    std::vector<WebhookAttempt> out;
    while (s.row()) {
      WebhookAttempt a;
      s.read(0, a.id), s.read(1, a.deliveryId), s.read(2, a.at), s.read(3, a.status);
      s.read(4, a.error), s.read(5, a.durationMs);
      out.push_back(std::move(a));
    }
    return out;
  });
}

}  // namespace liufang::model::sql
