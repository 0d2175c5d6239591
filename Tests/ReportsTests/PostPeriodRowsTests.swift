import Collector
import Reports
import Testing

/// A report reads its posts' reads up to `now`, so its input holds rows stamped after the
/// period: the account figures of the period (attainment, followers, their change and pace,
/// posts, dormant spells, the followers chart) must not take any of them (docs/reports.md §4.1).
struct PostPeriodRowsTests {
    private static func sample(
        _ metric: MetricName,
        _ value: Int64,
        on date: String,
        object: String = "",
        quality: Quality = .exact
    ) -> Sample {
        Sample(
            time: TestData.day(date, hour: 12),
            platform: .wechat,
            account: "gh_a",
            object: object,
            metric: metric,
            value: .integer(value),
            quality: quality,
            source: .import
        )
    }

    private static let inPeriod: [Sample] = [
        sample(.followers, 790_000, on: "2023-10-31"),
        sample(.followers, 795_000, on: "2023-11-20"),
        sample(.followersNew, 200, on: "2023-11-20"),
        sample(.followersLost, 20, on: "2023-11-20"),
        sample(.views, 5000, on: "2023-11-09", object: "a_1"),
        sample(.likes, 50, on: "2023-11-09", object: "a_1"),
        sample(.comments, 5, on: "2023-11-09", object: "a_1"),
        sample(.shares, 9, on: "2023-11-09", object: "a_1"),
        sample(.recommends, 7, on: "2023-11-09", object: "a_1"),
    ]

    /// December rows: followers past the target, flows, a new post and `posts_new`.
    private static let later = [
        sample(.followers, 900_000, on: "2023-12-10"),
        sample(.followersNew, 90_000, on: "2023-12-10"),
        sample(.followersLost, 1, on: "2023-12-10"),
        sample(.postsNew, 1, on: "2023-12-04"),
        sample(.views, 200_000, on: "2023-12-05", object: "b_1"),
        sample(.likes, 2000, on: "2023-12-05", object: "b_1"),
        sample(.comments, 200, on: "2023-12-05", object: "b_1"),
        sample(.shares, 300, on: "2023-12-05", object: "b_1"),
        sample(.recommends, 100, on: "2023-12-05", object: "b_1"),
    ]

    private static func report(_ samples: [Sample]) -> Report {
        let rules = RuleSet(
            source: "test",
            rules: [Rule(id: "T", category: "city_bureau", kind: .target, comparison: .atLeast, threshold: 800_000)]
        )
        return TestData.report(
            [TestData.entry("单位", "city_bureau", .wechat, "gh_a")],
            samples,
            objects: [
                ContentObject(
                    platform: .wechat,
                    object: "a_1",
                    account: "gh_a",
                    publishedAt: TestData.day("2023-11-08")
                ),
                ContentObject(
                    platform: .wechat,
                    object: "b_1",
                    account: "gh_a",
                    publishedAt: TestData.day("2023-12-04")
                ),
            ],
            rules: rules,
            now: "2023-12-20"
        )
    }

    @Test func rowsAfterThePeriodLeaveItsAccountFiguresAsTheyAre() throws {
        let bounded = Self.report(Self.inPeriod)
        let widened = Self.report(Self.inPeriod + Self.later)

        let row = try #require(widened.attainment.first)
        #expect(row.followers == 795_000)
        #expect(row.status == .notMet)
        #expect(row.asOf == CivilDate(year: 2023, month: 11, day: 20))
        #expect(widened.attainment == bounded.attainment)
        #expect(widened.units == bounded.units)

        let influence = try #require(widened.influence.first)
        #expect(influence.followers == 795_000)
        #expect(influence.followerChange == 180)
        #expect(influence.posts == 1)
        #expect(influence.inputs.views == 5000)
        #expect(influence == bounded.influence.first)

        #expect(widened.activity == bounded.activity)
        #expect(widened.activity.first?.posts == 1)
        #expect(widened.followerSeries == bounded.followerSeries)
        #expect(widened.followerSeries.first?.points.count == 2)
    }
}
