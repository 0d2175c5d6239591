#!/usr/bin/env python3
"""Makes the variants of the WeChat export fixtures that the import tests read.

usage: python3 make_variants.py          (needs `pip install openpyxl` for the .xlsx files)

Run it in this folder; it rewrites every file it makes, from export_user_growth.csv and
export_notified_articles.csv (copied from the project's shared fixtures). The files are
committed, so the tests need neither Python nor openpyxl.

notified_generated.csv and notified_generated_expected.csv come from the benchmark kit instead:
    python3 bench/gen.py wechat-notified 300 notified_generated.csv --seed 7
    python3 bench/py/notified_norm.py gh_0123456789ab notified_generated.csv notified_generated_expected.csv
"""
import csv
import io
import zipfile

GROWTH = open("export_user_growth.csv", encoding="utf-8").read()
NOTIFIED = open("export_notified_articles.csv", encoding="utf-8").read()


def write_bytes(name, data):
    with open(name, "wb") as f:
        f.write(data)


def main():
    # Encodings and line ends.
    write_bytes("user_growth_bom.csv", b"\xef\xbb\xbf" + GROWTH.encode("utf-8"))
    write_bytes("user_growth_gb18030.csv", GROWTH.encode("gb18030"))
    write_bytes("user_growth_crlf.csv", GROWTH.replace("\n", "\r\n").encode("utf-8"))
    # Excel "Unicode text": UTF-16LE with BOM, tab-separated, CRLF.
    tsv = GROWTH.replace(",", "\t").replace("\n", "\r\n")
    write_bytes("user_growth_utf16.txt", b"\xff\xfe" + tsv.encode("utf-16-le"))

    # A title and a date range above the header, as some back-office versions write.
    write_bytes("user_growth_preamble.csv",
                ("公众号用户增长数据,,,,\n统计时间：2025-03-03 至 2025-03-07,,,,\n\n" + GROWTH).encode("utf-8"))

    # Header names of other versions: 日期, 新增关注人数(人), 累计关注人数, columns reordered.
    write_bytes("user_growth_renamed.csv", (
        "日期,累计关注人数,新增关注人数(人),取消关注人数（人）\n"
        "2025-03-03,182344,60,3\n"
        "2025-03-04,182408,71,7\n").encode("utf-8"))

    # Count cells: quoted thousands separators, missing values, a bad cell, a blank line,
    # a summary row.
    write_bytes("user_growth_cells.csv", (
        "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n"
        '2025-03-03,"1,060",3,"1,057","1,182,344"\n'
        "2025-03-04,-,7,-,1182408\n"
        "\n"
        "2025-03-05,52,abc,43,--\n"
        "2025-03-06,,38,-18,1182433\n"
        "合计,1183,48,1082,-\n").encode("utf-8"))

    # 已通知内容, v1 columns (PLATFORMS.md §1.8), CRLF, a header after a title row, titles with
    # commas, quotes and a line break, `-` cells, thousands separators, rates, a msgid cell,
    # a short link with no mid (a bad cell) and a bad rate.
    rows = [
        ["内容标题", "发表时间", "总阅读人数", "总阅读次数", "总分享人数", "分享次数", "阅读后关注人数",
         "送达人数", "公众号消息阅读次数", "送达阅读率", "首次分享次数", "分享产生阅读次数", "首次分享率",
         "首次分享带来阅读次数", "阅读完成率", "内容url"],
        ["关于2025年春季学期开学工作的通知", "2025-03-04 18:30:05", "15,320", "19,204", "1,203", "1,480", "41",
         "181,002", "9,120", "5.04%", "610", "3,300", "3.98%", "2,100", "62.35%",
         "https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMA==&mid=2247501234&idx=1&sn=0000000000000000000000000000000a"],
        ['校园开放日预约指南（附"交通路线"，A,B）\n第二行', "2025-03-06 08:00:00", "8871", "10022", "640", "-",
         "19", "181455", "4000", "2.2%", "300", "1200", "3.38%", "800", "55.10%",
         "https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMA==&amp;mid=2247501240&amp;idx=2&amp;sn=0b"],
        ["家长必看", "2025/3/7 9:05", "-", "1200", "12", "15", "0", "181460", "100", "0.06%", "1", "2", "0%",
         "0", "-", "2247501250_3"],
        ["短链接文章", "2025-03-08 10:00:00", "100", "120", "1", "1", "0", "181470", "10", "0.01%", "1", "1",
         "1%", "1", "50%", "https://mp.weixin.qq.com/s/AbCdEfGhIj"],
        ["完成率有误", "2025-03-09 10:00:00", "100", "120", "1", "1", "0", "181480", "10", "0.01%", "1", "1",
         "1%", "1", "62.35", "https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMA==&mid=2247501260&idx=1&sn=0c"],
    ]
    out = io.StringIO()
    out.write("已通知内容,,,\r\n")
    csv.writer(out).writerows(rows)
    write_bytes("notified_articles_v1.csv", out.getvalue().encode("utf-8"))

    # An old binary Excel file: the OLE2 magic and some padding.
    write_bytes("old_excel.xls", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    # An "xls" download that is really a web page.
    write_bytes("html_export.xls", "<html><body><table><tr><td>时间</td></tr></table></body></html>\n".encode())
    write_bytes("empty.csv", b"")

    make_xlsx()


def make_xlsx():
    import datetime
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "用户增长"
    # A merged title row above the header.
    ws.append(["公众号用户增长数据（2025-03-03 至 2025-03-07）"])
    ws.merge_cells("A1:E1")
    ws.append(["时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数"])
    # Dates as serial numbers with a date format; one date as text.
    ws.append([datetime.date(2025, 3, 3), 60, 3, 57, 182344])
    ws.append([datetime.date(2025, 3, 4), 71, 7, "=B4-C4", 182408])        # a formula cell
    ws.append(["2025-03-05", "52", 9, 43, "182,451"])                          # numbers stored as text
    ws.append([datetime.datetime(2025, 3, 6, 0, 0), 20, 38, -18, "=E5-18"])  # formula for a count
    ws.append([datetime.date(2025, 3, 7), 95, 8, 87, 182520])
    for row in range(3, 8):
        ws.cell(row=row, column=1).number_format = "yyyy/m/d"
    ws["E6"].value = "=E5-18"
    wb.save("user_growth.xlsx")
    # openpyxl writes no cached values for formulas and only inline strings; make the file look
    # like one Excel saved: cached values, and shared strings (one of them rich text with a
    # phonetic run) for every text cell but the title.
    excelify("user_growth.xlsx", {"D4": "64", "E6": "182433"})

    # The same workbook cut off in the middle: the ZIP directory at its end is gone.
    data = open("user_growth.xlsx", "rb").read()
    write_bytes("user_growth_truncated.xlsx", data[: len(data) // 2])


def excelify(path, cached):
    import re
    from xml.sax.saxutils import escape
    src = zipfile.ZipFile(path)
    parts = {name: src.read(name) for name in src.namelist()}
    src.close()
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for ref, value in cached.items():
        sheet, n = re.subn(r'(<c r="%s"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?' % ref,
                           lambda m: m.group(1) + m.group(2) + "<v>%s</v>" % value, sheet)
        assert n == 1, ref
    strings = []

    def shared(m):
        if m.group(1) == "A1":
            return m.group(0)  # the title stays an inline string
        strings.append(m.group(3))
        return '<c r="%s"%s t="s"><v>%d</v></c>' % (m.group(1), m.group(2), len(strings) - 1)

    sheet = re.sub(r'<c r="([A-Z]+[0-9]+)"([^>]*?) t="inlineStr"><is><t>([^<]*)</t></is></c>', shared, sheet)
    items = []
    for text in strings:
        if text == "时间":  # rich text: two runs, and a phonetic run that is not part of the text
            items.append("<si><r><t>时</t></r><r><rPr><b/></rPr><t>间</t></r>"
                         "<rPh sb=\"0\" eb=\"1\"><t>shi</t></rPh></si>")
        else:
            items.append("<si><t>%s</t></si>" % text)  # already escaped by openpyxl
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
        % (len(items), len(items), "".join(items))).encode("utf-8")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>').encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", '<Relationship Id="rIdSS" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 8, 0, 0, 0))  # same bytes on every run
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


if __name__ == "__main__":
    main()
