import Collector
import Reports
import Testing

/// A per-post figure that no account of a platform has (Weibo's API gives no reads) counts 0 in
/// the EII of every account of that platform alike, so they stay comparable and are ranked; the
/// report says so once. A figure that only some accounts lack still leaves those accounts
/// without EII and their units unranked, and the report says what to collect
/// (docs/reports.md §4.1, §4.2).
struct PlatformWideFiguresTests {
    private static let rules = RuleSet(
        source: "test",
        rules: [Rule(id: "T", category: "city_bureau", kind: .target, comparison: .atLeast, threshold: 800_000)]
    )

    /// A unit with one main account on `platform` and two posts of November; `figures` gives
    /// each post's values, one dictionary per post.
    private struct Unit {
        var name: String
        var account: String
        var platform: Platform
        var figures: [[MetricName: Int64]]
    }

    private static func report(_ units: [Unit], variant: WCI.Variant = .classic) -> Report {
        var samples: [Sample] = []
        var objects: [ContentObject] = []
        for unit in units {
            samples += [
                TestData.followers(unit.account, 900_000, on: "2023-10-31", platform: unit.platform),
                TestData.followers(unit.account, 910_000, platform: unit.platform),
            ]
            for (position, values) in unit.figures.enumerated() {
                let object = "\(unit.account)-\(position)_1"
                objects.append(
                    ContentObject(
                        platform: unit.platform,
                        object: object,
                        account: unit.account,
                        publishedAt: TestData.day("2023-11-05")
                    )
                )
                for (metric, value) in values {
                    samples.append(
                        Sample(
                            time: TestData.day("2023-11-09", hour: 12),
                            platform: unit.platform,
                            account: unit.account,
                            object: object,
                            metric: metric,
                            value: .integer(value),
                            source: .api
                        )
                    )
                }
            }
        }
        var rules = Self.rules
        rules.index.wciVariant = variant
        return TestData.report(
            units.map { TestData.entry($0.name, "city_bureau", $0.platform, $0.account) },
            samples,
            objects: objects,
            rules: rules
        )
    }

    private static func table(_ report: Report, _ id: String, _ language: ReportLanguage? = nil) throws -> ReportTable {
        try #require((language.map(report.tables(for:)) ?? report.tables).first { $0.id == id })
    }

    private static func overview(_ report: Report, _ key: String) throws -> String {
        try #require(try table(report, "report").rows.first { $0.first == key }?.last)
    }

    /// Two Weibo accounts through the API: likes, comments and reposts, no reads (one has a read
    /// count on one post, from a web page: not for all its posts, so not known either).
    private static func weiboWithoutReads() -> Report {
        report([
            Unit(
                name: "青岛市教育局",
                account: "2600002",
                platform: .weibo,
                figures: [[.likes: 500, .comments: 50, .shares: 100], [.likes: 400, .comments: 40, .shares: 90]]
            ),
            Unit(
                name: "临沂市教育局",
                account: "1300001",
                platform: .weibo,
                figures: [
                    [.views: 80_000, .likes: 900, .comments: 90, .shares: 300],
                    [.likes: 800, .comments: 80, .shares: 200],
                ]
            ),
        ])
    }

    @Test func weiboAccountsAllWithoutReadsAreRankedWithReadsCountedZero() throws {
        let report = Self.weiboWithoutReads()
        #expect(report.uncollected == [UncollectedFigures(platform: .weibo, figures: ["views"], accountsMeasured: 2)])

        let linyi = try #require(report.influence.first { $0.account.account == "1300001" })
        let eii = try #require(linyi.eii)
        // V and Vmax count 0 (also the one read count of 临沂, which would set it apart); L, C, S are used.
        #expect(linyi.inputs.views == 0 && linyi.inputs.maxViews == 0)
        #expect(eii.components[1] == 0)
        #expect(linyi.inputs.likes == 1700)
        #expect(eii.value == EII(linyi.inputs).value)
        #expect(linyi.countedZero == ["views"])
        #expect(linyi.indexValue != nil, "BCI needs no reads")

        #expect(report.ranking.map(\.unit.name) == ["临沂市教育局", "青岛市教育局"])
        #expect(report.ranking.map(\.rank) == [1, 2])
        #expect(report.ranking.allSatisfy { $0.note.isEmpty && $0.composite != nil })

        // The cells of V stay empty: the figure is unknown, and the note says it counts 0.
        let influence = try Self.table(report, "influence")
        let row = try #require(influence.rows.first { $0.contains("1300001") })
        let cells = Dictionary(uniqueKeysWithValues: zip(influence.columns, row))
        #expect(cells["v"] == "" && cells["v_max"] == "")
        #expect(cells["u2"] == "0.0000")
        #expect(cells["note"] == "counted 0, as no account of the platform has them: views")
        #expect(try Self.overview(report, "figures_counted_zero") == "weibo: views")

        // Said once, visibly: the summary and the notes of the ranking and influence tables.
        let sentence = "微博：所有账号均未采集阅读量，EII 中这些数据一律按 0 计（U2 传播力），该平台各账号之间仍可比较。"
        let chinese = report.render(.markdown, language: .zh)
        #expect(chinese.contains("## 数据说明\n\n- \(sentence)\n"))
        #expect(try Self.table(report, "ranking", .zh).note.hasSuffix(sentence))
        #expect(try Self.table(report, "influence", .zh).note.hasSuffix(sentence))
        #expect(chinese.split(separator: "全平台均未采集，按 0 计：阅读量").count == 3, "one note per account")
        let english = report.render(.markdown, language: .en)
        #expect(
            english.contains(
                "- weibo: no account has views collected, so they count 0 in the EII of every weibo account alike "
                    + "(U2 reach) and these accounts remain comparable with each other.\n"
            )
        )
        let html = report.render(.html, language: .zh)
        #expect(html.contains("<section id=\"summary\">") && html.contains("<li>\(sentence)</li>"))
    }

    /// One WeChat unit imports an export without 点赞 while the other's comes through the API
    /// with it: the first has no EII and is not ranked, and the report says what to collect.
    @Test func oneOfTwoWeChatAccountsWithoutLikesIsNotRanked() throws {
        let full: [MetricName: Int64] = [.views: 5000, .likes: 60, .comments: 10, .shares: 40, .recommends: 20]
        var withoutLikes = full
        withoutLikes[.likes] = nil
        let report = Self.report([
            Unit(name: "烟台市教育局", account: "gh_yantai", platform: .wechat, figures: [full, full]),
            Unit(name: "青岛市教育局", account: "gh_qingdao", platform: .wechat, figures: [withoutLikes, withoutLikes]),
        ])
        #expect(
            report.uncollected == [
                UncollectedFigures(
                    platform: .wechat,
                    figures: [],
                    partialFigures: ["likes"],
                    accountsLacking: 1,
                    accountsMeasured: 2
                )
            ]
        )
        let qingdao = try #require(report.influence.first { $0.account.account == "gh_qingdao" })
        #expect(qingdao.eii == nil && qingdao.unavailable == .figuresNotCollected)
        #expect(qingdao.countedZero.isEmpty)
        #expect(report.ranking.map(\.unit.name) == ["烟台市教育局", "青岛市教育局"])
        #expect(report.ranking.map(\.rank) == [1, nil])
        #expect(report.ranking[1].note == "figures not collected: wechat (likes)")
        #expect(try Self.overview(report, "figures_counted_zero") == "")
        #expect(try Self.overview(report, "figures_partly_collected") == "wechat: likes (1/2)")

        let ranking = try Self.table(report, "ranking", .zh)
        #expect(ranking.rows[1].last == "未采集的数据：微信公众号（点赞）")
        let chinese = report.render(.markdown, language: .zh)
        #expect(
            chinese.contains(
                "- 微信公众号：有数据的 2 个账号中有 1 个缺少点赞（其他账号已采集），这些账号没有 EII，所在单位不参与排名。请补充采集："
            )
        )
        #expect(report.render(.markdown, language: .en).contains("- wechat: 1 of the 2 accounts with posts lack likes"))
    }

    /// The 已通知内容 export for every WeChat account: no likes, comments or 在看. EII counts
    /// likes and comments 0 for all; WCI, which needs likes and 在看, is not computed, and the
    /// note says so: a published index with a term at 0 could not be reconciled with its list.
    @Test func aFigureNoAccountHasLeavesTheThirdPartyIndexThatNeedsItEmpty() throws {
        let notified: [MetricName: Int64] = [.viewers: 5000, MetricName(rawValue: "wechat_share_users"): 40]
        let report = Self.report([
            Unit(name: "烟台市教育局", account: "gh_yantai", platform: .wechat, figures: [notified, notified]),
            Unit(name: "青岛市教育局", account: "gh_qingdao", platform: .wechat, figures: [notified]),
        ])
        #expect(
            report.uncollected == [
                UncollectedFigures(
                    platform: .wechat,
                    figures: ["likes", "comments"],
                    indexLeftEmpty: "WCI V14.2",
                    accountsMeasured: 2
                )
            ]
        )
        #expect(report.influence.allSatisfy { $0.eii != nil && $0.indexValue == nil })
        #expect(report.ranking.map(\.rank) == [1, 2])
        let note = try Self.table(report, "ranking", .zh).note
        #expect(note.hasSuffix("微信公众号：所有账号均未采集点赞、评论，EII 中这些数据一律按 0 计（U3 互动力），该平台各账号之间仍可比较。WCI V14.2 需要这些数据，不予计算。"))
    }
}
