import Collector
import Reports
import Testing

/// Missing data is never claimed as dormancy (docs/reports.md §3): an account with nothing in
/// the period has no content data (no posts, no gap, no EII, its unit not ranked), and one whose
/// collection stops before the report day has its gap counted only up to its last row, given as
/// `data_until`.
struct CollectionSpanTests {
    static let rules = RuleSet(
        source: "test",
        rules: [Rule(id: "T", category: "bureau", kind: .target, comparison: .atLeast, threshold: 1000)]
    )

    static func post(_ account: String, _ object: String, _ date: String) -> ContentObject {
        ContentObject(platform: .wechat, object: object, account: account, publishedAt: TestData.day(date, hour: 9))
    }

    /// A read of a post, stamped at noon of `date`.
    static func views(_ account: String, _ object: String, _ date: String, _ value: Int64) -> Sample {
        Sample(
            time: TestData.day(date, hour: 12),
            platform: .wechat,
            account: account,
            object: object,
            metric: .views,
            value: .integer(value),
            quality: .exact,
            source: .api
        )
    }

    /// Daily followers rows from `from` to `to`.
    static func followers(_ account: String, from: String, to: String) -> [Sample] {
        var samples: [Sample] = []
        // Test literals are valid dates.
        var day = CivilDate(parsing: from)!
        let last = CivilDate(parsing: to)!
        while day <= last {
            samples.append(TestData.followers(account, 1500, on: day.description))
            day = day.adding(days: 1)
        }
        return samples
    }

    @Test func anAccountWithNoDataInThePeriodHasNoContentDataRatherThanADormantSpell() throws {
        let report = TestData.report(
            [
                TestData.entry("济南市教育局", "bureau", .wechat, "gh_jn"),
                TestData.entry("青岛市教育局", "bureau", .wechat, "gh_qd"),
            ],
            // 济南: collected until 2023-10-25 (a post on 10-10), nothing in November.
            Self.followers("gh_jn", from: "2023-10-01", to: "2023-10-25")
                + [Self.views("gh_jn", "jn-1", "2023-10-11", 500)]
                // 青岛: collected all November, one post.
                + Self.followers("gh_qd", from: "2023-11-01", to: "2023-11-30")
                + [Self.views("gh_qd", "qd-1", "2023-11-16", 800)],
            objects: [Self.post("gh_jn", "jn-1", "2023-10-10"), Self.post("gh_qd", "qd-1", "2023-11-15")],
            rules: Self.rules
        )
        let activity = try #require(report.activity.first { $0.account.account == "gh_jn" })
        #expect(activity.posts == nil)
        #expect(activity.postsBasis == .none)
        #expect(activity.longestGapDays == nil)
        #expect(activity.dormant14d == nil)
        let influence = try #require(report.influence.first { $0.account.account == "gh_jn" })
        #expect(influence.eii == nil)
        #expect(influence.unavailable == .noContentData)
        #expect(influence.followerChange == nil, "a row from before the period tells no change over it")
        let jinan = try #require(report.ranking.first { $0.unit.name == "济南市教育局" })
        #expect(jinan.composite == nil && jinan.rank == nil)
        #expect(report.ranking.first { $0.unit.name == "青岛市教育局" }?.rank == 1)
        #expect(report.dataGaps.map(\.account.account) == ["gh_jn"])
        #expect(report.dataGaps.first?.noContent == true)

        let csv = try #require(report.tables.first { $0.id == "activity" })
        let row = try #require(csv.rows.first { $0[3] == "gh_jn" })
        let cells = Dictionary(uniqueKeysWithValues: zip(csv.columns, row))
        #expect(cells["posts_basis"] == "none")
        #expect(cells["longest_gap_days"] == "" && cells["dormant_14d"] == "")
    }

    /// Collection that stops on the 10th, in a complete month and in a running one (the last
    /// files not imported yet): the gap runs from the last post to the 10th, not to the report
    /// day, and `data_until` says so. An account known from its posts alone keeps the whole
    /// period, as for `data_since`.
    @Test(arguments: ["2023-12-01", "2023-11-25"])
    func theGapOfAnAccountWhoseCollectionStopsEndsAtItsLastRow(now: String) throws {
        let report = TestData.report(
            [
                TestData.entry("济南市教育局", "bureau", .wechat, "gh_jn"),
                TestData.entry("青岛市教育局", "bureau", .wechat, "gh_qd"),
            ],
            Self.followers("gh_jn", from: "2023-11-01", to: "2023-11-10")
                + [Self.views("gh_jn", "jn-1", "2023-11-03", 500), Self.views("gh_qd", "qd-1", "2023-11-03", 800)],
            objects: [Self.post("gh_jn", "jn-1", "2023-11-02"), Self.post("gh_qd", "qd-1", "2023-11-02")],
            rules: Self.rules,
            now: now
        )
        let jinan = try #require(report.activity.first { $0.account.account == "gh_jn" })
        #expect(jinan.dataUntil == CivilDate(year: 2023, month: 11, day: 10))
        #expect(jinan.longestGapDays == 8)
        #expect(jinan.dormant14d == false)
        let qingdao = try #require(report.activity.first { $0.account.account == "gh_qd" })
        #expect(qingdao.dataUntil == nil)
        #expect(qingdao.dormant14d == true)

        let csv = try #require(report.tables.first { $0.id == "activity" })
        // `data_until` after `data_since`, then the report's `period` and `as_of` (session 15).
        #expect(csv.columns.suffix(4) == ["data_since", "data_until", "period", "as_of"])
        #expect(csv.rows.map { $0.dropLast(2).last ?? "-" } == ["2023-11-10", ""])
        let chinese = try #require(report.tables(for: .zh).first { $0.id == "activity" })
        #expect(chinese.columns.last == "数据止于")
    }
}

extension CollectionSpanTests {
    /// Collection that stops on the 2nd (the last post of October read until then: n = 0 is
    /// known for two days only, and EII 0 with d = 30 ranked the unit last), or begins on the
    /// 29th (a post first seen then: the EII of 2 days over d = 30). The account has no EII, its
    /// unit is not ranked, and the report counts and names it among the main accounts lacking
    /// data, with the days collected.
    @Test(arguments: [("2023-11-01", "2023-11-02"), ("2023-11-29", "2023-11-30")])
    func anAccountCollectedForPartOfThePeriodHasNoEIIAndItsUnitIsNotRanked(span: (String, String)) throws {
        let stops = span.0 == "2023-11-01"
        let report = TestData.report(
            [
                TestData.entry("济南市教育局", "bureau", .wechat, "gh_jn"),
                TestData.entry("青岛市教育局", "bureau", .wechat, "gh_qd"),
            ],
            Self.followers("gh_jn", from: span.0, to: span.1)
                + [Self.views("gh_jn", "jn-1", span.0, 300)]
                + Self.followers("gh_qd", from: "2023-11-01", to: "2023-11-30")
                + [Self.views("gh_qd", "qd-1", "2023-11-16", 800)],
            // A catalogued October post would tell the days before the 29th: only the stopped account has it.
            objects: [Self.post("gh_qd", "qd-1", "2023-11-15")]
                + (stops ? [Self.post("gh_jn", "jn-1", "2023-10-30")] : []),
            rules: Self.rules
        )
        #expect(report.activity.first { $0.account.account == "gh_jn" }?.posts == (stops ? 0 : 1))
        let days = try #require(CivilDate(parsing: span.0))...(try #require(CivilDate(parsing: span.1)))
        let influence = try #require(report.influence.first { $0.account.account == "gh_jn" })
        #expect(influence.eii == nil)
        #expect(influence.unavailable == .partialPeriod)
        #expect(influence.collectedDays == days)
        let jinan = try #require(report.ranking.first { $0.unit.name == "济南市教育局" })
        #expect(jinan.composite == nil && jinan.rank == nil)
        #expect(jinan.note == "part of the period collected: wechat (\(span.0)..\(span.1))")
        #expect(report.ranking.first { $0.unit.name == "青岛市教育局" }?.rank == 1)
        #expect(report.dataGaps.map(\.account.account) == ["gh_jn"])
        #expect(report.dataGaps.first?.collectedDays == days)
        #expect(report.dataGaps.first?.noContent == false)

        let overview = try #require(report.tables.first { $0.id == "report" })
        let keys = Dictionary(uniqueKeysWithValues: overview.rows.map { ($0[0], $0[1]) })
        #expect(keys["units_lacking_data"] == "1")
        #expect(keys["main_accounts_partly_collected"] == "1")
        #expect(overview.rows.last?[0] == "main_accounts_partly_collected", "new keys come last")
        let chinese = report.render(.markdown, language: .zh)
        // Chinese sentences write the days as Chinese prose does: `2023年11月1日至2023年11月2日`.
        let chineseDays = try [span.0, span.1].map { day in
            let date = try #require(CivilDate(parsing: day))
            return "\(date.year)年\(date.month)月\(date.day)日"
        }
        #expect(chinese.contains("济南市教育局 微信公众号 gh_jn（只采集到 \(chineseDays[0])至\(chineseDays[1]) 的数据）"))
        #expect(chinese.contains("本期只采集到部分日期：微信公众号（\(chineseDays[0])至\(chineseDays[1])）"))
    }

    /// While the period runs, today is not over for any account: collection that reached
    /// yesterday (the report made before today's rows) covers the period so far.
    @Test func collectionThatReachedYesterdayCoversARunningPeriod() throws {
        let report = TestData.report(
            [TestData.entry("济南市教育局", "bureau", .wechat, "gh_jn")],
            Self.followers("gh_jn", from: "2023-11-01", to: "2023-11-19") + [
                Self.views("gh_jn", "jn-1", "2023-11-03", 500)
            ],
            objects: [Self.post("gh_jn", "jn-1", "2023-11-02")],
            rules: Self.rules,
            now: "2023-11-20"
        )
        let influence = try #require(report.influence.first)
        #expect(influence.unavailable == nil)
        #expect(influence.eii != nil)
        #expect(report.dataGaps.isEmpty)
        #expect(report.ranking.first?.rank == 1)
    }
}
