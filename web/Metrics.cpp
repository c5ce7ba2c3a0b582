#include "web/Metrics.h"

#include <filesystem>
#include <sstream>

namespace liufang::web {

namespace {

// A label value with the three characters the format escapes.
std::string labelValue(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void header(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

void Metrics::request(const std::string& method, const std::string& route, int status,
                      double seconds) {
  const std::string r = route.empty() ? "unmatched" : route;
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{method, r, status}];
  Latency& l = latency_[{method, r}];
  size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  if (i < kBuckets.size()) ++l.buckets[i];
  ++l.count;
  l.sum += seconds;
}

void Metrics::refusal(const std::string& code) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++refusals_[code];
}

void Metrics::sweepRan(bool ok) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++(ok ? sweepsOk_ : sweepsFailed_);
}

void Metrics::applied(const workflow::Applied& applied, const workflow::Actor&) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& row : applied.rows) ++events_[{row.kind, row.type}];
}

std::string Metrics::render(const std::string& databasePath) const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mutex_);
  header(out, "liufang_http_requests_total", "counter",
         "HTTP requests answered, by method, route pattern and status.");
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "liufang_http_requests_total{method=\"" << labelValue(method) << "\",route=\""
        << labelValue(route) << "\",status=\"" << status << "\"} " << n << '\n';
  }
  header(out, "liufang_http_request_duration_seconds", "histogram",
         "Time from the request head to the answer written, by method and route pattern.");
  for (const auto& [key, l] : latency_) {
    const std::string labels =
        "method=\"" + labelValue(key.first) + "\",route=\"" + labelValue(key.second) + "\"";
    int64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += l.buckets[i];
      out << "liufang_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << cumulative << '\n';
    }
    out << "liufang_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << l.count
        << '\n'
        << "liufang_http_request_duration_seconds_sum{" << labels << "} " << l.sum << '\n'
        << "liufang_http_request_duration_seconds_count{" << labels << "} " << l.count << '\n';
  }
  header(out, "liufang_events_applied_total", "counter",
         "Event rows appended by the engines of this process, by machine kind and event type.");
  for (const auto& [key, n] : events_)
    out << "liufang_events_applied_total{kind=\"" << labelValue(key.first) << "\",type=\""
        << labelValue(key.second) << "\"} " << n << '\n';
  header(out, "liufang_refusals_total", "counter",
         "Requests answered with an error, by error code (refused, forbidden, csrf, ...).");
  for (const auto& [code, n] : refusals_)
    out << "liufang_refusals_total{code=\"" << labelValue(code) << "\"} " << n << '\n';
  header(out, "liufang_sweep_runs_total", "counter", "Deadline sweep runs, by result.");
  out << "liufang_sweep_runs_total{result=\"ok\"} " << sweepsOk_ << '\n'
      << "liufang_sweep_runs_total{result=\"failed\"} " << sweepsFailed_ << '\n';
  std::error_code ec;
  const auto main = std::filesystem::file_size(databasePath, ec);
  if (!ec) {
    std::error_code walEc;
    const auto wal = std::filesystem::file_size(databasePath + "-wal", walEc);
    header(out, "liufang_database_size_bytes", "gauge",
           "Size of the database file plus its write-ahead log.");
    out << "liufang_database_size_bytes " << main + (walEc ? 0 : wal) << '\n';
  }
  return out.str();
}

}  // namespace liufang::web
