import Collector
import Reports
import Testing

/// Figures that rest on an approximate value or a lower bound are marked beyond the attainment
/// columns too: influence followers, ΔF and per-post totals, the pace and its ETA in Markdown
/// and HTML (`≈`, `≥`), and quality columns in the CSV (docs/reports.md §5).
struct EstimateMarksTests {
    private static func report() throws -> Report {
        let samples = [
            TestData.followers("1300001", 990_000, on: "2023-10-31", .approx, platform: .weibo),
            TestData.followers("1300001", 999_000, on: "2023-11-30", .approx, platform: .weibo),
            Sample(
                time: TestData.day("2023-11-12", hour: 12),
                platform: .weibo,
                account: "1300001",
                object: "s1",
                metric: .views,
                value: .integer(12_000),
                quality: .approx,
                source: .web
            ),
        ]
        let objects = [
            ContentObject(platform: .weibo, object: "s1", account: "1300001", publishedAt: TestData.day("2023-11-10"))
        ]
        return TestData.report(
            [TestData.entry("临沂市教育局", "city_bureau", city: "临沂", .weibo, "1300001")],
            samples,
            objects: objects,
            rules: try TestData.shandong()
        )
    }

    private static func row(_ table: ReportTable) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: zip(table.columns, try #require(table.rows.first)))
    }

    @Test func influenceFollowersChangeAndReadsAreMarked() throws {
        let report = try Self.report()
        let human = try Self.row(try #require(report.tables(for: .en).first { $0.id == "influence" }))
        #expect(human["followers"] == "≈999,000")
        #expect(human["followers_change"] == "≈9,000")
        #expect(human["v"] == "≈12,000")
        #expect(human["followers_quality"] == nil, "quality columns are the CSV's")

        let machine = try Self.row(try #require(report.tables.first { $0.id == "influence" }))
        #expect(machine["followers"] == "999000")
        #expect(machine["followers_quality"] == "approx")
        #expect(machine["followers_change_quality"] == "approx")
        #expect(machine["v_quality"] == "approx")
    }

    @Test func unitFiguresAndThePaceCarryTheirQualityInTheCSV() throws {
        let report = try Self.report()
        let units = try Self.row(try #require(report.tables.first { $0.id == "units" }))
        #expect(units["best_quality"] == "approx" && units["sum_quality"] == "approx")
        let attainment = try Self.row(try #require(report.tables.first { $0.id == "attainment" }))
        #expect(attainment["unit_best_quality"] == "approx" && attainment["unit_sum_quality"] == "approx")
        #expect(attainment["net_30d_quality"] == "approx")

        let human = try Self.row(try #require(report.tables(for: .zh).first { $0.id == "attainment" }))
        #expect(human["近30天净增"]?.hasPrefix("≈") == true)
        #expect(human["日均需增"]?.hasPrefix("≈") == true)
        #expect(human["预计达标日"]?.hasPrefix("≈") == true)
    }

    /// A `10万+` maximum is a lower bound (`≥`) beside a total that is approximate because of a
    /// `1.2万`; EII over those reads is approximate, and BCI, which uses no reads, is exact.
    @Test func aLowerBoundMaximumHasItsOwnMarkAndTheIndicesOverEstimatesAreMarked() throws {
        func post(_ object: String, _ metric: MetricName, _ value: Int64, _ quality: Quality = .exact) -> Sample {
            Sample(
                time: TestData.day("2023-11-12", hour: 12),
                platform: .weibo,
                account: "1300001",
                object: object,
                metric: metric,
                value: .integer(value),
                quality: quality,
                source: .web
            )
        }
        var samples = [
            TestData.followers("1300001", 990_000, on: "2023-10-31", platform: .weibo),
            TestData.followers("1300001", 999_000, on: "2023-11-30", platform: .weibo),
            post("s1", .views, 12_000, .approx), post("s2", .views, 100_000, .lowerBound),
        ]
        for object in ["s1", "s2"] {
            samples += [post(object, .likes, 300), post(object, .comments, 20), post(object, .shares, 10)]
        }
        let objects = ["s1", "s2"].map {
            ContentObject(platform: .weibo, object: $0, account: "1300001", publishedAt: TestData.day("2023-11-10"))
        }
        let report = TestData.report(
            [TestData.entry("临沂市教育局", "city_bureau", city: "临沂", .weibo, "1300001")],
            samples,
            objects: objects,
            rules: try TestData.shandong()
        )
        let machine = try Self.row(try #require(report.tables.first { $0.id == "influence" }))
        #expect(machine["v"] == "112000" && machine["v_quality"] == "approx")
        #expect(machine["v_max"] == "100000" && machine["v_max_quality"] == "lower_bound")
        #expect(machine["eii_quality"] == "approx")
        #expect(machine["index"] == "BCI" && machine["index_value_quality"] == "exact")
        let influence = try #require(report.tables.first { $0.id == "influence" })
        // Session 11's columns after `note`, then session 15's `period` and `as_of`.
        #expect(
            influence.columns.suffix(6) == [
                "note", "v_max_quality", "eii_quality", "index_value_quality", "period", "as_of",
            ]
        )

        for (language, vmax, eii) in [(ReportLanguage.en, "v_max", "eii"), (.zh, "最高阅读（播放）量 Vmax", "EII 指数")] {
            let human = try Self.row(try #require(report.tables(for: language).first { $0.id == "influence" }))
            #expect(human[vmax] == "≥100,000")
            #expect(human[eii]?.hasPrefix("≈") == true)
            #expect(human[eii]?.hasPrefix("≈0") == false)
        }
        let ranking = try Self.row(try #require(report.tables.first { $0.id == "ranking" }))
        #expect(ranking["eii_quality"] == "approx")
        let html = report.render(.html, language: .zh)
        #expect(html.contains("≥100,000"))
    }
}

extension EstimateMarksTests {
    /// A `4万+` below a 5万 target may already meet it (INDETERMINATE): it has no ETA, rather
    /// than "never" from the difference of two equal lower bounds. An approximate `1.2万` that
    /// stays `1.2万` is NOT_MET, and its "never" rests on an estimated pace: `≈` in Markdown and
    /// HTML, as a date is.
    @Test func anIndeterminateAccountHasNoETAAndANeverFromAnEstimateIsMarked() throws {
        let report = TestData.report(
            [
                TestData.entry("日照职业技术学院", "vocational", students: 11_999, .douyin, "dy_rz"),
                TestData.entry("滨州职业学院", "vocational", students: 11_999, .wechat, "gh_bz"),
            ],
            [
                TestData.followers("dy_rz", 40_000, on: "2023-10-31", .lowerBound, platform: .douyin),
                TestData.followers("dy_rz", 40_000, on: "2023-11-30", .lowerBound, platform: .douyin),
                TestData.followers("gh_bz", 12_000, on: "2023-10-31", .approx),
                TestData.followers("gh_bz", 12_000, on: "2023-11-30", .approx),
            ],
            rules: try TestData.shandong()
        )
        let rows = Dictionary(uniqueKeysWithValues: report.attainment.map { ($0.account?.account ?? "", $0) })
        let rizhao = try #require(rows["dy_rz"])
        #expect(rizhao.status == .indeterminate)
        #expect(rizhao.projection == nil)
        let binzhou = try #require(rows["gh_bz"])
        #expect(binzhou.status == .notMet)
        #expect(binzhou.projection == .never)

        let machine = try #require(report.tables.first { $0.id == "attainment" })
        let etaColumn = try #require(machine.columns.firstIndex(of: "eta"))
        #expect(machine.rows.map { $0[etaColumn] } == ["", "never"])
        let human = try #require(report.tables(for: .zh).first { $0.id == "attainment" })
        let column = try #require(human.columns.firstIndex(of: "预计达标日"))
        #expect(human.rows.map { $0[column] } == ["", "≈按当前增速无法达标"])
    }
}

extension EstimateMarksTests {
    /// A unit's best is the largest of intervals: beside an exact 45,000, a `4万+` may be 49,000
    /// (the best is ≥45,000), and a tied approximate 45,000 may stand for up to 45,999.
    @Test(arguments: [(Int64(40_000), Quality.lowerBound, "≥45,000"), (45_000, .approx, "≈45,000")])
    func aUnitsBestIsMarkedWhenAnotherMainAccountMayExceedIt(other: (Int64, Quality, String)) throws {
        let report = TestData.report(
            [
                TestData.entry("日照职业技术学院", "vocational", students: 11_999, .wechat, "gh_rz"),
                TestData.entry("日照职业技术学院", "vocational", students: 11_999, .douyin, "dy_rz"),
            ],
            [
                TestData.followers("gh_rz", 45_000),
                TestData.followers("dy_rz", other.0, other.1, platform: .douyin),
            ],
            rules: try TestData.shandong()
        )
        let units = try Self.row(try #require(report.tables.first { $0.id == "units" }))
        #expect(units["best"] == "45000")
        #expect(units["best_quality"] == other.1.rawValue)
        let attainment = try Self.row(try #require(report.tables.first { $0.id == "attainment" }))
        #expect(attainment["unit_best_quality"] == other.1.rawValue)
        let human = try Self.row(try #require(report.tables(for: .en).first { $0.id == "units" }))
        #expect(human["best"] == other.2)
    }
}
