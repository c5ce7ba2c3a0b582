// The outgoing webhook from the command line: `community webhook` (configuration) and
// `webhook deliver` (one drain of the outbox, for cron and tests). See workflow/Webhooks.h.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <string>

#include "cli/Commands.h"
#include "workflow/Directory.h"
#include "workflow/Webhooks.h"

namespace liufang::cli {

int cmdCommunityWebhook(const Args& a) {
  // positional: webhook CODE [URL SECRET | off]
  if (a.positional.size() < 2 || a.positional.size() > 4) return usageError();
  auto store = openStore(a);
  model::SystemClock clock;
  const std::string& code = a.positional[1];
  if (a.positional.size() == 3 && a.positional[2] == "off") {
    workflow::disableCommunityWebhook(*store, clock, code);
    std::cout << "community " << code << ": webhook off (pending deliveries wait)\n";
    return kExitOk;
  }
  if (a.positional.size() == 4) {
    std::string secret = a.positional[3];
    // "-" keeps the secret out of the shell history and the process list.
    if (secret == "-") std::getline(std::cin, secret);
    const auto w = workflow::setCommunityWebhook(*store, clock, code, a.positional[2], secret);
    std::cout << "community " << code << ": webhook on, POST to " << w.url << "\n";
    return kExitOk;
  }
  if (a.positional.size() != 2) return usageError();
  const auto id = workflow::Directory(*store).community(code).id;
  const auto w = store->webhookOf(id);
  if (!w)
    std::cout << "community " << code << ": no webhook\n";
  else
    std::cout << "community " << code << ": webhook " << (w->enabled ? "on" : "off") << ", "
              << w->url << ", secret set, changed " << w->updatedAt << "\n";
  return kExitOk;
}

int cmdWebhook(const Args& a) {
  if (a.positional.size() != 1 || a.positional[0] != "deliver") return usageError();
  auto store = openStore(a);
  model::SystemClock clock;
  const auto t0 = std::chrono::steady_clock::now();
  const int n = workflow::WebhookDeliverer(*store, clock).drain();
  const std::chrono::duration<double, std::milli> ms = std::chrono::steady_clock::now() - t0;
  std::cout << "webhook: " << n << " delivery attempt(s) in " << std::fixed
            << std::setprecision(1) << ms.count() << " ms\n";
  return kExitOk;
}

}  // namespace liufang::cli
