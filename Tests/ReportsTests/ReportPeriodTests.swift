import Collector
import Foundation
import Reports
import Testing

struct ReportPeriodTests {
    @Test func aReversedRangeSaysWhichEndIsWhich() {
        let reversed = #expect(throws: ReportPeriod.ParseError.self) {
            try ReportPeriod.parse("2026-10-31..2026-10-01")
        }
        #expect(reversed?.description == "the range ends (2026-10-01) before it starts (2026-10-31)")
        let typo = #expect(throws: ReportPeriod.ParseError.self) { try ReportPeriod.parse("2026-13") }
        #expect(typo?.description == "write a month (2026-11), a year (2026) or a range (2026-11-01..2026-11-15)")
        #expect((try? ReportPeriod.parse("2026-10-01..2026-10-31"))?.calendarDays == 31)
    }

    @Test func aCalendarYearHasD365AlsoInALeapYear() throws {
        // COUNTS_AND_TARGETS.md §2.1: d is 365 for a year, as it is 30 for any calendar month.
        let leap = try ReportPeriod.parse("2024")
        #expect(leap.from == CivilDate(year: 2024, month: 1, day: 1))
        #expect(leap.to == CivilDate(year: 2024, month: 12, day: 31))
        #expect(leap.calendarDays == 366)
        #expect(leap.indexDays == 365)
        #expect(leap.description == "2024")
        #expect(try ReportPeriod.parse("2025").indexDays == 365)
        // The same days asked for as a range are a custom period: their true number (§2.1).
        #expect(try ReportPeriod.parse("2024-01-01..2024-12-31").indexDays == 366)
        #expect(ReportPeriod(parsing: "24") == nil && ReportPeriod(parsing: "20245") == nil)

        let report = TestData.report(Self.registry, [], rules: Self.rules, period: leap, now: "2024-03-01")
        let overview = try #require(report.tables.first { $0.id == "report" })
        #expect(overview.rows.contains(["index_days", "365"]))
        #expect(overview.rows.contains(["period", "2024"]))
        let notice = try #require(report.runningNotice)
        #expect(notice.contains("d = 365 (the calendar year) although"), "\(notice)")
        #expect(notice.contains("of 366 days"), "\(notice)")
    }

    // MARK: - A period still running

    private static let rules = RuleSet(source: "test", rules: [])
    private static let registry = [TestData.entry("单位", "other", .wechat, "gh_a")]

    @Test func aMidPeriodReportSaysThePeriodIsStillRunning() throws {
        let report = TestData.report(Self.registry, [], rules: Self.rules, now: "2023-11-15")
        #expect(report.isRunning)
        let overview = try #require(report.tables.first { $0.id == "report" })
        #expect(overview.rows.contains(["period_state", "running"]))
        let notice = try #require(report.runningNotice)
        #expect(notice.contains("still running"))
        #expect(notice.contains("d = 30"))
        #expect(notice.contains("15 of 30 days"))
        #expect(report.render(.markdown).contains("> **Period still running.** The period 2023-11 is still running"))
        #expect(report.render(.html).contains("<p class=\"banner\" role=\"note\"><b>Period still running.</b>"))
        #expect(report.render(.csv).contains("\nperiod_state,running\n"))
    }

    @Test func aCompletePeriodCarriesNoNotice() throws {
        let report = TestData.report(Self.registry, [], rules: Self.rules, now: "2023-12-01")
        #expect(!report.isRunning)
        #expect(report.runningNotice == nil)
        #expect(report.tables.first?.rows.contains(["period_state", "complete"]) == true)
        #expect(!report.render(.markdown).contains("still running"))
        #expect(!report.render(.html).contains("class=\"banner\""))
    }

    @Test func aRunningRangeKeepsItsFullLengthAsD() throws {
        let period = try ReportPeriod.parse("2023-11-01..2023-11-20")
        let report = TestData.report(Self.registry, [], rules: Self.rules, period: period, now: "2023-11-05")
        #expect(report.runningNotice?.contains("d = 20 (the whole range) although 5 of 20 days") == true)
    }
}
