import Collector
import Testing

@Suite struct PlatformCalendarTests {
    let beijing = PlatformCalendar.beijing

    @Test func rendersRFC3339WithTheZoneOffset() {
        // 2025-03-03T16:00:00Z is midnight of 2025-03-04 in Beijing.
        let time = Timestamp(secondsSinceEpoch: 1_741_017_600)
        #expect(beijing.render(time) == "2025-03-04T00:00:00+08:00")
        #expect(beijing.partition(of: time) == "2025-03")
    }

    @Test func movedTimestampsStayWithinFourDigitYears() throws {
        // A platform's `expires_in` of 2^63 - 1 once overflowed here and ended the process.
        let now = Timestamp(secondsSinceEpoch: 1_764_028_800)
        #expect(now.adding(seconds: .max) == .latest)
        #expect(now.adding(seconds: .min) == .earliest)
        #expect(now.adding(seconds: 400 * 365 * 86_400 * 100) == .latest)
        #expect(now.adding(seconds: 7_200).secondsSinceEpoch == 1_764_036_000)
        let kiritimati = try #require(PlatformCalendar(identifier: "Pacific/Kiritimati"))
        let honolulu = try #require(PlatformCalendar(identifier: "Pacific/Honolulu"))
        for zone in [beijing, kiritimati, honolulu] {
            #expect(zone.render(.latest).hasPrefix("9999-12-"))
            #expect(zone.render(.earliest).hasPrefix("0001-01-0"))
        }
    }

    @Test func stampsAPlatformDayAtItsLocalMidnight() throws {
        let day = try #require(CivilDate(parsing: "2025-03-04"))
        #expect(beijing.render(beijing.startOfDay(day)) == "2025-03-04T00:00:00+08:00")
        #expect(beijing.startOfDay(day).secondsSinceEpoch == 1_741_017_600)
    }

    @Test func partitionsByTheConfiguredZoneNotUTC() throws {
        // 2025-03-31T20:00:00Z is already April in Beijing, still March in UTC.
        let time = Timestamp(secondsSinceEpoch: 1_743_451_200)
        #expect(beijing.partition(of: time) == "2025-04")
        let utc = try #require(PlatformCalendar(identifier: "UTC"))
        #expect(utc.partition(of: time) == "2025-03")
        #expect(utc.render(time) == "2025-03-31T20:00:00+00:00")
    }

    @Test func handlesDaylightSavingZones() throws {
        let newYork = try #require(PlatformCalendar(identifier: "America/New_York"))
        let summer = try #require(CivilDate(year: 2025, month: 7, day: 1))
        let winter = try #require(CivilDate(year: 2025, month: 1, day: 1))
        #expect(newYork.render(newYork.startOfDay(summer)) == "2025-07-01T00:00:00-04:00")
        #expect(newYork.render(newYork.startOfDay(winter)) == "2025-01-01T00:00:00-05:00")
    }

    @Test func refusesAnUnknownZone() {
        #expect(PlatformCalendar(identifier: "Mars/Olympus_Mons") == nil)
    }

    /// Foundation takes ICU abbreviations and reads `CST` as US Central time (−06:00), not
    /// China Standard Time: only IANA names (and `UTC`) are zones here.
    @Test(arguments: ["CST", "EST", "PST", "GMT+8", "PRC", "asia/shanghai"])
    func refusesAbbreviationsAndOtherNonIANANames(_ identifier: String) {
        #expect(PlatformCalendar(identifier: identifier) == nil)
        #expect(!PlatformCalendar.isZoneName(identifier))
    }

    /// Every area/location name of the system's tz database is a zone, aliases included:
    /// Foundation's own list has `Asia/Calcutta` and `Asia/Ho_Chi_Minh` but not `Asia/Kolkata`
    /// or `Asia/Saigon`, and reads all four correctly.
    @Test(arguments: [
        ("Asia/Kolkata", "2025-11-25T05:30:00+05:30"), ("Asia/Saigon", "2025-11-25T07:00:00+07:00"),
        ("US/Eastern", "2025-11-24T19:00:00-05:00"), ("Etc/UTC", "2025-11-25T00:00:00+00:00"),
        ("Etc/GMT-8", "2025-11-25T08:00:00+08:00"),
    ])
    func acceptsEveryZoneOfTheSystemDatabase(name: String, rendered: String) throws {
        try #require(
            SystemZoneDatabase.system.hasZone(name),
            "the tz database (/usr/share/zoneinfo, package tzdata) must be installed for this test"
        )
        let zone = try #require(PlatformCalendar(identifier: name))
        #expect(zone.render(Timestamp(secondsSinceEpoch: 1_764_028_800)) == rendered)
    }

    /// The database's copies and non-zone files are not names: `right/` zones count leap seconds.
    @Test(arguments: ["right/Asia/Shanghai", "posix/Asia/Shanghai", "Asia/../Asia/Shanghai", "zone.tab", "Asia"])
    func refusesFilesOfTheDatabaseThatAreNotZoneNames(_ name: String) {
        #expect(!PlatformCalendar.isZoneName(name))
    }

    /// A suggestion is the same zone (letter case, an old alias) or a clear typo, never a
    /// neighbour with another offset: `Asia/Yangon` is two edits from `Asia/Saigon` and 30
    /// minutes behind it, `Asia/Tomsk` one edit from `Asia/Omsk` and an hour ahead.
    @Test(arguments: [
        ("asia/saigon", "Asia/Saigon"), ("Asia/Kolkatta", "Asia/Kolkata"), ("Asia/Shangai", "Asia/Shanghai"),
        ("Japan", "Asia/Tokyo"), ("Singapore", "Asia/Singapore"),
    ])
    func suggestsOnlyTheSameZoneOrAClearTypo(name: String, suggestion: String) {
        #expect(PlatformCalendar.suggestedZoneName(for: name) == suggestion)
    }

    @Test(arguments: ["Asia/Siagn", "Asia/Tmsk", "Etc/GMT+80", "Asia/Hanoi"])
    func suggestsNothingForAFarOrAmbiguousName(_ name: String) {
        #expect(PlatformCalendar.suggestedZoneName(for: name) == nil)
    }

    @Test func writesAZoneOffset() throws {
        let time = Timestamp(secondsSinceEpoch: 1_764_028_800)
        #expect(try #require(PlatformCalendar(identifier: "Asia/Kolkata")).offsetText(at: time) == "UTC+05:30")
        #expect(try #require(PlatformCalendar(identifier: "America/Chicago")).offsetText(at: time) == "UTC-06:00")
    }

    @Test func suggestsTheZoneMeant() {
        #expect(PlatformCalendar.suggestedZoneName(for: "CST") == "Asia/Shanghai")
        #expect(PlatformCalendar.suggestedZoneName(for: "asia/shanghai") == "Asia/Shanghai")
        #expect(PlatformCalendar.suggestedZoneName(for: "Etc/UTC") == "UTC")
        #expect(PlatformCalendar.suggestedZoneName(for: "EST") == nil)
    }

    @Test(arguments: [
        ("2025-11-25T00:00:00+08:00", Int64(1_764_000_000)),
        ("2025-11-24T16:00:00Z", Int64(1_764_000_000)),
        ("2025-11-24T16:00:00.250Z", Int64(1_764_000_000)),
        ("2025-11-24T11:00:00-05:00", Int64(1_764_000_000)),
    ])
    func parsesRFC3339(text: String, seconds: Int64) {
        #expect(PlatformCalendar.parseRFC3339(text) == Timestamp(secondsSinceEpoch: seconds))
    }

    /// A leap second is refused, not read as `:59`: a stamp has no second 60.
    @Test(arguments: [
        "2026-11-25T00:00:00", "2026-11-25", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "yesterday",
        "2026-11-25T00:00:60+08:00", "2016-12-31T23:59:60Z",
    ])
    func refusesTimesWithoutOffsetOrInvalid(text: String) {
        #expect(PlatformCalendar.parseRFC3339(text) == nil)
    }

    @Test(arguments: [
        ("2025-03-04", "2025-03-04"), ("2026/07/27", "2026-07-27"), ("2025/3/4", "2025-03-04"),
        ("20250304", "2025-03-04"), ("2026-07-27 14:47:18", "2026-07-27"),
    ])
    func parsesTheDayFormsOfExports(text: String, expected: String) {
        #expect(CivilDate(parsing: text)?.description == expected)
    }

    @Test(arguments: ["2025-02-29", "2025-3", "03/04/2025", "", "2025-03-04x"])
    func refusesImpossibleDays(text: String) {
        #expect(CivilDate(parsing: text) == nil)
    }

    @Test func countsDaysAcrossLeapYears() throws {
        let start = try #require(CivilDate(year: 2024, month: 2, day: 28))
        #expect(start.adding(days: 1).description == "2024-02-29")
        #expect(start.adding(days: 2).description == "2024-03-01")
        #expect(CivilDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(start.adding(days: 366).adding(days: -366) == start)
    }
}
