import Adapters
import Collector
import CollectorTesting

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A sink that fails every write, as a full disk would.
struct FailingSink: SampleSink {
    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "No space left on device" }
    }

    func write(_ samples: [Sample]) throws -> WriteCounts { throw DiskFull() }
    func writeObjects(_ objects: [ContentObject]) throws { throw DiskFull() }
    func sync() throws {}
}

enum ImportFixtures {
    /// The absolute path of `Fixtures/wechat/<name>`.
    static func wechat(_ name: String) -> String {
        path("wechat/" + name)
    }

    /// The absolute path of `Fixtures/<relative>`.
    static func path(_ relative: String) -> String {
        let here = #filePath
        let testsFolder = here.split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
            .joined(separator: "/")
        return testsFolder + "/Fixtures/" + relative
    }

    /// The absolute path of `samples/mappings/<name>` in the repository.
    static func mapping(_ name: String) -> String {
        let here = #filePath
        let root = here.split(separator: "/", omittingEmptySubsequences: false).dropLast(4).joined(separator: "/")
        return root + "/samples/mappings/" + name
    }

    /// Whether golden tests write their expected files instead of only comparing
    /// (`COLLECTOR_RECORD_GOLDEN=1`; review the diff before committing).
    static let recording = getenv("COLLECTOR_RECORD_GOLDEN") != nil

    /// The lines of a text file, without the trailing empty one; none when it does not exist.
    static func lines(of path: String) -> [String] {
        guard let bytes = try? FileSystem.readFileIfPresent(path) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Writes `lines` to `path` (removes it when there are none).
    static func record(_ lines: [String], to path: String) throws {
        guard !lines.isEmpty else {
            unlink(path)
            return
        }
        let text = lines.joined(separator: "\n") + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    }

    /// A catalogue row as `object|account|published_at|title|url`.
    static func objectLine(_ object: ContentObject) -> String {
        [
            object.object, object.account, object.publishedAt.map { calendar.render($0) } ?? "", object.title,
            object.url,
        ].joined(separator: "|")
    }

    static let calendar = PlatformCalendar(identifier: "Asia/Shanghai")!

    /// A sample as a SPEC §3 CSV line (the ids and values of these tests need no quoting).
    static func line(_ sample: Sample, calendar: PlatformCalendar = calendar) -> String {
        [
            calendar.render(sample.time), sample.platform.rawValue, sample.account, sample.object,
            sample.metric.rawValue, sample.value.description, sample.quality.rawValue, sample.source.rawValue,
        ].joined(separator: ",")
    }

    /// Imports `path` into a fresh in-memory batch and commits it.
    static func importFile(
        _ path: String,
        platform: Platform = .wechat,
        kind: String? = nil,
        account: String? = "gh_test",
        calendar: PlatformCalendar = calendar
    ) throws -> (report: ImportReport, sink: InMemorySink, batch: SampleBatch) {
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink, chunkSize: 7)
        let report = try ImportService.importFile(
            path: path,
            platform: platform,
            kind: kind,
            account: account,
            calendar: calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        return (report, sink, batch)
    }

    /// Imports `path` into `batch` as `collector import --platform … [--account …] [--mapping …]`
    /// would on `today`, `mapping` naming a shipped mapping (``mapping(_:)``); commits nothing.
    @discardableResult
    static func importFile(
        _ path: String,
        platform: Platform,
        account: String?,
        mapping: String? = nil,
        today: CivilDate,
        into batch: SampleBatch
    ) throws -> ImportReport {
        try ImportService.importFile(
            path: path,
            platform: platform,
            options: ImportOptions(
                account: account,
                mapping: try mapping.map { try ColumnMapping.load(path: Self.mapping($0), platform: platform) },
                today: today
            ),
            calendar: calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
    }

    /// The error `body` throws, as an ImportError.
    static func importError(_ body: () throws -> Void) -> ImportError? {
        do {
            try body()
            return nil
        } catch let error as ImportError {
            return error
        } catch {
            return nil
        }
    }
}

/// Every row of `table`.
func allRows(_ table: inout some Table) throws -> [TableRow] {
    var rows: [TableRow] = []
    while let row = try table.nextRow() { rows.append(row) }
    return rows
}
