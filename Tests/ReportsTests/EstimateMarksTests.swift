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
}
