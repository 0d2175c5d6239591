#!/usr/bin/env python3
"""Writes the small Douyin 作品数据 workbooks of ExcelCellFormsTests (needs openpyxl).

usage: python3 make_excel_cells.py           (writes next to this script)

- works_midnight.xlsx: 发布时间 as date-time cells formatted `yyyy-mm-dd hh:mm:ss`, one at
  00:00 (a 定时发布 at midnight, whose serial has no fraction) and one at 08:00; a third work's
  cell formatted as a date only (`yyyy/m/d`) at 00:00.
- works_formula_results.xlsx: 播放量 and 完播率 as formulas with the results Excel caches for
  them, written with 17 digits (`=1.13*10000` → `11299.999999999998`, `=0.1+0.2` →
  `0.30000000000000004`), beside plain numbers (`=2841+0` → `2841`, `0.1234`).
- works_password.xlsx: a one-work 作品数据 workbook encrypted with the password `123456`
  (Excel: 文件 → 信息 → 保护工作簿 → 用密码进行加密), by msoffcrypto-tool
  (`pip install msoffcrypto-tool`): an OLE container with EncryptionInfo and EncryptedPackage.
"""
import datetime
import os
import zipfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))


def midnight():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "作品数据"
    sheet.append(["作品名称", "发布时间", "播放量"])
    rows = [
        ("零点定时发布", datetime.datetime(2026, 11, 1, 0, 0, 0), 5000, "yyyy-mm-dd hh:mm:ss"),
        ("上午作品", datetime.datetime(2026, 11, 1, 8, 0, 0), 6000, "yyyy-mm-dd hh:mm:ss"),
        ("只有日期", datetime.datetime(2026, 11, 2, 0, 0, 0), 7000, "yyyy/m/d"),
    ]
    for number, (title, published, views, code) in enumerate(rows, start=2):
        sheet.append([title, published, views])
        sheet.cell(row=number, column=2).number_format = code
    book.save(os.path.join(HERE, "works_midnight.xlsx"))


def formula_results():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "作品数据"
    sheet.append(["作品名称", "发布时间", "播放量", "完播率", "点赞量"])
    sheet.append(["公式作品", "2026-11-03 11:00:00", 11300, 0.3, 2841])
    sheet.append(["普通作品", "2026-11-04 11:00:00", 500, 0.1234, 7])
    plain = os.path.join(HERE, "works_formula_results.plain.xlsx")
    book.save(plain)
    # openpyxl writes no cached results: put Excel's in, as its own files hold them.
    cached = {
        b'<c r="C2" t="n"><v>11300</v></c>': b'<c r="C2"><f>1.13*10000</f><v>11299.999999999998</v></c>',
        b'<c r="D2" t="n"><v>0.3</v></c>': b'<c r="D2"><f>0.1+0.2</f><v>0.30000000000000004</v></c>',
        b'<c r="E2" t="n"><v>2841</v></c>': b'<c r="E2"><f>2841+0</f><v>2841</v></c>',
    }
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(
        os.path.join(HERE, "works_formula_results.xlsx"), "w", zipfile.ZIP_DEFLATED
    ) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for stored, formula in cached.items():
                    assert stored in data, stored
                    data = data.replace(stored, formula)
            out.writestr(item, data)
    os.remove(plain)


def password():
    from msoffcrypto.format.ooxml import OOXMLFile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "作品数据"
    sheet.append(["作品名称", "发布时间", "播放量"])
    sheet.append(["视频A", "2026-11-03 11:00:00", 100])
    plain = os.path.join(HERE, "works_password.plain.xlsx")
    book.save(plain)
    with open(plain, "rb") as source, open(os.path.join(HERE, "works_password.xlsx"), "wb") as out:
        OOXMLFile(source).encrypt("123456", out)
    os.remove(plain)


if __name__ == "__main__":
    midnight()
    formula_results()
    password()
