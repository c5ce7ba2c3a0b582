#pragma once
// Charts as server-side SVG, for pages that work without JavaScript: horizontal bars, grouped
// columns and a stacked bar. Each chart is an <svg role="img"> with a <title> (and <desc>) for
// screen readers, a viewBox so it scales to the phone's width, every text escaped, and bars
// that may link to the items behind them. Text arrives already translated.
#include <string>
#include <vector>

namespace liufang::web::svg {

// Escapes & < > " ' for SVG/XML text and attribute values.
std::string escape(const std::string& text);

// One bar of horizontalBars.
struct Bar {
  std::string label;      // left of the bar
  double value = 0;       // bar length, in the chart's unit
  std::string valueText;  // right of the bar ("80%", "—")
  std::string href;       // link, or empty
  std::string tooltip;    // the bar's own <title>
};

// One row per bar, scaled so `max` (or the largest value when max <= 0) fills the width.
std::string horizontalBars(const std::string& title, const std::vector<Bar>& bars, double max,
                           const std::string& color);

// One series of columns.
struct Series {
  std::string name;
  std::string color;
  std::vector<double> values;  // one per category
};

// Grouped columns: per category (x axis label), one column per series, with a legend.
std::string columns(const std::string& title, const std::vector<std::string>& categories,
                    const std::vector<Series>& series);

// One part of stackedBar.
struct Part {
  std::string label;
  double count = 0;
  std::string color;
  std::string href;
};

// One bar split into parts in proportion, with a legend "label count" under it.
std::string stackedBar(const std::string& title, const std::vector<Part>& parts);

}  // namespace liufang::web::svg
