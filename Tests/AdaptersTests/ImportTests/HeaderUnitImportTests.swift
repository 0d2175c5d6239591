import Adapters
import Collector
import CollectorTesting
import Testing

/// Units in the headers of an export (`播放量(万)`, `完播率(%)`, `平均播放时长(分钟)`), in a
/// built-in kind and through a mapping: applied to the numbers, or the column refused, never
/// stored unscaled (docs/imports.md, "Units in headers").
struct HeaderUnitImportTests {
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory(prefix: "header-units")
    }

    private static let today = CivilDate(year: 2026, month: 11, day: 27)!

    /// Imports `text` as `export.csv` and returns `metric,value,quality` of each sample and the
    /// failures as `label|message` with the file's path as FILE.
    private func importText(
        _ text: String,
        platform: Platform,
        mapping: String? = nil
    ) throws -> (samples: [String], failures: [String]) {
        let path = try temporary.write(text, to: "export.csv")
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        try ImportFixtures.importFile(
            path,
            platform: platform,
            account: "acct",
            mapping: mapping,
            today: Self.today,
            into: batch
        )
        try batch.commit()
        return (
            sink.samples.map { "\($0.metric.rawValue),\($0.value),\($0.quality.rawValue)" },
            batch.failures.map { "\($0.label)|" + $0.message.replacing(path, with: "FILE") }
        )
    }

    @Test func appliesTheUnitsOfADouyinWorksHeader() throws {
        let result = try importText(
            "作品名称,发布时间,播放量(万),点赞量（w）,分享量(千次),评论量(条),平均播放时长(分钟),完播率(%),5s完播率（%）,"
                + "2s跳出率\n"
                + "视频A,2026-11-03 11:00:00,12,1.5,3,40,1.5,0.85,35,0.2\n"
                + "视频B,2026-11-04 11:00:00,1.2万,-,0,7,90秒,12.5%,-,-\n",
            platform: .douyin
        )
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(
            result.samples.sorted() == [
                "comments,40,exact", "comments,7,exact",
                "completion_rate,0.0085,exact", "completion_rate,0.125,exact",
                "douyin_avg_play_seconds,90,exact", "douyin_avg_play_seconds,90,exact",
                "douyin_bounce_rate_2s,0.2,exact", "douyin_completion_rate_5s,0.35,exact",
                "likes,15000,approx", "shares,0,approx", "shares,3000,approx",
                "views,12000,approx", "views,120000,approx",
            ]
        )
    }

    @Test func appliesTheUnitsOfAMappedSheet() throws {
        let result = try importText(
            "标题,发布时间,阅读量(万次),点击率(%),平均阅读时长(分钟)\n文章A,2026-11-03 11:00:00,2.5,0.85,1.5\n"
                + "文章B,2026-11-04 11:00:00,3,7.2%,0:48\n",
            platform: .toutiao,
            mapping: "toutiao_works_UNVERIFIED.toml"
        )
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(
            result.samples.sorted() == [
                "toutiao_avg_read_seconds,48,exact", "toutiao_avg_read_seconds,90,exact",
                "toutiao_ctr,0.0085,exact", "toutiao_ctr,0.072,exact",
                "views,25000,approx", "views,30000,approx",
            ]
        )
    }

    @Test func readsHoursAndMillisecondsAsSeconds() throws {
        let hours = try importText(
            "作品名称,发布时间,播放量,平均播放时长(小时)\n视频A,2026-11-03 11:00:00,100,0.5\n",
            platform: .douyin
        )
        let milliseconds = try importText(
            "作品名称,发布时间,播放量,平均播放时长(ms)\n视频A,2026-11-03 11:00:00,100,14600\n",
            platform: .douyin
        )
        #expect(hours.samples.contains("douyin_avg_play_seconds,1800,exact"))
        #expect(milliseconds.samples.contains("douyin_avg_play_seconds,14.6,exact"))
    }

    @Test func refusesAColumnWhoseUnitCannotBeAppliedAndImportsTheOthers() throws {
        let result = try importText(
            "作品名称,发布时间,播放量(十万),点赞量(%),评论量(累计)\n视频A,2026-11-03 11:00:00,1.2,3,40\n",
            platform: .douyin
        )
        #expect(result.samples == ["comments,40,exact"])
        #expect(
            result.failures == [
                "headerUnit|FILE:1: column 播放量(十万): its unit \"十万\" is not one the importer can apply (counts: 万, w, "
                    + "千, k, 百万, 千万, 亿; rates: %; durations: 分钟, 小时, 毫秒; 人, 次, 条, 个, 秒 and s change nothing), "
                    + "and its numbers stored as they are would be in the wrong unit; the column was not imported: "
                    + "convert the column to plain numbers (or to one of these units), name that unit in the header (or "
                    + "none), and import the file again",
                "headerUnit|FILE:1: column 点赞量(%): its unit \"%\" does not fit a count (a count's header may name 万, "
                    + "w, 千, k, 百万, 千万, 亿, or 人, 次, 条, 个); the column was not imported: check the header's unit, "
                    + "correct it, and import the file again",
            ]
        )
    }

    @Test func refusesAMappedColumnWhoseUnitCannotBeAppliedWithoutCallingTheSheetAMismatch() throws {
        let result = try importText(
            "标题,发布时间,阅读量(十万)\n文章A,2026-11-03 11:00:00,2.5\n",
            platform: .toutiao,
            mapping: "toutiao_works_UNVERIFIED.toml"
        )
        #expect(result.samples.isEmpty)
        #expect(result.failures.map { $0.prefix(while: { $0 != ":" }) } == ["headerUnit|FILE"])
    }
}
