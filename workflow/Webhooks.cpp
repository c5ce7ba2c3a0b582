// The outgoing webhook (see Webhooks.h).
#include "workflow/Webhooks.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

#include "model/Errors.h"
#include "model/Sodium.h"
#include "workflow/Directory.h"

namespace liufang::workflow {

namespace {

std::string streamHref(const std::string& kind, int64_t id) {
  return (kind == "meeting" ? "/meetings/" : "/items/") + std::to_string(id);
}

// The fields every body has, in the order receivers read them.
Poco::JSON::Object::Ptr bodyHead(const model::EventRecord& row) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("event", row.type);
  o->set("kind", row.kind);
  o->set("stream_id", static_cast<Poco::Int64>(row.streamId));
  o->set("seq", static_cast<Poco::Int64>(row.seq));
  o->set("at", row.at);
  Poco::JSON::Object::Ptr actor = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  actor->set("user", static_cast<Poco::Int64>(row.actorUser));
  actor->set("party", row.actorParty);
  o->set("actor", actor);
  return o;
}

std::string finish(Poco::JSON::Object::Ptr o, const model::EventRecord& row) {
  o->set("url", streamHref(row.kind, row.streamId));
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

std::string hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) s += digits[p[i] >> 4], s += digits[p[i] & 15];
  return s;
}

// The title the body carries under "item" or "meeting"; "" if it cannot be read.
std::string subjectTitle(const std::string& body) {
  try {
    const auto o = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    for (const char* key : {"item", "meeting"})
      if (auto sub = o->getObject(key)) return sub->optValue<std::string>("title", "");
  } catch (const Poco::Exception&) {
  }
  return {};
}

// What a receiver said (its reason phrase) or an error, as stored and shown: at most 200
// bytes, control characters replaced, cut on a UTF-8 boundary.
std::string printable(std::string s) {
  if (s.size() > 200) {
    size_t n = 200;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
  }
  for (char& ch : s)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
  return s;
}

// host:port of the URL, for the log: the path may carry a token of the receiver's.
std::string authorityOf(const std::string& url) {
  try {
    return Poco::URI(url).getAuthority();
  } catch (const Poco::Exception&) {
    return "?";
  }
}

bool validWebhookUrl(const std::string& url) {
  if (url.size() > 2000 || url.rfind("http://", 0) != 0) return false;
  try {
    const Poco::URI uri(url);
    return uri.getScheme() == "http" && !uri.getHost().empty() && uri.getUserInfo().empty();
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace

std::string webhookBody(const model::EventRecord& row, const model::Item& item) {
  auto o = bodyHead(row);
  Poco::JSON::Object::Ptr it = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  it->set("id", static_cast<Poco::Int64>(item.id));
  it->set("title", item.title);
  // The state this event left the item in (an assign followed by its tick has two rows).
  it->set("state", row.toState);
  it->set("lead", item.lead());
  it->set("due", item.due);
  o->set("item", it);
  return finish(o, row);
}

std::string webhookBody(const model::EventRecord& row, const model::Meeting& meeting) {
  auto o = bodyHead(row);
  Poco::JSON::Object::Ptr m = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  m->set("id", static_cast<Poco::Int64>(meeting.id));
  m->set("title", meeting.title);
  m->set("date", meeting.date);
  m->set("state", row.toState);
  o->set("meeting", m);
  return finish(o, row);
}

std::string webhookSignature(const std::string& secret, const std::string& body) {
  model::ensureSodium();
  // The init/update/final form takes a key of any length (plain HMAC), which is what
  // receivers recompute with their own HMAC library.
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  return "sha256=" + hex(mac, sizeof mac);
}

std::chrono::seconds webhookBackoff(int attempts, const WebhookPolicy& policy) {
  auto wait = policy.firstRetry;
  for (int i = 1; i < attempts && wait < policy.maxRetry; ++i) wait *= 2;
  return std::min(wait, policy.maxRetry);
}

WebhookDeliverer::WebhookDeliverer(model::Store& store, const model::Clock& clock,
                                   WebhookPolicy policy)
    : store_(store), clock_(clock), policy_(policy) {}

int WebhookDeliverer::drain(const std::atomic<bool>* stop) {
  int attempts = 0;
  // A claim leases its batch for longer than the batch can take, so a crashed drainer's rows
  // come back by themselves and a second drainer never sends them meanwhile.
  const auto lease = policy_.timeout * 3 * policy_.batch + std::chrono::seconds(60);
  // Bounded: a row fails at most once per drain, as its next attempt is at least firstRetry
  // away on the same clock.
  for (int round = 0; round < 1000; ++round) {
    const auto now = clock_.now();
    const auto due = store_.claimDueDeliveries(model::formatInstant(now),
                                               model::formatInstant(now + lease), policy_.batch);
    if (due.empty()) break;
    for (const auto& d : due) {
      if (stop && *stop) return attempts;
      store_.recordWebhookAttempt(attempt(d));
      ++attempts;
    }
  }
  return attempts;
}

model::WebhookOutcome WebhookDeliverer::attempt(const model::WebhookDelivery& d) {
  model::WebhookOutcome out;
  auto& a = out.attempt;
  a.deliveryId = d.id;
  const auto startedAt = clock_.now();
  a.at = model::formatInstant(startedAt);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    const Poco::URI uri(d.url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(static_cast<long>(policy_.timeout.count()), 0));
    const std::string path = uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery();
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path,
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json; charset=utf-8");
    req.setContentLength(static_cast<std::streamsize>(d.body.size()));
    req.set("User-Agent", "liufang-webhook");
    req.set("X-Liufang-Event", d.type);
    req.set("X-Liufang-Delivery", std::to_string(d.id));
    req.set("X-Liufang-Signature", webhookSignature(d.secret, d.body));
    session.sendRequest(req).write(d.body.data(), static_cast<std::streamsize>(d.body.size()));
    Poco::Net::HTTPResponse res;
    session.receiveResponse(res);  // the answer's body is not read: the status says it all
    a.status = static_cast<int>(res.getStatus());
    if (a.status < 200 || a.status > 299) a.error = res.getReason();
  } catch (const Poco::TimeoutException&) {
    a.error = "timed out after " + std::to_string(policy_.timeout.count()) + " s";
  } catch (const Poco::Exception& e) {
    a.error = e.displayText();
  } catch (const std::exception& e) {
    a.error = e.what();
  }
  a.error = printable(a.error);
  a.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - t0)
                     .count();
  out.delivered = a.status >= 200 && a.status <= 299;
  const int made = d.attempts + 1;
  out.giveUp = !out.delivered && made >= policy_.maxAttempts;
  if (!out.delivered && !out.giveUp)
    out.nextAttemptAt = model::formatInstant(clock_.now() + webhookBackoff(made, policy_));
  const std::string what = out.delivered ? "delivered"
                           : out.giveUp  ? "failed, giving up"
                                         : "failed, next attempt at " + out.nextAttemptAt;
  const auto level = out.delivered ? spdlog::level::info : spdlog::level::warn;
  spdlog::log(level,
              "webhook delivery {} (stream {}#{} seq {} {}, community {}): attempt {} to {}: "
              "status {}{}{} in {} ms; {}",
              d.id, d.kind, d.streamId, d.seq, d.type, d.communityId, made, authorityOf(d.url),
              a.status,
              a.error.empty() ? "" : ", ", a.error, a.durationMs, what);
  return out;
}

model::WebhookConfig setCommunityWebhook(model::Store& store, const model::Clock& clock,
                                         const std::string& code, const std::string& url,
                                         const std::string& secret) {
  const model::Community c = Directory(store).community(code);
  std::string key = secret;
  if (key.empty())
    if (const auto current = store.webhookOf(c.id)) key = current->secret;
  if (!validWebhookUrl(url))
    throw Invalid(Msg("The webhook URL must be http://host[:port]/path (https is not built in)."));
  if (key.size() < 16 || key.size() > 200)
    throw Invalid(Msg("The webhook secret must be 16 to 200 characters long."));
  model::WebhookConfig w;
  w.communityId = c.id;
  w.url = url;
  w.secret = key;
  w.enabled = true;
  w.updatedAt = model::formatInstant(clock.now());
  store.setWebhook(w);
  return w;
}

void disableCommunityWebhook(model::Store& store, const model::Clock& clock,
                             const std::string& code) {
  const model::Community c = Directory(store).community(code);
  if (!store.webhookOf(c.id)) throw NotFound(Msg("The community has no webhook."));
  store.disableWebhook(c.id, model::formatInstant(clock.now()));
}

bool mayReadWebhookLog(const model::User& u) {
  return (u.convener && u.communityId != 0) || u.supervisor;
}

std::vector<WebhookLogRow> webhookLog(model::Store& store, const model::User& u, int limit) {
  if (!mayReadWebhookLog(u))
    throw Forbidden(Msg("Only the convener and supervisors may read the webhook deliveries."));
  // A convener sees their community; a supervisor theirs, or all when tied to none (0).
  const int64_t scope = u.communityId;
  std::vector<WebhookLogRow> rows;
  for (auto& d : store.webhookDeliveries(scope, limit)) {
    WebhookLogRow r;
    r.href = streamHref(d.kind, d.streamId);
    r.title = subjectTitle(d.body);
    r.delivery = std::move(d);
    rows.push_back(std::move(r));
  }
  if (rows.empty()) return rows;
  // One query for the attempts of every row shown (ids from the oldest row on).
  for (auto& a : store.webhookAttempts(scope, rows.back().delivery.id))
    for (auto& r : rows)
      if (r.delivery.id == a.deliveryId) r.attempts.push_back(a);
  return rows;
}

}  // namespace liufang::workflow
