// `liufang export ledger`: the ledger (台账) CSV, as /ledger.csv serves it, for scripts and
// cron. Part of the executable rather than liufang_cli because its headings and labels are
// translated through the web's catalogs (web/i18n), the one home of the Chinese text.
#include <fstream>
#include <iostream>

#include "cli/Commands.h"
#include "model/Clock.h"
#include "model/Errors.h"
#include "web/I18n.h"
#include "workflow/Ledger.h"

namespace liufang::cli {

int cmdExportLedger(const Args& a) {
  auto store = openStore(a);
  workflow::ScorePeriod p;
  // Without --from/--to: every item (the period spans the whole calendar index).
  p.from = model::Date{2000, 1, 1};
  p.to = model::Date{2099, 12, 31};
  for (const auto& [opt, date] : {std::pair{"--from", &p.from}, std::pair{"--to", &p.to}}) {
    if (!a.has(opt)) continue;
    auto d = model::Date::parse(a.get(opt));
    if (!d) {
      std::cerr << "liufang export ledger: " << opt << " takes a date YYYY-MM-DD\n";
      return kExitUsage;
    }
    *date = *d;
  }
  if (p.to < p.from) {
    std::cerr << "liufang export ledger: --to is before --from\n";
    return kExitUsage;
  }
  if (a.has("--community")) {
    const std::string code = a.get("--community");
    for (const auto& c : store->communities())
      if (c.code == code) p.communityId = c.id;
    if (p.communityId == 0) throw NotFound(Msg("There is no community with code '{1}'.").arg(code));
  }
  const web::I18n i18n(a.get("--lang", "zh_CN") == "en" ? "en" : "zh_CN");
  const std::string lang = i18n.defaultLang();
  const workflow::Translate tr = [&](const std::string& m) { return i18n.tr(lang, m); };
  const std::string out = a.get("--out");
  if (out.empty()) {
    workflow::writeLedgerCsv(std::cout, *store, p, tr);
    return std::cout ? kExitOk : kExitFailed;
  }
  std::ofstream file(out, std::ios::binary);
  if (!file) {
    std::cerr << "liufang export ledger: cannot write " << out << "\n";
    return kExitFailed;
  }
  const auto rows = workflow::writeLedgerCsv(file, *store, p, tr);
  file.close();
  if (!file) return kExitFailed;
  std::cerr << "ledger: " << rows << " items written to " << out << "\n";
  return kExitOk;
}

}  // namespace liufang::cli
