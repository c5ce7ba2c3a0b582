#include "web/Svg.h"

#include <algorithm>
#include <atomic>
#include <cstdio>

namespace liufang::web::svg {
namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A page may hold several charts: their <title> ids must differ.
std::string nextId() {
  static std::atomic<unsigned> n{0};
  return "chart-" + std::to_string(++n);
}

// The opening <svg> with its accessible name.
std::string open(const std::string& title, double width, double height, const std::string& desc) {
  const std::string id = nextId();
  return "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " +
         num(width) + " " + num(height) + "\" aria-labelledby=\"" + id + "-t " + id +
         "-d\"><title id=\"" + id + "-t\">" + escape(title) + "</title><desc id=\"" + id +
         "-d\">" + escape(desc) + "</desc>";
}

std::string text(double x, double y, const std::string& s, const char* anchor = "start",
                 const char* size = "12") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + size +
         "\" text-anchor=\"" + anchor + "\" fill=\"#1f2328\">" + escape(s) + "</text>";
}

std::string rect(double x, double y, double w, double h, const std::string& color,
                 const std::string& tip) {
  std::string r = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" +
                  num(std::max(w, 0.0)) + "\" height=\"" + num(h) + "\" fill=\"" + escape(color) +
                  "\">";
  if (!tip.empty()) r += "<title>" + escape(tip) + "</title>";
  return r + "</rect>";
}

std::string linked(const std::string& href, const std::string& inner) {
  if (href.empty()) return inner;
  return "<a href=\"" + escape(href) + "\">" + inner + "</a>";
}

}  // namespace

std::string escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string horizontalBars(const std::string& title, const std::vector<Bar>& bars, double max,
                           const std::string& color) {
  const double width = 600, labelW = 150, valueW = 70, row = 26;
  const double height = std::max(1.0, static_cast<double>(bars.size())) * row + 8;
  if (max <= 0)
    for (const auto& b : bars) max = std::max(max, b.value);
  std::string desc;
  for (const auto& b : bars) desc += b.label + " " + b.valueText + "; ";
  std::string out = open(title, width, height, desc);
  double y = 4;
  for (const auto& b : bars) {
    const double w = max > 0 ? (width - labelW - valueW) * b.value / max : 0;
    out += text(labelW - 6, y + 17, b.label, "end");
    out += rect(labelW, y + 4, width - labelW - valueW, row - 8, "#eef1f4", "");
    out += linked(b.href, rect(labelW, y + 4, w, row - 8, color,
                               b.tooltip.empty() ? b.label + " " + b.valueText : b.tooltip));
    out += text(width - valueW + 6, y + 17, b.valueText);
    y += row;
  }
  return out + "</svg>";
}

std::string columns(const std::string& title, const std::vector<std::string>& categories,
                    const std::vector<Series>& series) {
  const double width = 600, height = 220, top = 28, bottom = 30, left = 36;
  double max = 0;
  for (const auto& s : series)
    for (double v : s.values) max = std::max(max, v);
  if (max <= 0) max = 1;
  std::string desc;
  for (size_t c = 0; c < categories.size(); ++c) {
    desc += categories[c] + ":";
    for (const auto& s : series)
      desc += " " + s.name + " " + (c < s.values.size() ? num(s.values[c]) : "0");
    desc += "; ";
  }
  std::string out = open(title, width, height, desc);
  // Legend along the top.
  double lx = left;
  for (const auto& s : series) {
    out += rect(lx, 6, 12, 12, s.color, "");
    out += text(lx + 16, 17, s.name);
    lx += 24 + 13.0 * static_cast<double>(s.name.size()) / 2;
  }
  const double plotH = height - top - bottom;
  out += text(left - 4, top + 10, num(max).substr(0, num(max).find('.')), "end", "10");
  out += text(left - 4, top + plotH, "0", "end", "10");
  out += "<line x1=\"" + num(left) + "\" y1=\"" + num(top + plotH) + "\" x2=\"" + num(width) +
         "\" y2=\"" + num(top + plotH) + "\" stroke=\"#b8c0c8\"/>";
  const double slot = categories.empty() ? 0 : (width - left) / categories.size();
  const double barW = series.empty() ? 0 : std::min(28.0, slot * 0.8 / series.size());
  for (size_t c = 0; c < categories.size(); ++c) {
    const double x0 = left + slot * c + (slot - barW * series.size()) / 2;
    for (size_t k = 0; k < series.size(); ++k) {
      const double v = c < series[k].values.size() ? series[k].values[c] : 0;
      const double h = plotH * v / max;
      out += rect(x0 + barW * k, top + plotH - h, barW - 1, h, series[k].color,
                  categories[c] + " " + series[k].name + " " + num(v).substr(0, num(v).find('.')));
    }
    // Every label when they fit; otherwise every other one.
    if (slot >= 44 || c % 2 == 0)
      out += text(left + slot * c + slot / 2, height - 10, categories[c], "middle", "10");
  }
  return out + "</svg>";
}

std::string stackedBar(const std::string& title, const std::vector<Part>& parts) {
  const double width = 600, height = 70;
  double total = 0;
  for (const auto& p : parts) total += p.count;
  std::string desc;
  for (const auto& p : parts) desc += p.label + " " + num(p.count).substr(0, num(p.count).find('.')) + "; ";
  std::string out = open(title, width, height, desc);
  double x = 0;
  out += rect(0, 4, width, 28, "#eef1f4", "");
  for (const auto& p : parts) {
    const double w = total > 0 ? width * p.count / total : 0;
    const std::string n = num(p.count).substr(0, num(p.count).find('.'));
    out += linked(p.href, rect(x, 4, w, 28, p.color, p.label + " " + n));
    x += w;
  }
  double lx = 0;
  for (const auto& p : parts) {
    const std::string n = num(p.count).substr(0, num(p.count).find('.'));
    out += rect(lx, 44, 12, 12, p.color, "");
    out += linked(p.href, text(lx + 16, 55, p.label + " " + n));
    lx += 150;
  }
  return out + "</svg>";
}

}  // namespace liufang::web::svg
