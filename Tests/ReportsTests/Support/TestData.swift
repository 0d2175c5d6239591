import Collector
import Reports

/// Small in-memory inputs for focused tests.
enum TestData {
    static let calendar = PlatformCalendar.beijing
    static let november = ReportPeriod(year: 2023, month: 11)!  // a valid month: proven by its literal

    static func day(_ text: String, hour: Int = 0) -> Timestamp {
        // Test literals are valid dates.
        calendar.timestamp(date: CivilDate(parsing: text)!, hour: hour)
    }

    static func entry(
        _ unit: String,
        _ category: String,
        city: String = "济南",
        students: Int? = nil,
        _ platform: Platform = .wechat,
        _ account: String,
        main: Bool = true
    ) -> RegistryEntry {
        RegistryEntry(
            unit: unit,
            category: category,
            city: city,
            students: students,
            platform: platform,
            account: account,
            name: account,
            main: main,
            line: 0
        )
    }

    static func followers(
        _ account: String,
        _ value: Int64,
        on date: String = "2023-11-30",
        _ quality: Quality = .exact,
        platform: Platform = .wechat
    ) -> Sample {
        Sample(
            time: day(date),
            platform: platform,
            account: account,
            metric: .followers,
            value: .integer(value),
            quality: quality,
            source: .api
        )
    }

    static func report(
        _ entries: [RegistryEntry],
        _ samples: [Sample],
        objects: [ContentObject] = [],
        rules: RuleSet,
        period: ReportPeriod = november,
        now: String = "2023-12-01"
    ) -> Report {
        ReportBuilder.build(
            ReportInput(
                registry: AccountRegistry(entries: entries),
                samples: samples,
                objects: objects,
                period: period,
                calendar: calendar,
                now: day(now, hour: 10)
            ),
            rules: rules
        )
    }

    static func shandong() throws -> RuleSet {
        try RuleSet.load(path: FixtureReader.repository + "/rules/shandong-2022-16.toml")
    }
}
