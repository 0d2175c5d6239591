import Adapters
import Collector
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Measures the 已通知内容 import path (read, decode, parse, map, batch) against a sink that only
/// counts. Off unless `COLLECTOR_BENCH_NOTIFIED` names a generated export:
///
///     python3 bench/gen.py wechat-notified 1000000 /tmp/notified_1m.csv
///     COLLECTOR_BENCH_NOTIFIED=/tmp/notified_1m.csv swift test -c release --filter ImportBenchmarkTests
///
/// It reports rows per second; it asserts only the counts, never a time.
struct ImportBenchmarkTests {
    private final class CountingSink: SampleSink {
        func write(_ samples: [Sample]) throws -> WriteCounts { WriteCounts(written: samples.count) }
        func writeObjects(_ objects: [ContentObject]) throws {}
        func sync() throws {}
    }

    private static let input = getenv("COLLECTOR_BENCH_NOTIFIED").map { String(cString: $0) }

    @Test(.enabled(if: input != nil, "set COLLECTOR_BENCH_NOTIFIED to a generated export"))
    func importsTheNotifiedArticlesBenchmark() throws {
        let path = try #require(Self.input)
        let batch = SampleBatch(sink: CountingSink())
        let clock = ContinuousClock()
        var report: ImportReport?
        let elapsed = try clock.measure {
            report = try ImportService.importFile(
                path: path,
                platform: .wechat,
                kind: nil,
                account: "gh_0123456789ab",
                calendar: ImportFixtures.calendar,
                importers: ImportAdapter.importers,
                into: batch
            )
            try batch.commit()
        }
        let result = try #require(report)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "notified import: \(result.rows) articles, \(result.samples) rows in \(seconds) s: "
                + "\(Int(Double(result.samples) / seconds)) rows/s, \(Int(Double(result.rows) / seconds)) articles/s"
        )
        #expect(batch.counts.written == result.samples)
    }
}
