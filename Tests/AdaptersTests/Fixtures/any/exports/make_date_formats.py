#!/usr/bin/env python3
"""Writes self_report_date_formats.xlsx for SelfReportTests and XLSXTableTests (Python only).

usage: python3 make_date_formats.py          (writes next to this script)

A self-report sheet whose 日期 cells are date serials under number formats that show the whole
date, and others that show only part of it, as Excel, WPS and online sheets make them when
`2025-02` or `3/4` is typed into a cell: a month without its day (its serial is the 1st) and a
day without its year. Custom formats (`<numFmt>`) and built-in ones (ECMA-376 §18.8.30, the CJK
ones as a Chinese Excel shows them), which the workbook names by id alone. Written by hand, not
with openpyxl, which turns `mmm-yy` into the built-in id 17 and knows no CJK ids.
"""
import datetime
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

# (row label for the notes column, date, format: a custom code or a built-in id)
ROWS = [
    ("custom yyyy年m月", datetime.datetime(2025, 2, 1), 'yyyy"年"m"月"'),
    ("custom yyyy-mm", datetime.datetime(2025, 2, 1), "yyyy-mm"),
    ("custom mmm-yy", datetime.datetime(2025, 2, 1), "mmm-yy"),
    ("built-in 17 mmm-yy", datetime.datetime(2025, 2, 1), 17),
    ("built-in 57 yyyy年m月", datetime.datetime(2025, 2, 1), 57),
    ("custom m月d日", datetime.datetime(2025, 3, 4), 'm"月"d"日"'),
    ("built-in 58 m月d日", datetime.datetime(2025, 3, 4), 58),
    ("built-in 16 d-mmm", datetime.datetime(2025, 3, 4), 16),
    ("custom mm-dd hh:mm", datetime.datetime(2025, 3, 4, 14, 47), "mm-dd hh:mm"),
    ("custom yyyy/m/d", datetime.datetime(2025, 3, 2), "yyyy/m/d"),
    ("built-in 14 m/d/yyyy", datetime.datetime(2025, 3, 3), 14),
    ("built-in 31 yyyy年m月d日", datetime.datetime(2025, 3, 5), 31),
    ("custom yyyy-mm-dd hh:mm at midnight", datetime.datetime(2025, 3, 6), "yyyy-mm-dd hh:mm"),
    ("custom with the weekday", datetime.datetime(2025, 3, 7), '[$-804]yyyy"年"m"月"d"日" aaaa'),
    # Cells whose serial has a time of day their format does not show, or shows without seconds.
    ("custom m/d, serial with a time", datetime.datetime(2025, 3, 4, 11, 0), "m/d"),
    ("built-in 58 m月d日, serial with a time", datetime.datetime(2025, 3, 4, 11, 0), 58),
    ("custom mm-dd hh:mm:ss", datetime.datetime(2025, 3, 4, 14, 47, 5), "mm-dd hh:mm:ss"),
]


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def serial(moment):
    delta = moment - datetime.datetime(1899, 12, 30)
    value = delta.days + delta.seconds / 86400
    return str(int(value)) if value == int(value) else repr(value)


def main():
    custom = []
    for _, _, code in ROWS:
        if isinstance(code, str) and code not in custom:
            custom.append(code)
    ids = {code: 164 + index for index, code in enumerate(custom)}
    styles = [0] + [ids[code] if isinstance(code, str) else code for _, _, code in ROWS]
    styles_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + '<numFmts count="%d">' % len(custom)
        + "".join('<numFmt numFmtId="%d" formatCode="%s"/>' % (ids[code], escape(code)) for code in custom)
        + "</numFmts>"
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        + '<cellXfs count="%d">' % len(styles)
        + "".join(
            '<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' % number
            for number in styles
        )
        + "</cellXfs></styleSheet>"
    )

    def text(ref, value):
        return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(value))

    rows = ['<row r="1">' + "".join(
        text("%s1" % column, header) for column, header in zip("ABCDEF", ["单位", "平台", "账号", "日期", "粉丝数", "备注"])
    ) + "</row>"]
    for index, (label, moment, _) in enumerate(ROWS):
        number = index + 2
        rows.append(
            '<row r="%d">' % number
            + text("A%d" % number, "济南市教育局")
            + text("B%d" % number, "wechat")
            + text("C%d" % number, "gh_0123456789ab")
            + '<c r="D%d" s="%d"><v>%s</v></c>' % (number, index + 1, serial(moment))
            + '<c r="E%d"><v>%d</v></c>' % (number, 180000 + number)
            + text("F%d" % number, label)
            + "</row>"
        )
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(rows)
        + "</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="填报" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>',
        "xl/styles.xml": styles_xml,
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(os.path.join(HERE, "self_report_date_formats.xlsx"), "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 8, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, content.encode("utf-8"))


if __name__ == "__main__":
    main()
