import Collector
import Foundation
import Reports
import Testing

/// The fixture set under `Fixtures/golden` (a registry, three months of samples in SPEC §3
/// files, the catalogue) against expected reports computed independently and checked by hand.
@Suite(.serialized)
struct GoldenReportTests {
    static let golden = FixtureReader.fixtures + "/golden"

    static func build(period: String = "2023-11", now: String = "2023-12-01T10:00:00+08:00") throws -> Report {
        let rules = try RuleSet.load(path: FixtureReader.fixtures + "/rules.toml")
        let input = ReportInput(
            registry: try FixtureReader.registry(golden + "/accounts.csv"),
            samples: try FixtureReader.samples(under: golden + "/data"),
            objects: try FixtureReader.objects(under: golden + "/data"),
            period: try #require(ReportPeriod(parsing: period)),
            calendar: TestData.calendar,
            now: try #require(PlatformCalendar.parseRFC3339(now))
        )
        return ReportBuilder.build(input, rules: rules)
    }

    /// Compares line by line, so a failure names the first differing line instead of dumping both files.
    static func expectSameLines(_ actual: String, _ expected: String, _ name: String) {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, (got, want)) in zip(actualLines, expectedLines).enumerated() where got != want {
            Issue.record("\(name) line \(index + 1):\n  got:      \(got)\n  expected: \(want)")
            return
        }
        #expect(actualLines.count == expectedLines.count, "\(name): line count differs")
    }

    @Test func csvMatchesTheHandCheckedReport() throws {
        Self.expectSameLines(
            try Self.build().render(.csv),
            try FixtureReader.text(Self.golden + "/expected.csv"),
            "expected.csv"
        )
    }

    @Test func markdownMatchesTheHandCheckedReport() throws {
        Self.expectSameLines(
            try Self.build().render(.markdown),
            try FixtureReader.text(Self.golden + "/expected.md"),
            "expected.md"
        )
    }

    @Test func csvFilesHoldTheSameTablesOneByOne() throws {
        let report = try Self.build()
        let files = report.csvFiles()
        #expect(
            files.map(\.name) == [
                "report.csv", "attainment_by_category.csv", "units.csv", "attainment.csv", "ranking.csv",
                "influence.csv",
                "activity.csv", "rules.csv",
            ]
        )
        let joined = files.map { "# \($0.name.dropLast(4))\n" + $0.text }.joined(separator: "\n")
        #expect(joined == report.render(.csv))
    }

    /// Each table file of `report -o DIR/` stands alone: it ends with the `period` and `as_of`
    /// of the `report` table (`attainment` only with `period`: its `as_of` is the day of the
    /// followers row judged), so two months' `ranking.csv` differ in content, and a running
    /// period's files give the report day rather than the period's last day.
    @Test(arguments: [
        ("2023-10", "2023-12-01T10:00:00+08:00", "2023-10-31"),
        ("2023-11", "2023-12-01T10:00:00+08:00", "2023-11-30"),
        ("2023-11-01..2023-12-31", "2023-12-01T10:00:00+08:00", "2023-12-01"),
    ])
    func everyTableFileSaysItsPeriodAndAsOfDay(period: String, now: String, asOf: String) throws {
        let files = try Self.build(period: period, now: now).csvFiles()
        let overview = try #require(files.first { $0.name == "report.csv" }).text
        #expect(overview.contains("\nperiod,\(period)\n") && overview.contains("\nas_of,\(asOf)\n"))
        for file in files where file.name != "report.csv" {
            let lines = file.text.split(separator: "\n")
            let judged = file.name == "attainment.csv"
            let header = judged ? ",note,period" : ",period,as_of"
            #expect(lines.first?.hasSuffix(header) == true, "\(file.name): \(lines.first ?? "")")
            let stamp = judged ? ",\(period)" : ",\(period),\(asOf)"
            #expect(lines.count > 1, "\(file.name) has no rows")
            for line in lines.dropFirst() { #expect(line.hasSuffix(stamp), "\(file.name): \(line)") }
        }
    }

    @Test func noUnitIsDropped() throws {
        let report = try Self.build()
        let units = Set(try FixtureReader.registry(Self.golden + "/accounts.csv").entries.map(\.unit))
        #expect(Set(report.attainment.map(\.unit.name)) == units)
        #expect(Set(report.units.map(\.unit.name)) == units)
        #expect(Set(report.ranking.map(\.unit.name)) == units)
    }

    @Test func htmlIsOneSelfContainedFile() throws {
        let report = try Self.build()
        let html = report.render(.html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(html.contains("@media"))
        // Nothing to fetch: no scripts, stylesheets, images or fonts from elsewhere.
        for banned in ["<script", "<link", "<img", "src=", "@import", "url("] {
            #expect(!html.contains(banned), "\(banned)")
        }
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!withoutNamespace.contains("http://"))
        #expect(!withoutNamespace.contains("https://"))
        // One chart per main account with a followers series, one attainment chart, one ranking chart per tier.
        let tiers = Set(report.ranking.map { $0.unit.category + $0.tier }).count
        #expect(html.components(separatedBy: "<svg ").count - 1 == report.followerSeries.count + 1 + tiers)
        #expect(report.followerSeries.count == 11)
        #expect(html.contains("烟台市教育局 · wechat"))
        #expect(html.contains("class=\"target\""))
        #expect(html.contains("<td class=\"status s-INDETERMINATE\">INDETERMINATE</td>"))
        #expect(html.hasSuffix("</html>\n"))
    }
}
