import Adapters
import Collector
import CollectorTesting
import Testing

/// The row checks every import makes, whatever reads the rows (a built-in kind or a mapping):
/// no day after the day of the import, no id Excel rounded, totals rows passed over, and with a
/// registry no account it does not list (docs/imports.md, "Rules for every file").
struct ImportRowChecksTests {
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory(prefix: "row-checks")
    }

    /// 2026-11-27, the day of the operator's review.
    private static let today = CivilDate(year: 2026, month: 11, day: 27)!

    private static func entry(_ platform: Platform, _ account: String, line: Int) -> RegistryEntry {
        RegistryEntry(
            unit: "某县教育局",
            category: "county_bureau",
            city: "临沂",
            students: nil,
            platform: platform,
            account: account,
            name: account,
            main: true,
            line: line
        )
    }

    private static let registry = AccountRegistry(entries: [
        entry(.weibo, "5999000001", line: 2), entry(.kuaishou, "ks_a1", line: 3), entry(.bilibili, "208259", line: 4),
    ])

    /// Imports `text`, written as `name`, and returns the samples as SPEC §3 lines and the
    /// failures as `label|message` with the file's path as FILE.
    private func importText(
        _ text: String,
        name: String = "export.csv",
        platform: Platform,
        account: String? = nil,
        mapping: String? = nil,
        registry: AccountRegistry? = nil,
        calendar: PlatformCalendar = ImportFixtures.calendar
    ) throws -> (samples: [String], failures: [String]) {
        let path = try temporary.write(text, to: name)
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        _ = try ImportService.importFile(
            path: path,
            platform: platform,
            options: ImportOptions(
                account: account,
                mapping: try mapping.map {
                    try ColumnMapping.load(path: ImportFixtures.mapping($0), platform: platform)
                },
                registry: registry,
                today: Self.today
            ),
            calendar: calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        return (
            sink.samples.map { ImportFixtures.line($0, calendar: calendar) },
            batch.failures.map { "\($0.label)|" + $0.message.replacing(path, with: "FILE") }
        )
    }

    // MARK: - Days to come

    @Test func refusesAUserGrowthDayAfterTheDayOfTheImportAndKeepsTheOthers() throws {
        let result = try importText(
            "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数\n2026-11-26,5,1,4,184600\n"
                + "2027-01-05,1,1,0,999999\n2026/11/27,6,1,5,184605\n",
            name: "未来日期.csv",
            platform: .wechat,
            account: "gh_a"
        )
        #expect(result.samples.filter { $0.contains(",followers,") }.count == 2)
        #expect(!result.samples.contains { $0.contains("999999") })
        #expect(
            result.failures == [
                "futureDate|FILE:3: column 时间: the date 2027-01-05 is after the day of the import (2026-11-27); an "
                    + "export holds no days to come: correct the date (a wrong year?) or download the export again; if "
                    + "this computer's clock is behind, set it right and import the file again (a file with such rows is "
                    + "not recorded as imported); the row was skipped"
            ]
        )
    }

    @Test func refusesAFutureDayInAMappedSheetAndAFuturePublishingDay() throws {
        let daily = try importText(
            "账号,日期,粉丝数\n5999000001,2026/11/26,22000\n5999000001,2027/11/5,22100\n",
            platform: .weibo,
            mapping: "account_daily_EXAMPLE.toml"
        )
        #expect(daily.samples == ["2026-11-26T00:00:00+08:00,weibo,5999000001,,followers,22000,exact,import"])
        #expect(
            daily.failures == [
                "futureDate|FILE:3: column 日期: the date \"2027/11/5\" (2027-11-05) is after the day of the import "
                    + "(2026-11-27); an export holds no days to come: correct the date (a wrong year?) or download the "
                    + "export again; if this computer's clock is behind, set it right and import the file again (a file "
                    + "with such rows is not recorded as imported); the row was skipped"
            ]
        )
        let articles = try importText(
            "内容标题,发表时间,总阅读人数,内容url\n甲,2026-11-20,100,https://mp.weixin.qq.com/s?mid=2247500001&idx=1\n"
                + "乙,2026-12-20,5,https://mp.weixin.qq.com/s?mid=2247500002&idx=1\n",
            platform: .wechat,
            account: "gh_a"
        )
        #expect(articles.samples.map { $0.split(separator: ",")[3] } == ["2247500001_1"])
        #expect(articles.failures.map { $0.prefix(while: { $0 != ":" }) } == ["futureDate|FILE"])
        #expect(articles.failures.first?.contains("the date 2026-12-20 is after") == true)
    }

    @Test func allowsBeijingsNextDayWhenTheTimezoneLiesWestOfBeijing() throws {
        let utc = try #require(PlatformCalendar(identifier: "UTC"))
        func latest(_ calendar: PlatformCalendar) -> CivilDate {
            ImportContext(file: "f", platform: .wechat, calendar: calendar, today: Self.today).latestDay
        }
        #expect(latest(ImportFixtures.calendar) == Self.today)
        #expect(latest(utc) == CivilDate(year: 2026, month: 11, day: 28)!)
        let result = try importText(
            "时间,累积关注人数\n2026-11-28,184600\n2026-11-29,184700\n",
            platform: .wechat,
            account: "gh_a",
            calendar: utc
        )
        #expect(result.samples == ["2026-11-28T00:00:00+00:00,wechat,gh_a,,followers,184600,exact,import"])
        #expect(result.failures.first?.contains("after 2026-11-28, the day after the import (2026-11-27)") == true)
    }

    // MARK: - Dates without a year

    /// A publishing date shown without its year (`11-05`, a back office's short display or a
    /// cell retyped by hand) is refused, never guessed, and the message says the year is
    /// missing and what to do, in a built-in kind, a mapped sheet and a WeChat article export:
    /// for a publishing time, the date *and time* the back office lists (a date alone would
    /// make the time 00:00, and a Douyin work's id is made from the minute).
    @Test func namesAPublishingDateWithoutItsYearAndSaysWhatToDo() throws {
        func advice(_ example: String) -> String {
            "has no year; download the export again, or write the whole date and time the post was published, as the "
                + "back office lists it (such as \(example) if it was published in 2026; in Excel or WPS, give the cell "
                + "a date format that shows it: 设置单元格格式 → 日期), and import the file again; the row was skipped"
        }
        let douyin = try importText(
            "作品名称,发布时间,播放量\n秋游,11-05,888\n运动会,2026-11-06 10:00,999\n讲座,11-07 14:47,777\n",
            platform: .douyin,
            account: "dy1"
        )
        #expect(douyin.samples.count == 1)
        #expect(
            douyin.failures == [
                "badCell|FILE:2: column 发布时间: \"11-05\" " + advice("2026-11-05 hh:mm"),
                "badCell|FILE:4: column 发布时间: \"11-07 14:47\" " + advice("2026-11-07 14:47"),
            ]
        )
        let toutiao = try importText(
            "标题,发布时间,阅读量\n寒假通知,11月5日,18230\n",
            platform: .toutiao,
            account: "tt1",
            mapping: "toutiao_works_UNVERIFIED.toml"
        )
        #expect(toutiao.failures == ["badCell|FILE:2: column 发布时间: \"11月5日\" " + advice("2026-11-05 hh:mm")])
        let articles = try importText(
            "内容标题,发表时间,总阅读人数,内容url\n甲,11/5,100,https://mp.weixin.qq.com/s?mid=2247500001&idx=1\n",
            platform: .wechat,
            account: "gh_a"
        )
        #expect(articles.failures == ["badCell|FILE:2: column 发表时间: \"11/5\" " + advice("2026-11-05 hh:mm")])
        // A month without its day: refused too, never stamped on the 1st.
        let month = try importText("时间,累积关注人数\n2026-10,184600\n2026年11月,184700\n", platform: .wechat, account: "gh_a")
        #expect(month.samples.isEmpty)
        #expect(
            month.failures == [
                "badCell|FILE:2: column 时间: \"2026-10\" is a month without its day; download the export again, or "
                    + "write the day the figure was counted (such as 2026-10-31; in Excel or WPS, give the cell a date "
                    + "format that shows it: 设置单元格格式 → 日期), and import the file again; the row was skipped",
                "badCell|FILE:3: column 时间: \"2026年11月\" is a month without its day; download the export again, or "
                    + "write the day the figure was counted (such as 2026-11-27; in Excel or WPS, give the cell a date "
                    + "format that shows it: 设置单元格格式 → 日期), and import the file again; the row was skipped",
            ]
        )
        // A publishing time without its day: no day to pick, as for a day counted, but the one
        // the back office lists (the month's last day would be a wrong publishing day, and a
        // new Douyin id).
        let published = try importText(
            "作品名称,发布时间,播放量\n秋游,2026-10,888\n",
            platform: .douyin,
            account: "dy1"
        )
        #expect(
            published.failures == [
                "badCell|FILE:2: column 发布时间: \"2026-10\" is a month without its day; download the export again, "
                    + "or write the date and time the post was published, as the back office lists it (in the form "
                    + "2026-10-dd hh:mm; in Excel or WPS, give the cell a date format that shows it: 设置单元格格式 → "
                    + "日期), and import the file again; the row was skipped"
            ]
        )
        // Not a date at all: the usual message.
        let other = try importText("作品名称,发布时间,播放量\n秋游,下周一,888\n", platform: .douyin, account: "dy1")
        #expect(other.failures.first?.contains("which is not a date such as 2025-03-04") == true)
    }

    // MARK: - Ids Excel rounded

    @Test func recognisesExcelsScientificNotationOnly() {
        for rounded in ["5.13999E+15", "3.493E+15", "1E+20", "5.1e+15"] { #expect(ExcelRoundedID.matches(rounded)) }
        for id in ["5139990000000001", "5e12", "BV1xx411c7mD", "E+15", "5.E+15", "3.4.9E+15", "5.1E+", "5.1E-05", ""] {
            #expect(!ExcelRoundedID.matches(id), "\(id)")
        }
    }

    @Test func refusesRoundedObjectAndAccountIds() throws {
        let posts = try importText(
            "微博ID,发布时间,微博内容,阅读数\n5.13999E+15,2026-11-04 10:00,家长会,12000\n"
                + "5.13999E+15,2026-11-05 09:00,运动会,8000\n5139990000000003,2026-11-06 09:00,开放日,100\n",
            name: "微博.csv",
            platform: .weibo,
            account: "5999000001",
            mapping: "weibo_posts_EXAMPLE.toml"
        )
        #expect(posts.samples.map { $0.split(separator: ",")[3] } == ["5139990000000003"])
        #expect(posts.failures.count == 2)
        #expect(
            posts.failures.first
                == "roundedID|FILE:2: column 微博ID: \"5.13999E+15\" is an id Excel rounded into scientific notation (it "
                + "keeps 15 digits), which can no longer tell contents or accounts apart; import the original download, "
                + "not a copy saved by Excel (to edit it in Excel, open it with Data > From Text/CSV (数据 → 从文本/CSV) "
                + "and set the column to Text; docs/file-format.md, \"Excel\"); the row was skipped"
        )
        let daily = try importText(
            "账号,日期,粉丝数\n3.493E+15,2026-11-03,12000\n",
            platform: .bilibili,
            mapping: "account_daily_EXAMPLE.toml"
        )
        #expect(daily.samples.isEmpty)
        #expect(daily.failures.map { $0.prefix(while: { $0 != "|" }) } == ["roundedID"])
        let channels = try importText(
            "视频描述,视频ID,发布时间,播放量\n甲,1.23457E+18,2025/03/03,100\n",
            platform: .channels,
            account: "sph_a"
        )
        #expect(channels.samples.isEmpty)
        #expect(channels.failures.first?.hasPrefix("roundedID|FILE:2: column 视频ID: \"1.23457E+18\" is an id") == true)
        // On the self-report sheet, said as such rather than as an account not in the registry,
        // with what a unit that filled the sheet in can do: there is no original download.
        let sheet = try importText(
            "平台,账号,日期,粉丝数\nweibo,5.999E+09,2026-11-01,5\n",
            platform: SelfReportImporter.platform,
            registry: Self.registry
        )
        #expect(
            sheet.failures == [
                "roundedID|FILE:2: column 账号: \"5.999E+09\" is an id Excel rounded into scientific notation (it keeps "
                    + "15 digits), which can no longer tell contents or accounts apart; type the account id again as "
                    + "text (the registry has it): fill in the .xlsx template, whose account column is text, or in the "
                    + "CSV type the id with a leading apostrophe ('3493000000000001) or set the column to Text first "
                    + "(Format Cells > Text, 设置单元格格式 → 文本); docs/imports.md, \"The self-report sheet\"; the row "
                    + "was skipped"
            ]
        )
    }

    // MARK: - Values a metric cannot hold

    /// A rate above 100 % or below 0 is a bad cell of the file, reported with its line and
    /// column, not a sample the batch refuses with advice meant for an adapter's maintainer.
    @Test func refusesARateAboveOneHundredPercentAsABadCell() throws {
        let result = try importText(
            "作品名称,发布时间,播放量,完播率,2s跳出率\n视频A,2026-11-03 11:00:00,100,-5%,123%\n",
            name: "works.csv",
            platform: .douyin,
            account: "dyA"
        )
        #expect(result.samples == ["2026-11-03T00:00:00+08:00,douyin,dyA,202611031100_1b3024ab,views,100,exact,import"])
        #expect(
            result.failures == [
                "badCell|FILE:2: column 完播率: \"-5%\" is negative, but completion_rate is a share from 0 to 100 %: "
                    + "correct the cell; the cell was skipped",
                "badCell|FILE:2: column 2s跳出率: \"123%\" is more than 100 %, but douyin_bounce_rate_2s is a share "
                    + "from 0 to 100 % (a typo, or another column's figure?): correct the cell; the cell was skipped",
            ]
        )
    }

    /// The same through a mapping (Toutiao's 点击率), and in WeChat's 已通知内容, read by its own
    /// loop.
    @Test func refusesARateAboveOneHundredPercentInAMappedAndAWeChatExport() throws {
        let mapped = try importText(
            "标题,发布时间,阅读量,点击率\n通知,2026-11-03 11:00,100,250%\n",
            platform: .toutiao,
            account: "tt",
            mapping: "toutiao_works_UNVERIFIED.toml"
        )
        #expect(mapped.samples.count == 1)
        #expect(mapped.failures.map { $0.prefix(while: { $0 != ":" }) } == ["badCell|FILE"])
        #expect(mapped.failures.first?.contains("column 点击率: \"250%\" is more than 100 %") == true)
        let articles = try importText(
            "内容标题,内容url,发表时间,总阅读人数,阅读完成率\n开学,https://mp.weixin.qq.com/s?__biz=MzA&mid=2247501234&idx=1,"
                + "2026-11-03,100,101%\n",
            name: "已通知内容.csv",
            platform: .wechat,
            account: "gh_a"
        )
        #expect(articles.failures.count == 1)
        #expect(articles.failures.first?.contains("FILE:2: column 阅读完成率: \"101%\" is more than 100 %") == true)
        #expect(!articles.failures.contains { $0.contains("maintainer") })
    }

    // MARK: - Totals rows

    @Test func passesOverTheTotalsRowOfNotifiedArticlesAndChannelsPosts() throws {
        let articles = try importText(
            "内容标题,发表日期,阅读人数,分享人数,阅读后关注人数,送达人数,阅读完成率,内容url\n"
                + "通知一,2026/11/4,\"15,320\",\"1,203\",41,\"181,002\",62.35%,"
                + "https://mp.weixin.qq.com/s?__biz=MzA=&mid=2247509999&idx=1&sn=a\n"
                + "合计,,\"15,320\",\"1,203\",41,\"181,002\",,\n",
            platform: .wechat,
            account: "gh_totaltest"
        )
        #expect(articles.failures.isEmpty, "\(articles.failures)")
        #expect(articles.samples.count == 5)
        let posts = try importText(
            "视频描述,视频ID,发布时间,播放量,喜欢\n开学第一课,export/UzFfAgtgekIEAQAAAAAAxxxx,2025/03/03,12860,540\n"
                + "合计,,,12860,540\n",
            platform: .channels,
            account: "sph_total"
        )
        #expect(posts.failures.isEmpty, "\(posts.failures)")
        #expect(posts.samples.count == 2)
        // A row without its link that is no totals row is still reported.
        let missing = try importText(
            "内容标题,发表日期,阅读人数,内容url\n通知二,2026/11/4,5,\n",
            platform: .wechat,
            account: "gh_totaltest"
        )
        #expect(missing.failures.map { $0.prefix(while: { $0 != "|" }) } == ["badCell"])
    }

    // MARK: - Accounts of a mapped sheet

    @Test func refusesMappedRowsOfAccountsTheRegistryDoesNotList() throws {
        let result = try importText(
            "账号,日期,粉丝数\nks_a1,2026-11-01,500\n5999000001,2026-11-01,123400\nks_b9,2026-11-01,7\n",
            name: "weibo_copy.csv",
            platform: .kuaishou,
            mapping: "account_daily_EXAMPLE.toml",
            registry: Self.registry
        )
        #expect(result.samples == ["2026-11-01T00:00:00+08:00,kuaishou,ks_a1,,followers,500,exact,import"])
        #expect(
            result.failures == [
                "unknownAccount|FILE:3: kuaishou account \"5999000001\" is not in the account registry; the registry "
                    + "lists it as a weibo account (a sheet of another platform?); check the account cell and the "
                    + "file's folder, or add the account to the registry; the row was skipped",
                "unknownAccount|FILE:4: kuaishou account \"ks_b9\" is not in the account registry; did you mean "
                    + "\"ks_a1\" of 某县教育局? Check the account cell and the file's folder, or add the account to the "
                    + "registry; the row was skipped",
            ]
        )
        // Without a registry, the sheet's accounts are taken as they are.
        let unchecked = try importText(
            "账号,日期,粉丝数\n5999000001,2026-11-01,123400\n",
            name: "weibo_copy2.csv",
            platform: .kuaishou,
            mapping: "account_daily_EXAMPLE.toml"
        )
        #expect(unchecked.failures.isEmpty)
        #expect(unchecked.samples.count == 1)
    }
}
