#!/usr/bin/env bash
# The ledger CSV as people open it (run by ctest):
#   check.sh LIUFANG csv   `liufang export ledger` on a demo, read back by Python's csv module
#                          (tests/ledger/csv_roundtrip.py): BOM, CRLF, RFC 4180, Chinese intact
#   check.sh LIUFANG xlsx  the same CSV converted by `libreoffice --headless --convert-to xlsx`;
#                          the workbook's shared strings hold the Chinese header and a title
# One demo item's title is given a comma, quotes and a line break first (straight in SQLite:
# only the projection's text matters to the export), so the quoting is exercised.
set -euo pipefail
liufang="$1" mode="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/liufang-ledger-XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$liufang" init --demo --db "$work/demo.db" > /dev/null
tricky=$'停车难，"外来车"\r\n问题'
sqlite3 "$work/demo.db" "UPDATE items SET title = '${tricky//\'/\'\'}' WHERE id = (SELECT MIN(id) FROM items)"
count="$(sqlite3 "$work/demo.db" "SELECT COUNT(*) FROM items")"
"$liufang" export ledger --db "$work/demo.db" --out "$work/ledger.csv"

case "$mode" in
  csv)
    python3 "$here/csv_roundtrip.py" "$work/ledger.csv" "$count" "$tricky" "物业公司"
    ;;
  xlsx)
    office="$(command -v libreoffice || command -v soffice || true)"
    [ -n "$office" ] || { echo "libreoffice is missing: install libreoffice-calc-nogui (scripts/deps)" >&2; exit 1; }
    # A private profile: LibreOffice refuses to start twice on one, and ctest runs in parallel.
    # CSV:44,34,76,1 = comma, double quote, UTF-8 (76), from line 1: what a user picks in
    # LibreOffice's text import dialog. Headless, with no filter options, LibreOffice 7.4
    # ignores the BOM and reads the system's 8-bit charset (measured: mojibake); Excel and WPS
    # go by the BOM.
    timeout 120 "$office" -env:UserInstallation="file://$work/profile" --headless \
      --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$work" "$work/ledger.csv" > "$work/convert.log" 2>&1 \
      || { cat "$work/convert.log" >&2; exit 1; }
    [ -s "$work/ledger.xlsx" ] || { echo "no xlsx written" >&2; cat "$work/convert.log" >&2; exit 1; }
    strings="$(unzip -p "$work/ledger.xlsx" xl/sharedStrings.xml)"
    # The first cell is exactly 编号: the BOM was taken as the encoding mark, not as text.
    grep -q '<si><t xml:space="preserve">编号</t></si>' <<< "$strings" \
      || { echo "xlsx: the first heading is not exactly 编号" >&2; exit 1; }
    for needle in 编号 议题 提出方 牵头方 满意度 物业公司 停车难; do
      grep -q "$needle" <<< "$strings" || { echo "xlsx lacks $needle" >&2; exit 1; }
    done
    echo "ok: ledger.xlsx holds the Chinese header and cells"
    ;;
  *) echo "usage: check.sh LIUFANG csv|xlsx" >&2; exit 2 ;;
esac
