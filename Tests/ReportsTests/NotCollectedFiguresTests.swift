import Collector
import Reports
import Testing

/// A per-post figure that was never collected (a 已通知内容 export without 点赞/评论/在看 columns,
/// an adapter that sends views only) is unknown, not 0: its cells stay empty, the note names it,
/// and no index is computed from it (docs/reports.md §4.1, COUNTS_AND_TARGETS.md §1.2 Step 2).
/// Each report here has a second account on the platform that has every figure, so the figure
/// is missing for some accounts only; when every account of a platform lacks it, it counts 0
/// for all of them instead (PlatformWideFiguresTests).
struct NotCollectedFiguresTests {
    private static let rules = RuleSet(
        source: "test",
        rules: [Rule(id: "T", category: "city_bureau", kind: .target, comparison: .atLeast, threshold: 800_000)]
    )

    private static func sample(
        _ account: String,
        _ metric: MetricName,
        _ value: Int64,
        object: String,
        platform: Platform
    ) -> Sample {
        Sample(
            time: TestData.day("2023-11-09", hour: 12),
            platform: platform,
            account: account,
            object: object,
            metric: metric,
            value: .integer(value),
            source: .import
        )
    }

    /// Every per-post figure an index may need.
    static let allFigures: [MetricName] = [.views, .likes, .comments, .shares, .recommends]

    /// One account on `platform` with two posts of November, each with the `metrics` given, and
    /// the account `peer` of another unit on the same platform with every figure.
    private static func report(
        _ platform: Platform,
        _ metrics: [MetricName],
        variant: WCI.Variant = .classic
    ) -> Report {
        var samples: [Sample] = []
        var objects: [ContentObject] = []
        for (account, figures) in [("acct", metrics), ("peer", allFigures)] {
            samples += [
                TestData.followers(account, 900_000, on: "2023-10-31", platform: platform),
                TestData.followers(account, 910_000, platform: platform),
            ]
            for object in ["m1_1", "m2_1"] {
                samples += figures.map { sample(account, $0, 1000, object: object, platform: platform) }
                objects.append(
                    ContentObject(
                        platform: platform,
                        object: object,
                        account: account,
                        publishedAt: TestData.day("2023-11-05")
                    )
                )
            }
        }
        var rules = Self.rules
        rules.index.wciVariant = variant
        return TestData.report(
            [
                TestData.entry("单位", "city_bureau", platform, "acct"),
                TestData.entry("对照单位", "city_bureau", platform, "peer"),
            ],
            samples,
            objects: objects,
            rules: rules
        )
    }

    private static func ranking(_ report: Report) throws -> UnitInfluence {
        try #require(report.ranking.first { $0.unit.name == "单位" })
    }

    private static func cells(_ report: Report, _ table: ReportTable? = nil) throws -> [String: String] {
        let influence = try #require(table ?? report.tables.first { $0.id == "influence" })
        let row = try #require(influence.rows.first)
        return Dictionary(uniqueKeysWithValues: zip(influence.columns, row))
    }

    /// The 已通知内容 export: reads (阅读人数) and 分享人数, no likes, comments or 在看.
    @Test func aWeChatExportWithoutInteractionColumnsHasNoIndexAndNoInventedZeros() throws {
        let report = Self.report(.wechat, [.viewers, MetricName(rawValue: "wechat_share_users")])
        let row = try #require(report.influence.first)
        #expect(row.eii == nil)
        #expect(row.unavailable == .figuresNotCollected)
        #expect(row.notCollected == ["likes", "comments", "recommends"])
        #expect(row.indexValue == nil)
        #expect(try Self.ranking(report).rank == nil)
        #expect(try Self.ranking(report).note == "figures not collected: wechat (likes comments)")

        let cells = try Self.cells(report)
        #expect(cells["n"] == "2")
        #expect(cells["v"] == "2000")
        #expect(cells["shares"] == "2000")
        for name in ["likes", "comments", "u3", "eii", "index_value"] { #expect(cells[name] == "", "\(name)") }
        #expect(cells["note"] == "figures not collected: likes comments recommends")

        let chinese = try #require(report.tables(for: .zh).first { $0.id == "influence" })
        #expect(chinese.rows.first?.last == "未采集的数据：点赞、评论、在看")
    }

    /// An exec adapter that sends views only: no VCI and no EII from zeros.
    @Test func viewsAloneGiveNeitherEIINorVCI() throws {
        let report = Self.report(.douyin, [.views])
        let row = try #require(report.influence.first)
        #expect(row.eii == nil)
        #expect(row.indexName == "VCI")
        #expect(row.indexValue == nil)
        #expect(row.notCollected == ["likes", "comments", "shares"])
        let cells = try Self.cells(report)
        for name in ["likes", "comments", "shares", "points_u3"] { #expect(cells[name] == "", "\(name)") }
        #expect(cells["v"] == "2000")
    }

    /// Weibo statuses without reads: BCI needs none, so it stays; EII needs V for U2.
    @Test func weiboWithoutReadsKeepsBCIButHasNoEII() throws {
        let report = Self.report(.weibo, [.likes, .comments, .shares])
        let row = try #require(report.influence.first)
        #expect(row.eii == nil)
        #expect(row.notCollected == ["views"])
        #expect(row.indexValue != nil)
        let cells = try Self.cells(report)
        #expect(cells["v"] == "" && cells["v_max"] == "")
        #expect(cells["likes"] == "2000")
    }

    /// WeChat without 在看: EII has every figure it needs, WCI does not.
    @Test func weChatWithout在看HasEIIButNoWCI() throws {
        let report = Self.report(.wechat, [.views, .likes, .comments, .shares])
        let row = try #require(report.influence.first)
        #expect(row.eii != nil)
        #expect(row.unavailable == nil)
        #expect(row.indexValue == nil)
        #expect(try Self.cells(report)["note"] == "figures not collected: recommends")
        #expect(try Self.ranking(report).rank != nil)
    }

    /// WCI "with shares" is for "when shares are collected" (COUNTS_AND_TARGETS.md §3): without
    /// them the classic form is shown under its own name.
    @Test func wciWithSharesFallsBackToClassicWithoutShares() throws {
        let withShares = Self.report(.wechat, [.views, .likes, .comments, .shares, .recommends], variant: .shares)
        #expect(withShares.influence.first?.indexName == "WCI V14.2 shares")
        #expect(withShares.influence.first?.indexValue != nil)
        let without = Self.report(.wechat, [.views, .likes, .comments, .recommends], variant: .shares)
        #expect(without.influence.first?.indexName == "WCI V14.2")
        #expect(without.influence.first?.indexValue != nil)
        #expect(without.influence.first?.eii == nil)
    }

    /// A figure that some posts have and others lack is not known either: the sum over the
    /// posts that have it would be a lower bound shown as a total.
    @Test func aFigureMissingOnOnePostIsNotKnown() throws {
        var report = Self.report(.douyin, [.views, .likes, .comments, .shares])
        let input = ReportInput(
            registry: AccountRegistry(entries: [
                TestData.entry("单位", "city_bureau", .douyin, "acct"),
                TestData.entry("对照单位", "city_bureau", .douyin, "peer"),
            ]),
            samples: [
                TestData.followers("acct", 910_000, platform: .douyin),
                TestData.followers("peer", 910_000, platform: .douyin),
                Self.sample("peer", .views, 1000, object: "p1", platform: .douyin),
                Self.sample("peer", .likes, 10, object: "p1", platform: .douyin),
                Self.sample("peer", .comments, 10, object: "p1", platform: .douyin),
                Self.sample("peer", .shares, 10, object: "p1", platform: .douyin),
                Self.sample("acct", .views, 1000, object: "m1_1", platform: .douyin),
                Self.sample("acct", .likes, 10, object: "m1_1", platform: .douyin),
                Self.sample("acct", .comments, 10, object: "m1_1", platform: .douyin),
                Self.sample("acct", .shares, 10, object: "m1_1", platform: .douyin),
                Self.sample("acct", .views, 1000, object: "m2_1", platform: .douyin),
            ],
            objects: [],
            period: TestData.november,
            calendar: TestData.calendar,
            now: TestData.day("2023-12-01", hour: 10)
        )
        #expect(report.influence.first?.eii != nil)
        report = ReportBuilder.build(input, rules: Self.rules)
        #expect(report.influence.first?.eii == nil)
        #expect(report.influence.first?.notCollected == ["likes", "comments", "shares"])
    }
}
