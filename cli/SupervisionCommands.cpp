// sweep: the deadline sweep for cron, beside the server's timer.
#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/Commands.h"
#include "model/Calendar.h"
#include "workflow/Supervision.h"

namespace liufang::cli {

int cmdSweep(const Args& a) {
  if (a.has("--holidays")) model::HolidayCalendar::mergeExtraFile(a.get("--holidays"));
  auto store = openStore(a);
  model::SystemClock systemClock;
  std::unique_ptr<model::OffsetClock> demoClock;
  if (a.has("--now")) {
    // As `serve --now`: a moved clock writes future-dated events, so only on a demo.
    if (store->instanceFlag("demo") != "1") {
      std::cerr << "liufang sweep: --now is refused: not a demo database (made by "
                   "`liufang init --demo`)\n";
      return kExitFailed;
    }
    const auto start = workflow::parseDemoNow(a.get("--now"));
    if (!start) {
      std::cerr << "liufang sweep: --now " << a.get("--now")
                << ": expected YYYY-MM-DDTHH:MM (community time)\n";
      return kExitUsage;
    }
    demoClock = std::make_unique<model::OffsetClock>(systemClock, *start);
  }
  const model::Clock& clock = demoClock ? static_cast<const model::Clock&>(*demoClock)
                                        : static_cast<const model::Clock&>(systemClock);
  const auto r = workflow::runSweep(*store, clock);
  std::cout << "sweep: " << r.moved << " item(s) changed light in " << std::fixed
            << std::setprecision(1) << r.milliseconds << " ms\n";
  return kExitOk;
}

}  // namespace liufang::cli
