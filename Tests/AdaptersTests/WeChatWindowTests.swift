import Adapters
import Collector
import Testing

/// The date windows of the datacube queries (PLATFORMS.md §1.5): at most 7 days for the
/// follower APIs, ending yesterday, resuming after a cursor, never beyond 60 days back.
struct WeChatWindowTests {
    /// 2025-11-24: the day before the test clock's 2025-11-25.
    static let yesterday = day("2025-11-24")

    static func day(_ text: String) -> CivilDate {
        // The literals below are valid dates; a typo fails the first test that uses it.
        CivilDate(parsing: text) ?? CivilDate(daysSinceEpoch: 0)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var through: String?
        var firstRunDays: Int
        var span: Int
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "first run, 7 days", through: nil, firstRunDays: 7, span: 7, expected: ["2025-11-18..2025-11-24"]),
        Case(name: "first run, 1 day", through: nil, firstRunDays: 1, span: 7, expected: ["2025-11-24"]),
        Case(
            name: "first run, 20 days in 7-day windows",
            through: nil,
            firstRunDays: 20,
            span: 7,
            expected: ["2025-11-05..2025-11-11", "2025-11-12..2025-11-18", "2025-11-19..2025-11-24"]
        ),
        Case(
            name: "first run, 8 days: the second window is one day",
            through: nil,
            firstRunDays: 8,
            span: 7,
            expected: ["2025-11-17..2025-11-23", "2025-11-24"]
        ),
        Case(
            name: "resumes after the cursor",
            through: "2025-11-20",
            firstRunDays: 7,
            span: 7,
            expected: ["2025-11-21..2025-11-24"]
        ),
        Case(
            name: "resumes across a month end",
            through: "2025-10-28",
            firstRunDays: 7,
            span: 7,
            expected: [
                "2025-10-29..2025-11-04", "2025-11-05..2025-11-11", "2025-11-12..2025-11-18", "2025-11-19..2025-11-24",
            ]
        ),
        Case(name: "nothing after yesterday", through: "2025-11-24", firstRunDays: 7, span: 7, expected: []),
        Case(
            name: "nothing after a cursor in the future",
            through: "2025-11-30",
            firstRunDays: 7,
            span: 7,
            expected: []
        ),
        Case(
            name: "legacy getuserread, 3-day windows",
            through: nil,
            firstRunDays: 7,
            span: 3,
            expected: ["2025-11-18..2025-11-20", "2025-11-21..2025-11-23", "2025-11-24"]
        ),
    ]

    @Test(arguments: cases)
    func splitsTheRangeIntoWindowsEndingYesterday(_ example: Case) {
        let windows = WeChatAdapter.windows(
            after: example.through.map(Self.day),
            yesterday: Self.yesterday,
            firstRunDays: example.firstRunDays,
            span: example.span
        )
        #expect(windows.map(\.description) == example.expected)
    }

    @Test(arguments: [1, 7, 13, 45, 60])
    func windowsAreContiguousAtMostSevenDaysAndEndYesterday(_ firstRunDays: Int) throws {
        let windows = WeChatAdapter.windows(
            after: nil,
            yesterday: Self.yesterday,
            firstRunDays: firstRunDays,
            span: 7
        )
        #expect(windows.allSatisfy { $0.dayCount >= 1 && $0.dayCount <= 7 })
        #expect(windows.map(\.dayCount).reduce(0, +) == firstRunDays)
        #expect(try #require(windows.last).end == Self.yesterday)
        #expect(try #require(windows.first).begin == Self.yesterday.adding(days: -(firstRunDays - 1)))
        for (earlier, later) in zip(windows, windows.dropFirst()) {
            #expect(later.begin == earlier.end.adding(days: 1))
        }
    }

    @Test func anOldCursorResumesAtMostSixtyDaysBack() throws {
        let windows = WeChatAdapter.windows(
            after: Self.day("2025-06-01"),
            yesterday: Self.yesterday,
            firstRunDays: 7,
            span: 7
        )
        #expect(try #require(windows.first).begin == Self.day("2025-09-26"))
        #expect(windows.map(\.dayCount).reduce(0, +) == WeChatAdapter.maximumBackfillDays)
        #expect(windows.count == 9)
        #expect(try #require(windows.last).description == "2025-11-21..2025-11-24")
    }

    @Test func articleDaysAreTheLastThirtyPublishDatesOldestFirst() {
        let days = WeChatAdapter.days(last: 30, endingAt: Self.yesterday)
        #expect(days.count == 30)
        #expect(days.first?.description == "2025-10-26")
        #expect(days.last?.description == "2025-11-24")
        #expect(days.allSatisfy { $0.dayCount == 1 })
        #expect(WeChatAdapter.days(last: 0, endingAt: Self.yesterday).isEmpty)
    }

    @Test func theBodyCarriesBothDatesAsYearMonthDay() {
        let window = WeChatAdapter.DateWindow(Self.day("2025-3-4"), Self.day("2025-03-10"))
        #expect(window.body == #"{"begin_date":"2025-03-04","end_date":"2025-03-10"}"#)
        #expect(
            WeChatAdapter.DateWindow(day: Self.yesterday).body
                == #"{"begin_date":"2025-11-24","end_date":"2025-11-24"}"#
        )
    }
}
