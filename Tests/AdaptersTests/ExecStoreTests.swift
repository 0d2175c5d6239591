import Adapters
import Collector
import CollectorTesting
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The exec adapter writing into the real store: lines go from jansson's tree into the store's
/// chunks as bytes, without a `Sample` in between.
struct ExecStoreTests {
    private static let fixture: String = {
        let file = #filePath
        return file[..<(file.lastIndex(of: "/") ?? file.endIndex)] + "/Fixtures/exec/samples.sh"
    }()

    @Test func writesTheCommandsSamplesAsRowsAndSkipsThemTheSecondTime() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.path
        let counts = try await runTwice([Self.fixture], in: directory)
        #expect(counts == [WriteCounts(written: 5), WriteCounts(duplicates: 5)])
        #expect(
            readFile(directory + "/data/xiaohongshu/2026-11/main.csv")
                == "time,platform,account,object,metric,value,quality,source\n"
                + "2026-11-25T00:00:00+08:00,xiaohongshu,a1,,followers,123,exact,exec\n"
                + "2026-11-25T16:30:00+08:00,xiaohongshu,a1,2650000030_1,views,10234,exact,exec\n"
                + "2026-11-25T00:00:00+08:00,xiaohongshu,a2,,completion_rate,0.4123,exact,exec\n"
                + "2026-11-25T13:00:00+08:00,xiaohongshu,a2,,followers,12000,approx,exec\n"
                + "2026-11-25T00:00:00+08:00,xiaohongshu,a3,,xiaohongshu_collects,100001,lower_bound,exec\n"
        )
    }

    /// SPEC §5: two lines of one key (a note printed twice in one second, or listed again on
    /// the next page) are one key, the later value winning. Only that value reaches the store,
    /// so re-running unchanged output writes nothing (it wrote both rows again every run).
    @Test func aKeyPrintedTwiceInOneRunIsWrittenOnceAndNotAgainOnARerun() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let lines = [
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"likes","value":100}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"comments","value":7}"#,
            #"{"time":"2026-11-25T00:00:00.900+08:00","account":"a1","object":"n1","metric":"likes","value":101}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n2","metric":"likes","value":5}"#,
            // The page after: n1 again, unchanged, its comments approximate: 10 may be 7 rounded
            // (5 to 19, SPEC §3), so the exact one stands.
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"likes","value":101}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"comments","value":10,"quality":"approx"}"#,
        ]
        let counts = try await runTwice(["printf", "%s\n"] + lines, in: temporary.path)
        #expect(
            counts == [
                WriteCounts(written: 3, duplicates: 2, outranked: 1), WriteCounts(duplicates: 5, outranked: 1),
            ]
        )
        #expect(
            readFile(temporary.path + "/data/xiaohongshu/2026-11/main.csv")
                == "time,platform,account,object,metric,value,quality,source\n"
                + "2026-11-25T00:00:00+08:00,xiaohongshu,a1,n1,likes,101,exact,exec\n"
                + "2026-11-25T00:00:00+08:00,xiaohongshu,a1,n1,comments,7,exact,exec\n"
                + "2026-11-25T00:00:00+08:00,xiaohongshu,a1,n2,likes,5,exact,exec\n"
        )
    }

    /// A key repeated 3,000 lines later (its table of keys grown three times on the way) is
    /// still found in the chunk.
    @Test func aKeyRepeatedThousandsOfLinesLaterIsFoundAgain() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let print =
            #"printf '{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n%d","metric":"likes","value":%d}\n'"#
        let script = "i=0; while [ $i -lt 3000 ]; do \(print) $i $i; i=$((i+1)); done; \(print) 0 7"
        let counts = try await runTwice(["sh", "-c", script], in: temporary.path)
        #expect(counts == [WriteCounts(written: 3000, duplicates: 1), WriteCounts(duplicates: 3001)])
        let rows = readFile(temporary.path + "/data/xiaohongshu/2026-11/main.csv")?.split(separator: "\n") ?? []
        #expect(rows.count == 3001)
        #expect(rows.dropFirst().first == "2026-11-25T00:00:00+08:00,xiaohongshu,a1,n0,likes,7,exact,exec")
    }

    /// Runs `command` as an exec section into a store in `directory` twice; the counts of each run.
    private func runTwice(_ command: [String], in directory: String) async throws -> [WriteCounts] {
        var settings = CollectorSettings()
        settings.dataDirectory = directory + "/data"
        settings.calendar = .beijing
        let adapter = try ExecAdapter(
            configuration: AdapterConfiguration(
                type: "exec",
                name: "exec-test",
                values: ["platform": .string("xiaohongshu"), "command": .array(command.map(ConfigValue.string))],
                keyLines: ["platform": 3, "command": 4],
                baseDirectory: "."
            )
        )
        let context = AdapterContext(
            http: NoNetworkHTTP("the exec adapter makes no HTTP request"),
            state: try StateStore(directory: "/nonexistent-exec-test-state", readOnly: true),
            calendar: .beijing,
            // 2026-11-26T00:00:00+08:00: the fixtures' times (2026-11-25) are not ahead of it.
            now: { Timestamp(secondsSinceEpoch: 1_795_622_400) },
            logger: Logger(label: "exec-test") { _ in SwiftLogNoOpLogHandler() },
            isDryRun: false
        )
        var counts: [WriteCounts] = []
        for _ in 0..<2 {
            let store = try SampleStore(
                settings: settings,
                logger: Logger(label: "store") { _ in SwiftLogNoOpLogHandler() }
            )
            let batch = SampleBatch(sink: store)
            try await adapter.collect(account: "command", into: batch, context: context)
            try batch.commit()
            try store.close()
            #expect(batch.failures.isEmpty)
            counts.append(batch.counts)
        }
        return counts
    }

    private func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
