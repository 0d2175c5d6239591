#!/usr/bin/env python3
"""Writes the export fixtures of the import tests, for every platform.

usage: python3 make_exports.py          (run in this folder; needs `pip install openpyxl`)

It writes ../../<platform>/exports/* for wechat, channels, douyin, toutiao, kuaishou, weibo,
bilibili and any (the self-report sheet). The files are committed, so the tests need neither
Python nor openpyxl. The expected rows (*.expected.csv, *.objects.txt, *.failures.txt) are not
written by this script: ImporterGoldenTests records them with COLLECTOR_RECORD_GOLDEN=1, and each
recording was checked by hand against the cells above (derived ids against FNV-1a computed in
Python); review the diff of any re-recording the same way.

The first file of each kind copies the example in the project's shared fixtures
(fixtures/README.md); the others are the ugly variants operators produce: GB18030 from a
Chinese Excel, UTF-16 "Unicode text", CRLF, rows above the header, renamed headers, missing
cells, formula cells, numbers stored as text, dates stored as serial numbers.
"""
import datetime
import os
import re
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def out(platform, name):
    folder = os.path.join(ROOT, platform, "exports")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


def write(platform, name, text, encoding="utf-8", bom=b"", crlf=False):
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    with open(out(platform, name), "wb") as f:
        f.write(bom + text.encode(encoding))


# --- WeChat -------------------------------------------------------------------------------

CONTENT_TREND_V1 = """日期,渠道,阅读次数,阅读人数,分享次数,分享人数,阅读原文次数,阅读原文人数,收藏次数,收藏人数,群发篇数
2025-03-04,全部,26410,21877,2231,1650,352,310,128,120,2
2025-03-04,公众号消息,10833,9120,905,702,140,121,50,47,2
2025-03-04,聊天会话,7711,6402,690,511,98,90,31,30,2
2025-03-05,全部,9120,7702,611,498,101,95,40,38,0
"""

# The newer version: 渠道 second, people instead of times, a second block of per-article
# reads under the daily table; with a title and a range above the header, a summary row,
# thousands separators, a `-` and a bad cell; saved by a Chinese Excel (GB18030, CRLF).
CONTENT_TREND_V2 = """数据趋势明细,,,,,,
统计时间：2025-03-03 至 2025-03-06,,,,,,
,,,,,,
日期,渠道,阅读人数,分享人数,跳转阅读原文人数,微信收藏人数,发表篇数
2025-03-03,全部,"12,301",980,77,65,1
2025-03-03,公众号消息,8000,600,50,40,1
2025-03-04,全部,9876,-,60,51,0
2025-03-05,全部,abc,701,55,40,2
2025/3/6,全部,10110,812,58,47,1
合计,,"42,287",2493,250,203,4
,,,,,,
传播渠道,内容标题,日期,阅读人数,阅读人数占比,,
公众号消息,关于开学,2025-03-03,5000,40.65%,,
"""

FREQUENT_READERS = """时间,常读用户数,常读用户比例
2025-03-04,5120,2.81%
"""

USER_GROWTH_PART1 = """时间,新关注人数,取消关注人数,净增关注人数,累积关注人数
2025-03-03,60,3,57,182344
2025-03-04,71,7,64,182408
2025-03-05,52,9,43,182451
"""

# Overlaps the first part on 03-04 and 03-05 (same figures) and adds 03-06 and 03-07.
USER_GROWTH_PART2 = """时间,新关注人数,取消关注人数,净增关注人数,累积关注人数
2025-03-04,71,7,64,182408
2025-03-05,52,9,43,182451
2025-03-06,20,38,-18,182433
2025-03-07,95,8,87,182520
"""

ARTICLE_DETAIL_NO_ID = """阅读次数,平均停留时长(s),完读率,分享次数,在看次数,点赞次数,评论(条)
19204,48.5,62.35%,1480,281,419,26
"""


def wechat():
    write("wechat", "content_trend_v1.csv", CONTENT_TREND_V1)
    # Excel "Unicode text": UTF-16LE with a BOM, tab-separated, CRLF.
    write("wechat", "content_trend_v1_utf16.txt", CONTENT_TREND_V1.replace(",", "\t"), "utf-16-le",
          b"\xff\xfe", crlf=True)
    write("wechat", "content_trend_v2_gb18030.csv", CONTENT_TREND_V2, "gb18030", crlf=True)
    write("wechat", "unknown_frequent_readers.csv", FREQUENT_READERS)
    write("wechat", "user_growth_part1.csv", USER_GROWTH_PART1)
    write("wechat", "user_growth_part2.csv", USER_GROWTH_PART2)
    write("wechat", "article_detail_no_id.csv", ARTICLE_DETAIL_NO_ID)
    article_detail()
    article_detail_link()
    user_growth_second_sheet()


def user_growth_second_sheet():
    """A workbook whose first sheet is a note: the data is on the second."""
    from openpyxl import Workbook
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表由运营人员整理，数据来自公众号后台。"])
    growth = wb.create_sheet("用户增长")
    growth.append(["时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数"])
    growth.append(["2025-03-03", 60, 3, 57, 182344])
    growth.append(["2025-03-04", 71, 7, 64, 182408])
    wb.save(out("wechat", "user_growth_second_sheet.xlsx"))


def article_detail():
    """单篇详情 of article 2247501234_1 (named by the file): four sheets."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "数据概况"
    ws.append(["关于2025年春季学期开学工作的通知"])
    ws.merge_cells("A1:J1")
    ws.append(["发表时间：2025-03-04 18:30:05"])
    ws.append(["阅读次数", "平均停留时长(s)", "完读率", "阅读后关注人数", "分享次数", "在看次数", "点赞次数",
               "赞赏(分)", "评论(条)", "互动率"])
    # 阅读次数 as text with a separator, 完读率 as a number formatted as a percentage,
    # 评论(条) a formula with its cached value.
    ws.append(["19,204", 48.5, 0.6235, 41, 1480, 281, 419, 0, "=20+6", "3.15%"])
    ws["C4"].number_format = "0.00%"
    conversion = wb.create_sheet("阅读转化")
    conversion.append(["阅读来源", "阅读次数", "占比"])
    conversion.append(["公众号消息", 7000, "36.45%"])
    trend = wb.create_sheet("数据趋势明细")
    trend.append(["日期", "传播渠道", "阅读人数", "阅读次数", "分享人数", "分享次数"])
    rows = [
        (datetime.date(2025, 3, 4), "全部", 9000, 11000, 500, 700),
        (datetime.date(2025, 3, 4), "公众号消息", 6000, 7000, 300, 400),
        (datetime.date(2025, 3, 5), "全部", 4000, 5000, 200, 300),
        (datetime.date(2025, 3, 6), "全部", 2500, 3204, 150, 470),
    ]
    for row in rows:
        trend.append(list(row))
    for cell in trend["A"][1:]:
        cell.number_format = "yyyy-mm-dd"
    gender = wb.create_sheet("性别分布")
    gender.append(["性别", "阅读人数"])
    gender.append(["男", 5000])
    path = out("wechat", "article_detail_2247501234_1.xlsx")
    wb.save(path)
    excelify(path, {"xl/worksheets/sheet1.xml": {"I4": "26"}})


def article_detail_link():
    """单篇详情 with the link above the header, renamed columns, `1.2万`, a `-`; one sheet."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "数据概况"
    ws.append(["文章链接：https://mp.weixin.qq.com/s?__biz=MzA==&mid=2247501240&idx=2&sn=0b"])
    ws.append([])
    ws.append(["阅读次数", "完读率", "分享次数", "在看数", "点赞数", "评论数"])
    ws.append(["1.2万", "55.10%", 640, "-", 100, 5])
    wb.save(out("wechat", "article_detail_link.xlsx"))


# --- Channels -----------------------------------------------------------------------------

CHANNELS_POSTS = """视频描述,视频ID,发布时间,完播率,平均播放时长,播放量,推荐,喜欢,评论量,分享量,关注量
"开学第一课｜校长寄语
#开学季 #教育",export/UzFfAgtgekIEAQAAAAAAxxxxxxxxxxxxxxxxxxxxx,2025/03/03,18.42%,13.77秒,12860,211,540,37,402,58
"实验室开放日回顾",export/UzFfAgtgekIEAQAAAAAAyyyyyyyyyyyyyyyyyyyyy,2025/03/06,9.05%,8.10秒,3041,35,122,6,58,11
"""

# A later download: the first post has grown, the second has not.
CHANNELS_POSTS_LATER = CHANNELS_POSTS.replace(",12860,211,540,", ",13544,230,561,")

# Re-saved by a Chinese Excel (GB18030, CRLF), a title above the header, headers of another
# version, `1.2万`, `1分02秒`, empty trailing cells, a bad rate, a row without id, a bad date.
# (The row of empty trailing cells was a short row, 7 cells of 11, until short rows were
# refused as untrustworthy: docs/imports.md, "Short rows".)
CHANNELS_POSTS_UGLY = """视频号助手 作品数据（2025-03-01 至 2025-03-08）
视频id,发表时间,视频描述,播放次数,完播率,平均播放时长,推荐,点赞,评论数,分享数,关注量
export/UzFfAgtgekIEAQAAAAAAzzzzzzzzzzzzzzzzzzzzz,2025/3/7,"家长会直播回放
第二行",1.2万,7.5%,1分02秒,-,300,12,40,9
export/UzFfAgtgekIEAQAAAAAAwwwwwwwwwwwwwwwwwwwww,2025-03-08,短视频,"2,048",abc,5秒,3,,,,
,2025/03/08,无ID视频,10,1%,1秒,1,1,1,1,1
export/UzFfAgtgekIEAQAAAAAAvvvvvvvvvvvvvvvvvvvvv,昨天,坏日期,10,1%,1秒,1,1,1,1,1
"""


def channels():
    write("channels", "posts.csv", CHANNELS_POSTS, bom=b"\xef\xbb\xbf")
    write("channels", "posts_later.csv", CHANNELS_POSTS_LATER, bom=b"\xef\xbb\xbf")
    write("channels", "posts_ugly_gb18030.csv", CHANNELS_POSTS_UGLY, "gb18030", crlf=True)
    # The mapped version of the same export (samples/mappings/channels_posts.toml).


# --- Douyin -------------------------------------------------------------------------------

DOUYIN_WORKS = """作品名称,发布时间,体裁,审核状态,播放量,完播率,5s完播率,封面点击率,2s跳出率,平均播放时长,点赞量,分享量,评论量,收藏量,主页访问量,粉丝增量
开学第一课｜校长寄语 #开学季,2025-03-03 11:00:00,1-3min视频,公开,96510,0.0512,0.402311,-,0.351204,14.6,2841,402,133,219,1877,365
实验室开放日回顾,2025-03-06 18:30:12,图文,公开,8804,-,-,-,-,-,312,21,9,40,203,17
"""

# Another version's headers, an id column, percentages, m:ss, a summary row, a bad date.
DOUYIN_WORKS_GB18030 = """作品标题,发布日期,播放次数,点赞数,评论数,分享数,收藏数,完播率,平均播放时间,作品ID
"家长课堂：如何陪孩子度过开学季",2025/3/5 20:00,"15,230",880,41,77,120,6.5%,0:48,7345000000000000001
校园美食节,2025-03-06 12:00:00,-,10,1,0,2,-,-,
合计,,"15,230",890,42,77,122,,,
坏日期作品,三月七日,100,1,1,1,1,1%,1,
"""


# Emoji in titles, the way Douyin titles have them: in the first line, and in the body only.
DOUYIN_WORKS_EMOJI = """作品名称,发布时间,播放量,点赞量
期末加油🎉💪 #高考,2025-03-03 11:00:00,96510,2841
"开学啦
#开学季 🎒",2025-03-03 11:00:00,5000,120
没有表情,2025-03-03 11:00:00,300,3
"""


def douyin():
    write("douyin", "works.csv", DOUYIN_WORKS)
    write("douyin", "works_gb18030.csv", DOUYIN_WORKS_GB18030, "gb18030", crlf=True)
    douyin_xlsx()
    douyin_sheets()
    douyin_emoji()


def douyin_emoji():
    """The original download (UTF-8 with a BOM) and the same file after Excel on a Chinese
    Windows saved it as "CSV (逗号分隔)": code page 936, CRLF, `2026/11/3 11:00`, and `?` for each
    character GBK cannot hold (session 12)."""
    write("douyin", "works_emoji.csv", DOUYIN_WORKS_EMOJI, bom=b"\xef\xbb\xbf")
    resaved = DOUYIN_WORKS_EMOJI.replace("2025-03-03 11:00:00", "2025/3/3 11:00").replace("\n", "\r\n")
    with open(out("douyin", "works_emoji_resaved_gbk.csv"), "wb") as f:
        f.write(resaved.encode("gbk", errors="replace"))


def douyin_sheets():
    """Workbooks with the export on several sheets, as operators collect them (session 12)."""
    from openpyxl import Workbook
    header = ["作品名称", "发布时间", "播放量", "完播率"]
    # A note, then October's and November's downloads: 开学典礼 is on both, with its total grown
    # by November; November's sheet has a bad cell on its row 3.
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表由运营组整理，每月一张。"])
    october = wb.create_sheet("10月")
    october.append(header)
    october.append(["开学典礼", "2026-09-01 09:00:00", 100, "50%"])
    october.append(["国庆献礼", "2026-10-01 08:00:00", 300, "40%"])
    november = wb.create_sheet("11月")
    november.append(header)
    november.append(["开学典礼", "2026-09-01 09:00:00", 150, "48%"])
    november.append(["运动会", "2026-11-03 11:00:00", "很多", "30%"])
    wb.save(out("douyin", "works_two_months.xlsx"))
    # A hidden template first (its example row must not be imported), the data after it.
    wb = Workbook()
    template = wb.active
    template.title = "模板"
    template.sheet_state = "hidden"
    template.append(header)
    template.append(["示例作品", "2026-01-01 09:00:00", 1, "1%"])
    data = wb.create_sheet("作品数据")
    data.append(header)
    data.append(["可见作品", "2026-11-04 11:00:00", 300, "20%"])
    wb.active = 1
    wb.save(out("douyin", "works_hidden_template.xlsx"))
    # The data only on a very hidden sheet, a note on the visible one.
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["数据见隐藏表"])
    data = wb.create_sheet("数据")
    data.sheet_state = "veryHidden"
    data.append(header)
    data.append(["隐藏作品", "2026-11-04 11:00:00", 300, "20%"])
    wb.save(out("douyin", "works_hidden_data.xlsx"))


def douyin_xlsx():
    """作品数据 as the creator centre's .xlsx, made ugly the way Excel leaves it."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "作品数据"
    ws.append(["作品数据（2025-03-01 至 2025-03-08）"])
    ws.merge_cells("A1:P1")
    ws.append(["作品名称", "发布时间", "体裁", "审核状态", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率",
               "平均播放时长", "点赞量", "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量"])
    # Title over two lines (CRLF), the time a date serial, a rate stored as text, a formula.
    ws.append(["开学第一课｜校长寄语\r\n#开学季 #教育", datetime.datetime(2025, 3, 3, 11, 0, 0), "1-3min视频", "公开",
               96510, 0.0512, "0.402311", "-", "=0.35+0.001204", 14.6, "2,841", 402, 133, 219, 1877, 365])
    ws["B3"].number_format = "yyyy-mm-dd hh:mm:ss"
    # The time as text, `-` cells.
    ws.append(["实验室开放日回顾", "2025-03-06 18:30:12", "图文", "公开", 8804, "-", "-", "-", "-", "-", 312, 21, 9,
               40, 203, 17])
    ws.append([])
    # A short row: only the first cells.
    ws.append(["春季运动会", datetime.datetime(2025, 3, 7, 9, 5, 0), "视频", "公开", 1200])
    ws["B6"].number_format = "yyyy/m/d h:mm"
    path = out("douyin", "works.xlsx")
    wb.save(path)
    excelify(path, {"xl/worksheets/sheet1.xml": {"I3": "0.351204"}})


# --- Platforms without code: mapped imports (samples/mappings) ----------------------------

TOUTIAO_WORKS = """标题,发布时间,展现量,阅读量,点击率,平均阅读时长,点赞量,评论量,分享量,收藏量,粉丝展现量,粉丝阅读量
关于做好2025年春季学期开学工作的通知,2025-03-03 11:00,254310,18230,7.2%,0:48,412,37,96,58,40211,6120
"""

KUAISHOU_WORKS = """作品描述,发布时间,播放量,点赞量,评论量,分享量,涨粉量,平均观看时长,完播率
期末考试安排说明 #教育,2025-03-04 17:00:00,3.5万,1020,88,45,30,12.5秒,23.4%
寒假安全提醒,2025-03-06 09:00:00,9860,-,12,3,-,8秒,-
"""

WEIBO_POSTS = """微博ID,发布时间,微博内容,阅读数,转发数,评论数,点赞数
5139990000000001,2025-03-04 10:00,【开学通知】关于2025年春季开学安排,12万,1520,880,10万+
5139990000000002,2025-03-05 15:30,"校园开放日
欢迎报名",8.6万,210,95,1.2万
"""

BILIBILI_VIDEOS = """BV号,标题,发布时间,播放,弹幕,评论,收藏,投币,分享,点赞
BV1xx411c7mD,开学第一课,2025-03-03 19:00:00,"12,034",210,88,340,120,56,1200
BV1yy411c7mE,实验室开放日,2025-03-06 10:00:00,--,3,4,5,6,7,8
"""

ACCOUNT_DAILY = """账号,日期,粉丝数,关注数,视频数
208259,2025-03-03,86231,12,340
208259,2025-03-04,86310,12,341
546195,2025-03-04,1200,3,20
"""


def mapped():
    write("toutiao", "works_UNVERIFIED.csv", TOUTIAO_WORKS)
    write("kuaishou", "works_EXAMPLE.csv", KUAISHOU_WORKS)
    write("weibo", "posts_EXAMPLE.csv", WEIBO_POSTS)
    write("bilibili", "videos_EXAMPLE.csv", BILIBILI_VIDEOS)
    write("bilibili", "account_daily_EXAMPLE.csv", ACCOUNT_DAILY)


# --- The self-report sheet ----------------------------------------------------------------

REGISTRY = """unit,category,city,students,platform,account,name,main
济南市教育局,city_bureau,济南,,wechat,gh_0123456789ab,济南教育发布,yes
济南市教育局,city_bureau,济南,,douyin,dy_jinan,济南教育,yes
某中学,middle_school,济南,1200,channels,sph_school,某中学视频号,yes
某中学,middle_school,济南,1200,weibo,5999000001,某中学微博,yes
"""

SELF_REPORT_ROWS = [
    ["济南市教育局", "wechat", "gh_0123456789ab", "济南教育发布", "2025-03-08", "182,900", "812", "3120", ""],
    ["济南市教育局", "抖音", "dy_jinan", "济南教育", "2025-03-08", "1.2万", "95", "", "已核对"],
    ["某中学", "channels", "sph_school", "某中学视频号", "2025-03-08", "很多", "40", "800", ""],
    ["某中学", "weibo", "5999000001", "某中学微博", "2025-03-09", "5000", "10", "20", ""],
    ["某中学", "weibo", "5999000002", "不存在的账号", "2025-03-08", "100", "1", "1", ""],
    ["某中学", "kuaishou2", "ks1", "", "2025-03-08", "1", "1", "1", ""],
    ["济南市教育局", "wechat", "gh_0123456789ab", "济南教育发布", "2025-03-07", "140,000", "800", "", "补报"],
    ["某中学", "channels", "sph_school", "某中学视频号", "2025/3/6", "", "", "", ""],
]


def self_report():
    write("any", "accounts.csv", REGISTRY)
    lines = ["unit,platform,account,name,date,followers,posts,views,notes"]
    for row in SELF_REPORT_ROWS:
        lines.append(",".join('"%s"' % c if "," in c else c for c in row))
    # As Excel saves "CSV UTF-8": a BOM and CRLF.
    write("any", "self_report_filled.csv", "\n".join(lines) + "\n", bom=b"\xef\xbb\xbf", crlf=True)
    # The workbook a unit returns: numbers typed as numbers, days typed as dates.
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "self_report"
    ws.append(lines[0].split(","))
    for row in SELF_REPORT_ROWS:
        cells = list(row)
        for index in (5, 6, 7):
            if re.fullmatch(r"[0-9,]+", cells[index]):
                cells[index] = int(cells[index].replace(",", ""))
        match = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", cells[4])
        cells[4] = datetime.date(*map(int, match.groups()))
        ws.append([c if c != "" else None for c in cells])
    for cell in ws["E"][1:]:
        cell.number_format = "yyyy-mm-dd"
    wb.save(out("any", "self_report_filled.xlsx"))


# --- Helpers ------------------------------------------------------------------------------

def excelify(path, cached):
    """Gives formula cells the cached values Excel stores (openpyxl writes none), and makes
    the bytes the same on every run."""
    src = zipfile.ZipFile(path)
    parts = {name: src.read(name) for name in src.namelist()}
    src.close()
    for part, cells in cached.items():
        sheet = parts[part].decode("utf-8")
        for ref, value in cells.items():
            sheet, n = re.subn(r'(<c r="%s"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?' % ref,
                               lambda m: m.group(1) + m.group(2) + "<v>%s</v>" % value, sheet)
            assert n == 1, ref
        parts[part] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 8, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


def fix_dates(path):
    """openpyxl stamps docProps/core.xml with the current time; pin it."""
    src = zipfile.ZipFile(path)
    parts = {name: src.read(name) for name in src.namelist()}
    src.close()
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-03-08T00:00:00Z",
                                            parts["docProps/core.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 8, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


if __name__ == "__main__":
    wechat()
    channels()
    douyin()
    mapped()
    self_report()
    for platform in ("wechat", "douyin", "any"):
        folder = os.path.join(ROOT, platform, "exports")
        for name in os.listdir(folder):
            if name.endswith(".xlsx"):
                fix_dates(os.path.join(folder, name))
