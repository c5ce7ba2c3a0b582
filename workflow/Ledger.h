#pragma once
// The ledger (台账): one row per item raised in a period and scope (the desk's filter), with
// party names, community-local dates and whether it was closed on time, as the CSV people open
// in Excel / WPS / LibreOffice (UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting) and as the
// rows of the printable ledger page. Read by keyset pages of 500, so a large export holds one
// page in memory at a time.
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "model/Store.h"
#include "workflow/Scoreboard.h"

namespace liufang::workflow {

// Turns an English msgid into the reader's language (the web's I18n, or the CLI's).
using Translate = std::function<std::string(const std::string& msgid)>;

// The column headings as English msgids, in order: 编号, 议题, 提出方, 牵头方, 协办方, 交办日期,
// 办理时限, 状态, 回音, 办结日期, 是否按期, 催办次数, 退回次数, 满意度 in the zh_CN catalog.
const std::vector<std::string>& ledgerHeadings();

// One ledger row, every cell already text (translated where it is a label).
using LedgerRow = std::vector<std::string>;

// Calls `row` for each item in `period` (see allowedPeriod: the caller resolves the viewer's
// scope first), newest first, in pages; stops early when `row` returns false.
// Returns the number of rows given.
int64_t forEachLedgerRow(model::Store& store, const ScorePeriod& period, const Translate& tr,
                         const std::function<bool(const LedgerRow&)>& row);

// One CSV record per RFC 4180: fields quoted when they hold a comma, quote, CR or LF (quotes
// doubled), ended by CRLF.
std::string csvRecord(const std::vector<std::string>& fields);

// Writes the whole ledger as CSV: the UTF-8 BOM, the heading record, one record per item.
// Returns the number of item rows.
int64_t writeLedgerCsv(std::ostream& out, model::Store& store, const ScorePeriod& period,
                       const Translate& tr);

}  // namespace liufang::workflow
