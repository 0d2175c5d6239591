import Collector
import Testing

/// Units in column headers (`播放量(万)`, `完播率(%)`, `平均播放时长(分钟)`): what each means for a
/// column, and how a cell is read under it (docs/imports.md, "Units in headers").
struct HeaderUnitTests {
    @Test(
        arguments: [
            ("播放量(万)", ValueKind.count, HeaderUnit.count(.wan)),
            ("播放量（W）", .count, .count(.wan)),
            ("播放量(万次)", .count, .count(.wan)),
            ("阅读人数（单位：万人）", .count, .count(.wan)),
            ("播放量(千)", .count, .count(.thousand)),
            ("播放量(k)", .count, .count(.thousand)),
            ("播放量(亿)", .count, .count(.yi)),
            ("播放量(百万)", .count, .count(.million)),
            ("完播率(%)", .rate, .percent),
            ("完播率（％）", .rate, .percent),
            ("平均播放时长(分钟)", .seconds, .duration(.minutes)),
            ("平均播放时长(min)", .seconds, .duration(.minutes)),
            ("平均播放时长(小时)", .seconds, .duration(.hours)),
            ("平均播放时长(毫秒)", .seconds, .duration(.milliseconds)),
            ("平均播放时长(ms)", .seconds, .duration(.milliseconds)),
        ] as [(String, ValueKind, HeaderUnit)]
    )
    func appliesAUnitThatScales(header: String, kind: ValueKind, unit: HeaderUnit) {
        #expect(HeaderUnit.reading(header: header, as: kind) == .unit(unit))
    }

    @Test(
        arguments: [
            ("播放量", ValueKind.count), ("新关注人数(人)", .count), ("播放量(次)", .count), ("评论(条)", .count),
            ("作品数(个)", .count), ("平均播放时长(秒)", .seconds), ("平均停留时长(s)", .seconds),
            ("播放量(累计)", .count), ("阅读量（去重）", .count), ("(万)", .count),
        ] as [(String, ValueKind)]
    )
    func readsAUnitThatDoesNotScaleOrWordsThatNameNoUnitAsBefore(header: String, kind: ValueKind) {
        #expect(HeaderUnit.reading(header: header, as: kind) == .none)
    }

    /// A bracket that explains the column in words is a note, not a unit, although it speaks
    /// of a day (日, 天) or a time (时): the template's own `发文总数（截至该日累计）` was refused
    /// as the unit "截至该日累计" until session 15. A unit of time alone, or with a scale, a sign
    /// or a duration word, is still refused.
    @Test(
        arguments: [
            ("发文总数（截至该日累计）", ValueKind.count, true), ("当日阅读量（该日一天）", .count, true),
            ("粉丝总数（该日总数）", .count, true), ("阅读量(当日)", .count, true), ("播放量（实时）", .count, true),
            ("播放量(天)", .count, false), ("平均播放时长(日)", .seconds, false), ("播放量(小时次)", .count, false),
            ("播放量(次/日)", .count, false), ("播放量(万/天)", .count, false), ("平均播放时长(分钟/次)", .seconds, false),
            ("播放量(2026年)", .count, false), ("完播率(百分比)", .rate, false), ("金额(元)", .count, false),
        ] as [(String, ValueKind, Bool)]
    )
    func readsANoteInWordsAsNoUnitButRefusesAUnitOfTime(header: String, kind: ValueKind, isNote: Bool) {
        let reading = HeaderUnit.reading(header: header, as: kind)
        if isNote {
            #expect(reading == .none)
        } else if case .refused = reading {
        } else {
            Issue.record("\(header) was read as \(reading), not refused")
        }
    }

    @Test func refusesAUnitItCannotApplyNamingIt() throws {
        guard case .refused(let reason) = HeaderUnit.reading(header: "播放量(十万)", as: .count) else {
            Issue.record("播放量(十万) was not refused")
            return
        }
        #expect(
            reason
                == "its unit \"十万\" is not one the importer can apply (counts: 万, w, 千, k, 百万, 千万, 亿; rates: %; "
                + "durations: 分钟, 小时, 毫秒; 人, 次, 条, 个, 秒 and s change nothing), and its numbers stored as they "
                + "are would be in the wrong unit; the column was not imported: convert the column to plain numbers (or "
                + "to one of these units), name that unit in the header (or none), and import the file again"
        )
        for (header, kind) in [("完播率(‰)", ValueKind.rate), ("平均播放时长(天)", .seconds), ("播放量(PV)", .count)] {
            guard case .refused = HeaderUnit.reading(header: header, as: kind) else {
                Issue.record("\(header) was not refused")
                continue
            }
        }
    }

    @Test func refusesAUnitThatDoesNotFitTheColumn() {
        #expect(
            HeaderUnit.reading(header: "播放量(%)", as: .count)
                == .refused(
                    reason: "its unit \"%\" does not fit a count (a count's header may name 万, w, 千, k, 百万, 千万, 亿, "
                        + "or 人, 次, 条, 个); the column was not imported: check the header's unit, correct it, and "
                        + "import the file again"
                )
        )
        #expect(HeaderUnit.reading(header: "完播率(万)", as: .rate) != .none)
        #expect(HeaderUnit.reading(header: "平均播放时长(%)", as: .seconds) != .none)
    }

    // MARK: - Cells under a unit

    @Test func readsACountInTheHeadersUnitAsAnApproximateValue() throws {
        let twelve = try #require(CountString.parse("12", headerUnit: .wan).count)
        #expect(twelve.point == 120_000)
        #expect(twelve.quality == .approx)
        #expect(twelve.interval == ValueInterval(lo: 115_000, hi: 130_000))
        // Literal decimals and no unit switch, whatever the profile says of the platform's display.
        let half = try #require(CountString.parse("0.5", profile: .weiboDisplay, headerUnit: .wan).count)
        #expect(half.point == 5000)
        #expect(!half.isInconsistent)
        #expect(
            try #require(CountString.parse("12", profile: .weiboDisplay, headerUnit: .wan).count).step.description
                == "10000"
        )
        // A unit of the cell's own wins; a `+` stays a lower bound.
        #expect(CountString.parse("1.2万", headerUnit: .wan).count?.point == 12000)
        #expect(CountString.parse("10+", headerUnit: .wan).count?.quality == .lowerBound)
        #expect(CountString.parse("10+", headerUnit: .wan).count?.point == 100_000)
        #expect(CountString.parse("3", headerUnit: .thousand).count?.point == 3000)
        #expect(CountString.parse("12", headerUnit: nil).count?.quality == .exact)
    }

    @Test(arguments: [("0.85", "0.0085"), ("85", "0.85"), ("0.85%", "0.0085"), ("-", nil)] as [(String, String?)])
    func readsARateUnderAPercentHeaderAsAPercentage(cell: String, fraction: String?) {
        #expect(MeasureString.fraction(cell, percentHeader: true).value?.description == fraction)
    }

    @Test(
        arguments: [
            ("1.5", DurationUnit.minutes, "90"), ("2", .hours, "7200"), ("1500", .milliseconds, "1.5"),
            ("83.5", .milliseconds, "0.0835"), ("1分30秒", .minutes, "90"), ("0:48", .minutes, "48"),
            ("90s", .hours, "90"),
        ] as [(String, DurationUnit, String)]
    )
    func readsABareDurationInTheHeadersUnit(cell: String, unit: DurationUnit, seconds: String) {
        #expect(MeasureString.seconds(cell, headerUnit: unit).value?.description == seconds)
    }
}
