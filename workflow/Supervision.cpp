#include "workflow/Supervision.h"

#include <chrono>

#include "model/Calendar.h"
#include "model/Errors.h"
#include "workflow/Engine.h"

namespace liufang::workflow {

std::optional<model::Instant> parseDemoNow(const std::string& text, int utcOffsetMinutes) {
  std::string s = text;
  bool utc = false;
  if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) {
    utc = true;
    s.pop_back();
  }
  if (s.size() == 16) s += ":00";
  if (s.size() != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  if (!model::Date::parse(s.substr(0, 10))) return std::nullopt;
  for (size_t i : {11, 12, 14, 15, 17, 18})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  if (std::stoi(s.substr(11, 2)) > 23 || std::stoi(s.substr(14, 2)) > 59 ||
      std::stoi(s.substr(17, 2)) > 59)
    return std::nullopt;
  try {
    const model::Instant t = model::parseInstant(s + "Z");
    return utc ? t : t - std::chrono::minutes(utcOffsetMinutes);
  } catch (const Error&) {
    return std::nullopt;
  }
}

SweepReport runSweep(model::Store& store, const model::Clock& clock) {
  Engine engine(store, clock);
  const auto start = std::chrono::steady_clock::now();
  SweepReport r;
  r.moved = engine.sweep();
  r.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace liufang::workflow
