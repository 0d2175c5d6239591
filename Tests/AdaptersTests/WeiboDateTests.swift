import Adapters
import Collector
import Testing

/// Weibo's `created_at` (`Mon Mar 03 09:30:00 +0800 2025`, PLATFORMS.md §8).
@Suite struct WeiboDateTests {
    static let parsed: [(String, String)] = [
        ("Mon Mar 03 09:30:00 +0800 2025", "2025-03-03T09:30:00+08:00"),
        ("Sat Mar 01 18:02:11 +0800 2025", "2025-03-01T18:02:11+08:00"),
        ("Fri Aug 28 00:00:00 +0800 2009", "2009-08-28T00:00:00+08:00"),
        // Midnight UTC of New Year is already the next day in Beijing.
        ("Wed Dec 31 23:30:00 -0100 2025", "2026-01-01T08:30:00+08:00"),
        ("Thu Feb 29 12:00:00 +0000 2024", "2024-02-29T20:00:00+08:00"),
        ("Tue Mar 5 10:21:33 +0800 2013", "2013-03-05T10:21:33+08:00"),
    ]

    @Test(arguments: parsed)
    func parsesWeiboDates(_ text: String, _ expected: String) throws {
        let time = try #require(WeiboDate.parse(text))
        #expect(PlatformCalendar.beijing.render(time) == expected)
    }

    @Test func parsesToTheRightInstant() {
        // 2025-03-03T01:30:00Z.
        #expect(WeiboDate.parse("Mon Mar 03 09:30:00 +0800 2025") == Timestamp(secondsSinceEpoch: 1_740_965_400))
    }

    static let rejected = [
        "",
        "5分钟前",
        "今天 12:00",
        "03-01",
        "Mon Foo 03 09:30:00 +0800 2025",
        "Mon Mar 32 09:30:00 +0800 2025",
        "Sat Feb 29 09:30:00 +0800 2025",
        "Mon Mar 03 24:00:00 +0800 2025",
        "Mon Mar 03 09:60:00 +0800 2025",
        "Mon Mar 03 9:30:00 +0800 2025",
        "Mon Mar 03 09:30:00 +08:00 2025",
        "Mon Mar 03 09:30:00 0800 2025",
        "Mon Mar 03 09:30:00 +0800 25",
        "Mon Mar 03 09:30:00 +0800",
        "2025-03-03T09:30:00+08:00",
    ]

    @Test(arguments: rejected)
    func rejectsOtherForms(_ text: String) {
        #expect(WeiboDate.parse(text) == nil)
    }
}
