import Collector
import Reports
import Testing

struct AttainmentTests {
    @Test func yantaiCityBureauIsInTheEightHundredThousandTierAndMeetsIt() throws {
        let report = TestData.report(
            [TestData.entry("烟台市教育局", "city_bureau", city: "烟台", .wechat, "gh_yt")],
            [TestData.followers("gh_yt", 850_000)],
            rules: try TestData.shandong()
        )
        let row = try #require(report.attainment.first)
        #expect(report.attainment.count == 1)
        #expect(row.rule?.id == "SD16-BUR-B")
        #expect(row.rule?.threshold == 800_000)
        #expect(row.status == .met)
        #expect(row.projection == .reached)
        #expect(row.daysLeft == 31)
    }

    @Test func aPopulationRuleWouldPutYantaiInTheMillionTier() throws {
        // What "人口数超过700万" as a census rule would do (COUNTS_AND_TARGETS.md §4.3): the list decides.
        let text = """
            source = "census reading (wrong)"
            deadline = 2023-12-31T23:59:59+08:00
            [[rules]]
            id = "CENSUS-7M"
            category = "city_bureau"
            city_in = ["临沂", "青岛", "潍坊", "济南", "菏泽", "济宁", "烟台"]
            kind = "target"
            op = ">="
            threshold = 1000000
            """
        let report = TestData.report(
            [TestData.entry("烟台市教育局", "city_bureau", city: "烟台", .wechat, "gh_yt")],
            [TestData.followers("gh_yt", 850_000)],
            rules: try RuleSet.parse(text: text, path: "census.toml")
        )
        #expect(report.attainment.first?.status == .notMet)
    }

    @Test(arguments: [
        ("undergraduate", 20000, "SD16-UNI-A"), ("undergraduate", 19999, "SD16-UNI-B"),
        ("vocational", 12000, "SD16-VOC-A"), ("vocational", 11999, "SD16-VOC-B"),
    ])
    func studentsAtLeastIncludesTheNumber(_ category: String, _ students: Int, _ rule: String) throws {
        let report = TestData.report(
            [TestData.entry("学校", category, students: students, .wechat, "gh_x")],
            [TestData.followers("gh_x", 1000)],
            rules: try TestData.shandong()
        )
        #expect(report.attainment.map { $0.rule?.id } == [rule])
    }

    @Test func aCityWithTheShiSuffixMatchesTheRuleList() throws {
        let report = TestData.report(
            [TestData.entry("临沂市教育局", "city_bureau", city: "临沂市", .wechat, "gh_ly")],
            [TestData.followers("gh_ly", 999_000, .approx)],
            rules: try TestData.shandong()
        )
        #expect(report.attainment.first?.rule?.id == "SD16-BUR-A")
        #expect(report.attainment.first?.status == .notMet)
    }

    @Test(arguments: [
        (Rule.Aggregation.each, Int64(1_000_000), AttainmentStatus.indeterminate),
        (.any, 1_000_000, .met), (.sum, 1_500_000, .met), (.sum, 2_010_001, .notMet), (.sum, 2_000_000, .indeterminate),
    ])
    func aggregationDecidesAUnitWithTwoMainAccounts(
        _ aggregation: Rule.Aggregation,
        _ threshold: Int64,
        _ expected: AttainmentStatus
    ) {
        let rules = RuleSet(
            source: "test",
            rules: [
                Rule(
                    id: "T",
                    category: "city_bureau",
                    kind: .target,
                    comparison: .atLeast,
                    threshold: threshold,
                    aggregation: aggregation
                )
            ]
        )
        let report = TestData.report(
            [
                TestData.entry("青岛市教育局", "city_bureau", city: "青岛", .wechat, "gh_qd"),
                TestData.entry("青岛市教育局", "city_bureau", city: "青岛", .weibo, "26000"),
            ],
            [
                TestData.followers("gh_qd", 1_000_000),
                TestData.followers("26000", 1_000_000, .approx, platform: .weibo),
            ],
            rules: rules
        )
        #expect(report.attainment.count == 2)
        #expect(report.attainment.allSatisfy { $0.unitBest == 1_000_000 && $0.unitSum == 2_000_000 })
        #expect(report.units.map(\.status) == [expected])
    }

    /// `sum` with no data in any main account is NO_DATA, as `each` and `any` give: counting each
    /// as [0, ∞) would say INDETERMINATE ("obtain an exact count") of figures never collected.
    /// docs/reports.md §2.5 must say the same.
    @Test func sumWithoutAnyDataIsNoDataAndTheDocsSaySo() throws {
        let rules = RuleSet(
            source: "test",
            rules: [
                Rule(
                    id: "T",
                    category: "city_bureau",
                    kind: .target,
                    comparison: .atLeast,
                    threshold: 1_000_000,
                    aggregation: .sum
                )
            ]
        )
        let entries = [
            TestData.entry("青岛市教育局", "city_bureau", city: "青岛", .wechat, "gh_qd"),
            TestData.entry("青岛市教育局", "city_bureau", city: "青岛", .weibo, "26000"),
        ]
        #expect(TestData.report(entries, [], rules: rules).units.map(\.status) == [.noData])
        // One account with data, the other unknown: [v, ∞) can still decide MET, never NOT_MET.
        let one = TestData.report(entries, [TestData.followers("gh_qd", 400_000)], rules: rules)
        #expect(one.units.map(\.status) == [.indeterminate])

        let docs = try FixtureReader.text(FixtureReader.repository + "/docs/reports.md")
        let row = try #require(docs.split(separator: "\n").first { $0.hasPrefix("| `sum` |") })
        #expect(row.contains("NO_DATA if no account has data"), "\(row)")
    }

    @Test func unitsThatCannotBeJudgedAreListedWithTheReason() throws {
        let report = TestData.report(
            [
                TestData.entry("济南第一中学", "high_school", .wechat, "gh_a", main: false),
                TestData.entry("滨州实验小学", "primary_school", .wechat, "gh_b"),
                TestData.entry("区教育局", "county_bureau", .wechat, "gh_c"),
                TestData.entry("某学院", "undergraduate", .wechat, "gh_d"),
            ],
            [
                TestData.followers("gh_a", 90000), TestData.followers("gh_b", 31000, on: "2023-10-31"),
                TestData.followers("gh_c", 5000), TestData.followers("gh_d", 5000),
            ],
            rules: try TestData.shandong()
        )
        #expect(
            report.attainment.map(\.status) == [.missingAccount, .noData, .noRule, .noRule]
        )
        #expect(
            report.attainment.map(\.note) == [
                "no main account (main = yes) in the registry",
                "latest followers row is from 2023-10-31, before the period",
                "no follower rule for category county_bureau",
                "students unknown in the registry; the tiers of undergraduate need it",
            ]
        )
        #expect(report.attainment[0].rule?.id == "SD16-SCH-HS")
        #expect(report.attainment[2].followers == 5000)
    }

    @Test func aRuleOutsideItsEffectiveDatesIsNotApplied() throws {
        let rules = RuleSet(
            source: "test",
            rules: [
                Rule(
                    id: "LATER",
                    category: "city_bureau",
                    kind: .target,
                    comparison: .atLeast,
                    threshold: 10,
                    effectiveFrom: CivilDate(year: 2024, month: 1, day: 1)
                )
            ]
        )
        let report = TestData.report(
            [TestData.entry("市教育局", "city_bureau", .wechat, "gh_a")],
            [TestData.followers("gh_a", 100)],
            rules: rules
        )
        #expect(report.attainment.map(\.status) == [.noRule])
    }

    @Test func growthPaceGivesTheRequiredDailyGainAndTheProjectedDate() throws {
        let report = TestData.report(
            [TestData.entry("山东示例大学", "undergraduate", students: 30000, .wechat, "gh_u")],
            [TestData.followers("gh_u", 94000, on: "2023-10-31"), TestData.followers("gh_u", 97000, on: "2023-11-30")],
            rules: try TestData.shandong()
        )
        let row = try #require(report.attainment.first)
        #expect(row.status == .notMet)
        #expect(row.gap == 3000)
        #expect(row.requiredDaily == 3000.0 / 31)
        #expect(row.net30 == 3000)
        #expect(row.paceQuality == .exact)
        // 100 a day: 30 days after 2023-11-30.
        #expect(row.projection == .on(CivilDate(year: 2023, month: 12, day: 30)!))
    }

    @Test func aShrinkingAccountNeverReachesItsTarget() throws {
        let report = TestData.report(
            [TestData.entry("学院", "vocational", students: 5000, .kuaishou, "ks")],
            [
                TestData.followers("ks", 30500, on: "2023-10-31", platform: .kuaishou),
                TestData.followers("ks", 30000, platform: .kuaishou),
            ],
            rules: try TestData.shandong()
        )
        #expect(report.attainment.first?.projection == .never)
        let net30 = try #require(report.attainment.first?.net30)
        #expect(abs(net30 + 500) < 1e-9)
    }

    private static func bilibili(_ value: Int64, at time: Timestamp, _ metric: MetricName = .followers) -> Sample {
        Sample(
            time: time,
            platform: .bilibili,
            account: "208259",
            metric: metric,
            value: .integer(value),
            quality: .exact,
            source: .api
        )
    }

    private static func undergraduate(_ samples: [Sample]) throws -> AttainmentRow {
        let report = TestData.report(
            [TestData.entry("山东某大学", "undergraduate", students: 30000, .bilibili, "208259")],
            samples,
            rules: try TestData.shandong()
        )
        return try #require(report.attainment.first)
    }

    @Test func followerRowsLessThanADayApartGiveNoPace() throws {
        // +1 in 60 s is no daily growth: times 30 days it made 43,200 a month, and an ETA in days.
        let start = TestData.day("2023-11-20", hour: 10)
        let row = try Self.undergraduate([
            Self.bilibili(86231, at: start), Self.bilibili(86232, at: start.adding(seconds: 60)),
        ])
        #expect(row.status == .notMet)
        #expect(row.followers == 86232)
        #expect(row.net30 == nil)
        #expect(row.paceQuality == nil)
        #expect(row.projection == nil)
        // Nor 23 hours, in a zone without daylight saving.
        let almost = try Self.undergraduate([
            Self.bilibili(86231, at: start), Self.bilibili(86300, at: start.adding(seconds: 23 * 3600 - 1)),
        ])
        #expect(almost.net30 == nil && almost.projection == nil)
    }

    @Test func aPaceFromLessThanThirtyDaysIsMarkedAsExtrapolated() throws {
        // Five days of +100 a day, scaled to 30: a figure, but no exact one.
        let row = try Self.undergraduate([
            Self.bilibili(96000, at: TestData.day("2023-11-25")), Self.bilibili(96500, at: TestData.day("2023-11-30")),
        ])
        #expect(row.net30 == 3000)
        #expect(row.paceQuality == .approx)
        // A gap of 3,500 to 100,000 at 100 a day: 35 days after 2023-11-30.
        #expect(row.projection == .on(CivilDate(year: 2024, month: 1, day: 4)!))
        // The same from three days of follower flows; thirty days of them are exact.
        let flows = (28...30).map { Self.bilibili(100, at: TestData.day("2023-11-\($0)"), .followersNew) }
        let fromFlows = try Self.undergraduate(flows + [Self.bilibili(96500, at: TestData.day("2023-11-30"))])
        #expect(fromFlows.net30 == 3000 && fromFlows.paceQuality == .approx)
        let month = (1...30).map {
            Self.bilibili(100, at: TestData.day("2023-11-\($0 < 10 ? "0" : "")\($0)"), .followersNew)
        }
        let fromMonth = try Self.undergraduate(month + [Self.bilibili(96500, at: TestData.day("2023-11-30"))])
        #expect(fromMonth.net30 == 3000 && fromMonth.paceQuality == .exact)
    }
}
