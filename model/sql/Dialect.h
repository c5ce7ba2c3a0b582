#pragma once
// The few things that differ between SQLite and PostgreSQL, kept together so a PostgreSQL
// store can follow with another Dialect instance.
#include <string>
#include <vector>

#include "model/Store.h"

namespace liufang::model::sql {

// Everything SQLite-specific that the SQL text depends on. A PostgreSQL store takes another
// instance of this (BEGIN; identity ids; ILIKE; SET statements), and its WriteTx runs the same
// statements through Poco (or libpq prepared statements) instead of sqlite3_stmt.
// Portable as they are, so not here: INSERT ... RETURNING id (SQLite >= 3.35) for new ids and
// INSERT ... ON CONFLICT (...) DO UPDATE (SQLite >= 3.24) for upserts.
struct Dialect {
  const char* connector;     // Poco::Data connector name
  const char* beginWrite;    // takes the write lock up front, so writers queue, never deadlock
  const char* likeOperator;  // substring match, case-insensitive for ASCII
  // Statements run on every new connection.
  std::vector<std::string> sessionSetup(const StoreOptions& o) const {
    return {
        // First, so that the pragmas below wait for a busy database instead of failing.
        "PRAGMA busy_timeout = " + std::to_string(o.busyTimeoutMs),
        "PRAGMA journal_mode = WAL",  // readers never block the writer, nor it them
        "PRAGMA foreign_keys = ON",   // off by default in SQLite, per connection
        // FULL syncs the WAL on every commit (survives a power cut); NORMAL only at checkpoints.
        std::string("PRAGMA synchronous = ") +
            (o.synchronous == Synchronous::Full ? "FULL" : "NORMAL"),
    };
  }
};

inline const Dialect kSqlite{"SQLite", "BEGIN IMMEDIATE", "LIKE"};

// The LIKE escape character; '!' rather than '\' so the SQL reads the same in every dialect.
inline constexpr char kLikeEscape = '!';

// A LIKE pattern matching s literally: %, _ and the escape character lose their meaning.
inline std::string likeLiteral(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 4);
  for (char c : s) {
    if (c == '%' || c == '_' || c == kLikeEscape) out += kLikeEscape;
    out += c;
  }
  return out;
}

}  // namespace liufang::model::sql
