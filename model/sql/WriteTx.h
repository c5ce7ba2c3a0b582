#pragma once
// The SQLite write transaction: BEGIN IMMEDIATE ... COMMIT on statements prepared once per
// connection (the Engine's path; see Connection.h for why not through Poco).
#include <memory>
#include <mutex>

#include "model/Store.h"
#include "model/sql/Connection.h"

namespace liufang::model::sql {

// Begins a write transaction on the leased connection. `slot` is the process's writer slot
// (see SqlStore::beginWrite), held until the transaction is destroyed; destroying it without
// commit() rolls back. Throws StorageError (or Conflict/NotFound, see raiseSqlite) if BEGIN
// fails.
std::unique_ptr<WriteTx> beginSqlWriteTx(std::unique_lock<std::timed_mutex> slot,
                                         ConnectionPool::Lease lease);

}  // namespace liufang::model::sql
