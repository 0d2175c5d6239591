#!/usr/bin/env python3
"""Writes the small Douyin 作品数据 workbooks of ExcelCellFormsTests (needs openpyxl).

usage: python3 make_excel_cells.py           (writes next to this script)

- works_midnight.xlsx: 发布时间 as date-time cells formatted `yyyy-mm-dd hh:mm:ss`, one at
  00:00 (a 定时发布 at midnight, whose serial has no fraction) and one at 08:00; a third work's
  cell formatted as a date only (`yyyy/m/d`) at 00:00.
"""
import datetime
import os

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


if __name__ == "__main__":
    midnight()
