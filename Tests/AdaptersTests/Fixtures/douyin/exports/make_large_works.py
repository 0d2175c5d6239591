#!/usr/bin/env python3
"""Writes a large Douyin 作品数据 workbook for the streaming figure in docs/imports.md.

usage: python3 make_large_works.py ROWS OUT.xlsx        (standard library only)

The same layout as the tests' LargeExport (XLSXStreamingTests.swift): a title row, the
header, then one work a minute from 2025-03-01 00:00 with counts as numbers and as text
(`1,234`), rates, and `-` cells; strings inline, as the collector's own writer does. Not
committed: a 100,000-row workbook is about 4 MB packed and 60 MB unpacked.

    python3 make_large_works.py 100000 /tmp/works_100k.xlsx
    /usr/bin/time -v collector import --platform douyin --account dy /tmp/works_100k.xlsx
"""
import datetime
import sys
import zipfile
from xml.sax.saxutils import escape

HEADER = ["作品名称", "发布时间", "体裁", "审核状态", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率",
          "平均播放时长", "点赞量", "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def column(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def row(number, cells):
    parts = ['<row r="%d">' % number]
    for index, (kind, value) in enumerate(cells):
        ref = column(index) + str(number)
        if kind == "n":
            parts.append('<c r="%s"><v>%s</v></c>' % (ref, value))
        else:
            parts.append('<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, escape(value)))
    parts.append("</row>")
    return "".join(parts)


def main(rows, out):
    start = datetime.datetime(2025, 3, 1)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        archive.writestr("[Content_Types].xml", decl + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="%s.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="%s.worksheet+xml"/></Types>' % (CT, CT)))
        archive.writestr("_rels/.rels", decl + (
            '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>' % (PKG, REL)))
        archive.writestr("xl/workbook.xml", decl + (
            '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="作品数据" sheetId="1" r:id="rId1"/></sheets>'
            '</workbook>' % (MAIN, REL)))
        archive.writestr("xl/_rels/workbook.xml.rels", decl + (
            '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>' % (PKG, REL)))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((decl + '<worksheet xmlns="%s"><sheetData>' % MAIN).encode())
            sheet.write(row(1, [("s", "作品数据（生成）")]).encode())
            sheet.write(row(2, [("s", name) for name in HEADER]).encode())
            for index in range(rows):
                time = (start + datetime.timedelta(minutes=index)).strftime("%Y-%m-%d %H:%M:%S")
                cells = [("s", "第%d个作品 #校园" % index), ("s", time), ("s", "1-3min视频"), ("s", "公开"),
                         ("n", str(index * 10)), ("n", "0.0512"), ("s", "0.4023"), ("s", "-"), ("n", "0.3512"),
                         ("n", "14.6"), ("s", "{:,}".format(index)), ("n", "402"), ("n", "133"), ("n", "219"),
                         ("n", "1877"), ("n", "365")]
                sheet.write(row(index + 3, cells).encode())
            sheet.write(b"</sheetData></worksheet>")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
