#!/usr/bin/env python3
"""Reads a ledger CSV with Python's csv module in strict mode and checks what Excel, WPS and
LibreOffice rely on: the UTF-8 BOM, CRLF record ends, RFC 4180 quoting (writing the parsed rows
back with csv.writer gives the same bytes), 14 fields per record, the Chinese header, and the
expected number of item rows. Usage: csv_roundtrip.py FILE EXPECTED_ROWS [MUST_CONTAIN...]"""
import csv
import io
import sys

HEADER = ["编号", "议题", "提出方", "牵头方", "协办方", "交办日期", "办理时限", "状态", "回音",
          "办结日期", "是否按期", "催办次数", "退回次数", "满意度"]


def main():
    path, expected = sys.argv[1], int(sys.argv[2])
    raw = open(path, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
    text = raw[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert rows[0] == HEADER, rows[0]
    assert all(len(r) == 14 for r in rows), [r for r in rows if len(r) != 14][:1]
    assert len(rows) - 1 == expected, (len(rows) - 1, expected)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    assert out.getvalue() == text, "re-written CSV differs: quoting or line ends are not RFC 4180"
    cells = {c for r in rows for c in r}
    for needle in sys.argv[3:]:
        assert needle in cells, "missing cell " + needle
    print("ok: %d rows, %d bytes" % (len(rows) - 1, len(raw)))


if __name__ == "__main__":
    main()
