import Adapters
import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A Douyin 作品数据 workbook of any size, written row by row (nothing is committed: large
/// sheets are made when a test runs).
enum LargeExport {
    /// Writes `rows` works to `path`: a title row, the header, then one work a minute from
    /// 2025-03-01 00:00, with counts as numbers and as text, rates, and `-` cells.
    static func writeDouyinWorks(path: String, rows: Int) throws {
        let writer = try XLSXWriter(path: path, sheetName: "作品数据")
        try writer.append([.text("作品数据（生成）")])
        try writer.append(
            [
                "作品名称", "发布时间", "体裁", "审核状态", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率", "平均播放时长",
                "点赞量", "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量",
            ].map(XLSXWriter.Cell.text)
        )
        guard let start = CivilDate(year: 2025, month: 3, day: 1) else { return }
        for index in 0..<rows {
            let minute = index % (24 * 60)
            let day = start.adding(days: index / (24 * 60))
            let time = "\(day) " + two(minute / 60) + ":" + two(minute % 60) + ":00"
            try writer.append([
                .text("第\(index)个作品 #校园"), .text(time), .text("1-3min视频"), .text("公开"), .number(String(index * 10)),
                .number("0.0512"), .text("0.4023"), .text("-"), .number("0.3512"), .number("14.6"),
                .text(index.formatted()), .number("402"), .number("133"), .number("219"), .number("1877"),
                .number("365"),
            ])
        }
        try writer.finish()
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}

extension Int {
    /// `1234567` → `1,234,567`, as back offices write counts.
    fileprivate func formatted() -> String {
        let digits = Array(String(self))
        var text = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}

struct XLSXStreamingTests {
    private final class CountingSink: SampleSink {
        func write(_ samples: [Sample]) throws -> WriteCounts { WriteCounts(written: samples.count) }
        func writeObjects(_ objects: [ContentObject]) throws {}
        func sync() throws {}
    }

    /// The sheet part goes through a temporary file (as one above 32 MiB does) and comes out
    /// row for row.
    @Test func streamsASheetUnpackedToATemporaryFile() throws {
        let path = "/tmp/collector-streaming-\(getpid()).xlsx"
        defer { unlink(path) }
        try LargeExport.writeDouyinWorks(path: path, rows: 3000)
        var table = try XLSXTable(path: path, inMemoryLimit: 0)
        let header = try HeaderMatcher.match(&table, kinds: DouyinImporter.kinds, platform: .douyin)
        #expect(header.line == 2)
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let rows = try DouyinImporter().importRows(
            of: &table,
            header: header,
            context: ImportContext(
                file: path,
                platform: .douyin,
                calendar: ImportFixtures.calendar,
                today: try #require(CivilDate(year: 2025, month: 3, day: 10)),
                options: ImportOptions(account: "dy")
            ),
            into: batch
        )
        try batch.commit()
        #expect(rows == 3000)
        // 11 metrics a work (封面点击率 is `-`).
        #expect(sink.samples.count == 33000)
        #expect(batch.failures.isEmpty)
        let last = try #require(sink.samples.last { $0.metric == .likes })
        let id = DerivedObjectID.make(
            published: try #require(DateTimeCell("2025-03-03 01:59:00")),
            title: "第2999个作品 #校园"
        )
        #expect(ImportFixtures.line(last) == "2025-03-03T00:00:00+08:00,douyin,dy,\(id),likes,2999,exact,import")
        #expect(sink.objects.count == 3000)
    }

    private static let rows = getenv("COLLECTOR_BENCH_XLSX_ROWS").flatMap { Int(String(cString: $0)) }

    /// Off unless `COLLECTOR_BENCH_XLSX_ROWS` is set:
    ///
    ///     COLLECTOR_BENCH_XLSX_ROWS=100000 COLLECTOR_BENCH_XLSX_OUT=/tmp/works_100k.xlsx \
    ///         swift test -c release --filter XLSXStreamingTests
    ///
    /// keeps the workbook at `COLLECTOR_BENCH_XLSX_OUT` for `/usr/bin/time -v collector import`,
    /// prints rows per second, and asserts only the counts.
    @Test(.enabled(if: rows != nil, "set COLLECTOR_BENCH_XLSX_ROWS to a number of rows"))
    func importsALargeWorkbook() throws {
        let count = try #require(Self.rows)
        let path =
            getenv("COLLECTOR_BENCH_XLSX_OUT").map { String(cString: $0) } ?? "/tmp/collector-bench-\(getpid()).xlsx"
        try LargeExport.writeDouyinWorks(path: path, rows: count)
        defer { if getenv("COLLECTOR_BENCH_XLSX_OUT") == nil { unlink(path) } }
        let batch = SampleBatch(sink: CountingSink())
        let clock = ContinuousClock()
        var report: ImportReport?
        let elapsed = try clock.measure {
            report = try ImportService.importFile(
                path: path,
                platform: .douyin,
                kind: nil,
                account: "dy",
                calendar: ImportFixtures.calendar,
                importers: ImportAdapter.importers,
                into: batch
            )
            try batch.commit()
        }
        let result = try #require(report)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("xlsx import: \(result.rows) rows, \(result.samples) samples in \(seconds) s")
        #expect(result.rows == count)
        #expect(batch.counts.written == count * 11)
    }
}
