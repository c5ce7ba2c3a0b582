#pragma once
// Read helpers for the store: rows read column by column (Columns<Row> order) from statements
// cached on the connection (Connection::preparedRead) instead of Poco's re-prepare.
#include <Poco/Types.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/sql/Columns.h"
#include "model/sql/Connection.h"

namespace liufang::model::sql {

// A query parameter for statements whose filters vary (listItems).
using Param = std::variant<Poco::Int64, std::string>;

// Binds params in order.
inline void bindParams(Step& s, const std::vector<Param>& params) {
  for (const auto& p : params) std::visit([&](const auto& v) { s.bind(v); }, p);
}

// The rows of s, each read column by column in Columns<Row> order.
template <class Row>
std::vector<Row> readRows(Step& s) {
  std::vector<Row> out;
  while (s.row()) {
    Row r;
    int col = 0;
    Columns<Row>::each(r, [&](auto& v) { s.read(col++, v); });
    out.push_back(std::move(r));
  }
  return out;
}

// The first row of s, or nullopt if it has none.
template <class Row>
std::optional<Row> readOne(Step& s) {
  auto rows = readRows<Row>(s);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace liufang::model::sql
