import Collector
import Foundation
import Reports
import Testing

/// A report reads the period and a month before it in full and the history before that reduced
/// to what the engine reads of it (docs/reports.md §8): over two years of history with facts
/// found only in the first, every output is the same as from the whole history, and the
/// samples it holds follow the period, not the store.
struct ReportSamplesTests {
    private static let calendar = PlatformCalendar.beijing
    private static let period = ReportPeriod(year: 2025, month: 11)!  // a valid month
    private static let today = CivilDate(year: 2025, month: 12, day: 20)!  // a valid date
    private static let header = "time,platform,account,object,metric,value,quality,source\n"

    private static let entries = [
        TestData.entry("甲市教育局", "city_bureau", .wechat, "gh_a"),
        TestData.entry("甲市教育局", "city_bureau", .weibo, "5502", main: false),
        TestData.entry("乙市教育局", "city_bureau", .weibo, "5501"),
        TestData.entry("丙大学", "undergraduate", .douyin, "dy_c"),
        TestData.entry("丁职院", "vocational", .bilibili, "b_d"),
    ]

    /// The rows of one platform, by month folder and instance file.
    private struct Store {
        var files: [String: String] = [:]
        var catalogues: [String: String] = [:]

        mutating func add(
            _ platform: String,
            _ account: String,
            object: String = "",
            _ metric: String,
            _ value: Int64,
            on day: CivilDate,
            hour: Int = 0,
            quality: String = "exact",
            instance: String = "main"
        ) {
            let time = ReportSamplesTests.calendar.timestamp(date: day, hour: hour)
            let path = "data/\(platform)/\(day.monthText)/\(instance).csv"
            let line =
                "\(ReportSamplesTests.calendar.render(time)),\(platform),\(account),\(object),\(metric),\(value),"
                + "\(quality),import\n"
            files[path, default: ReportSamplesTests.header] += line
        }

        mutating func catalogue(_ platform: String, _ object: String, _ account: String, published: CivilDate?) {
            let date = published.map { ReportSamplesTests.calendar.render(ReportSamplesTests.calendar.startOfDay($0)) }
            catalogues["data/\(platform)/objects.csv", default: "object,account,published_at,title,url\n"] +=
                "\(object),\(account),\(date ?? ""),\(object),\n"
        }

        func write(to root: String) throws {
            for (path, text) in files.merging(catalogues, uniquingKeysWith: { $1 }) {
                let file = root + "/" + path
                try FileManager.default.createDirectory(
                    atPath: (file as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true
                )
                try text.write(toFile: file, atomically: false, encoding: .utf8)
            }
        }
    }

    private static func day(_ text: String) -> CivilDate { CivilDate(parsing: text)! }  // test literals

    /// 2024-01-01 to 2025-12-19. Early-only facts: 乙's only followers row (2024-03-01), 丙's pace
    /// base (2024-02-01, an approx and an exact row at one time in two files), an undated weibo
    /// post first seen in 2024 and read again in the period, 丙's only object (2024), 丁's
    /// period post with a stray row in 2024, 甲's flows (2024 only).
    private static func store() -> Store {
        var store = Store()
        var day = Self.day("2024-01-01")
        var index: Int64 = 0
        while day <= Self.day("2025-12-19") {
            store.add("wechat", "gh_a", "followers", 700_000 + index * 150, on: day)
            store.add("wechat", "gh_a", "views", 1000 + index % 97, on: day)
            if day.year == 2024 {
                store.add("wechat", "gh_a", "followers_new", 200, on: day)
                store.add("wechat", "gh_a", "followers_lost", 40, on: day)
            }
            store.add("weibo", "5502", "followers", 9000 + index, on: day)
            if index % 10 == 0 {
                // A dated WeChat post every ten days, read for eight days.
                let object = "a\(index)_1"
                store.catalogue("wechat", object, "gh_a", published: day)
                var read = day
                for age in Int64(0)..<8 where read <= Self.day("2025-12-19") {
                    for (metric, value) in [
                        ("views", 3000 * (age + 1) + index), ("likes", 30 * age), ("comments", age),
                        ("shares", 2 * age), ("recommends", age),
                    ] {
                        store.add("wechat", "gh_a", object: object, metric, value, on: read, hour: 12)
                    }
                    read = read.adding(days: 1)
                }
            }
            day = day.adding(days: 1)
            index += 1
        }
        store.add("weibo", "5501", "followers", 150_000, on: Self.day("2024-03-01"))
        for (object, days) in [
            ("w_old", ["2024-06-01", "2025-11-10"]), ("w_mid", ["2025-10-15", "2025-11-11"]),
            ("w_new", ["2025-11-12", "2025-11-20"]),
        ] {
            for text in days {
                for metric in ["likes", "comments", "shares"] {
                    store.add("weibo", "5501", object: object, metric, 10, on: Self.day(text), hour: 9)
                }
            }
        }
        store.add("douyin", "dy_c", "followers", 40_000, on: Self.day("2024-02-01"), quality: "approx")
        store.add(
            "douyin",
            "dy_c",
            "followers",
            41_000,
            on: Self.day("2024-02-01"),
            quality: "exact",
            instance: "shard2"
        )
        store.add("douyin", "dy_c", "followers", 52_000, on: Self.day("2025-11-20"))
        store.add("douyin", "dy_c", object: "dy_old", "views", 500, on: Self.day("2024-04-04"))
        store.add("douyin", "dy_c", "posts_new", 3, on: Self.day("2025-11-05"))
        store.add("bilibili", "b_d", "followers", 20_000, on: Self.day("2024-05-05"))
        store.add("bilibili", "b_d", "followers", 23_000, on: Self.day("2025-10-25"))
        store.add("bilibili", "b_d", "followers", 24_000, on: Self.day("2025-11-25"))
        // Flows inside the pace's 30 days but before the period: the look-back reads them all.
        store.add("bilibili", "b_d", "followers_new", 300, on: Self.day("2025-10-27"))
        store.add("bilibili", "b_d", "followers_new", 600, on: Self.day("2025-10-29"))
        store.catalogue("bilibili", "BV_p", "b_d", published: Self.day("2025-11-28"))
        store.catalogue("bilibili", "BV_q", "b_d", published: Self.day("2024-01-10"))
        store.add("bilibili", "b_d", object: "BV_p", "views", 1, on: Self.day("2024-07-07"))
        store.add("bilibili", "b_d", object: "BV_q", "views", 9, on: Self.day("2024-01-12"))
        for (text, views) in [("2025-11-28", 100), ("2025-12-03", 5000), ("2025-12-12", 120_000)] {
            for metric in ["views", "likes", "comments", "shares"] {
                store.add("bilibili", "b_d", object: "BV_p", metric, Int64(views), on: Self.day(text), hour: 8)
            }
        }
        return store
    }

    private static func report(_ samples: [Sample], _ objects: [ContentObject], rules: RuleSet) -> Report {
        ReportBuilder.build(
            ReportInput(
                registry: AccountRegistry(entries: entries),
                samples: samples,
                objects: objects,
                period: period,
                calendar: calendar,
                now: calendar.timestamp(date: today, hour: 10)
            ),
            rules: rules
        )
    }

    @Test func aReportFromThePeriodAndTheReducedHistoryIsTheReportOfTheWholeHistory() throws {
        let root = NSTemporaryDirectory() + "report-samples-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.store().write(to: root)
        var settings = CollectorSettings()
        settings.dataDirectory = root + "/data"
        let rules = try TestData.shandong()
        let registry = AccountRegistry(entries: Self.entries)
        let objects = try Exporter.objects(settings: settings, platforms: [])

        let all = try ReportSamples.loadAll(
            settings: settings,
            objects: objects,
            period: Self.period,
            today: Self.today
        )
        let whole = Self.report(all, objects, rules: rules)
        for charts in [false, true] {
            let samples = try ReportSamples.load(
                settings: settings,
                registry: registry,
                objects: objects,
                period: Self.period,
                today: Self.today,
                followerHistory: charts
            )
            let reduced = Self.report(samples, objects, rules: rules)
            let formats: [ReportFormat] = charts ? [.html] : [.markdown, .csv]
            for format in formats {
                for language in [ReportLanguage.zh, .en] {
                    #expect(
                        reduced.render(format, language: language) == whole.render(format, language: language),
                        "\(format) \(language)"
                    )
                }
            }
            if !charts { #expect(reduced.csvFiles().map(\.text) == whole.csvFiles().map(\.text)) }

            // Memory follows the period: before the look-back only a row per series and object
            // (and, for the charts, the main accounts' followers rows).
            let windowStart = Self.calendar.startOfDay(Self.period.from.adding(days: -ReportSamples.lookBackDays))
            let early = samples.filter { $0.time < windowStart }
            let chartRows = all.filter { $0.time < windowStart && $0.metric == .followers && $0.account != "5502" }
            #expect(early.count <= 12 + (charts ? chartRows.count : 0), "\(early.count) rows before the look-back")
            if !charts { #expect(samples.count * 4 < all.count, "\(samples.count) of \(all.count) rows") }
        }

        // The early-only facts are in the report.
        let stale = try #require(whole.attainment.first { $0.account?.account == "5501" })
        #expect(stale.reason == .staleFollowers(Self.day("2024-03-01")))
        let paced = try #require(whole.attainment.first { $0.account?.account == "dy_c" })
        #expect(paced.paceQuality == .exact && paced.net30 != nil)
        let weibo = try #require(whole.activity.first { $0.account.account == "5501" })
        #expect(weibo.posts == 1 && weibo.postsBasis == .firstSeen)
        let douyin = try #require(whole.activity.first { $0.account.account == "dy_c" })
        // An object seen once in 2024: the account's posts are counted by objects, not posts_new.
        #expect(douyin.posts == 0 && douyin.postsBasis != .postsNew)
        let bilibili = try #require(whole.influence.first { $0.account.account == "b_d" })
        #expect(bilibili.followerChange == 1000 && bilibili.posts == 1)
        let flows = try #require(whole.attainment.first { $0.account?.account == "b_d" })
        #expect(flows.net30 == 900.0 / 2 * 30)  // per day with a flow row, times 30
    }
}
