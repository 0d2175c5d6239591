import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Makes every configured format of an instance's partition hold the same rows, before
/// anything is appended to it (``PartitionWriter``) or it is compacted (``Compactor``).
///
/// Rows go to every configured format as they are written, so the files agree as long as
/// `formats` does not change. A format added later (`formats = ["csv"]`, then `["csv",
/// "jsonl"]`) would start with the rows written after the change only, and a format kept
/// alone (`["jsonl"]`) would lack the rows of a file it never had. So, when a configured
/// format's file is missing or holds fewer rows than the most complete file, it is rebuilt
/// from that file, row for row in file order (superseded rows included, so "the last row of a
/// key wins" reads the same), through a temporary and a rename: a kill leaves the file whole,
/// old or new, and the next open rebuilds it again.
///
/// The most complete file is the configured format's file with the most rows; a file of a
/// format no longer configured is a source only when it was modified after every configured
/// one (``newerDroppedFormats(_:configured:)``): it stops being written when its format is
/// dropped, so it is stale once the others grow, but it holds the only copy of the rows written
/// while it was the format, when the formats were switched back.
///
/// Cost: with one format configured and no newer file of another, a few `stat` calls per
/// partition open. Otherwise one read of each configured file per partition open, counting line feeds;
/// the rows are parsed only when the counts differ. Nothing is done per row appended.
enum FormatFiller {
    /// Rebuilds the configured formats of `instance`'s files in `directory` that hold fewer
    /// rows than the most complete one.
    /// - Returns: The formats rebuilt.
    @discardableResult
    static func fill(
        directory: String,
        instance: String,
        formats: [OutputFormat],
        calendar: PlatformCalendar,
        logger: Logger
    ) throws(StorageError) -> [OutputFormat] {
        func path(_ format: OutputFormat) -> String { directory + "/" + instance + "." + format.fileExtension }
        var files: [OutputFormat: String] = [:]
        for format in OutputFormat.allCases where FileSystem.exists(path(format)) { files[format] = path(format) }
        let newer = newerDroppedFormats(files, configured: formats)
        let allPresent = formats.allSatisfy { files[$0] != nil }
        // One format, its file there, and no newer file of another: nothing to compare, nothing
        // read (the usual case, checked with a few `stat` calls on every partition open).
        if formats.count == 1, allPresent, newer.isEmpty { return [] }
        // The quick check: equal line counts (a CSV's header aside) need nothing more.
        var quick: [OutputFormat: Int] = [:]
        for format in formats + newer {
            guard let lines = try countLines(path(format)) else { continue }
            quick[format] = format == .csv ? max(0, lines - 1) : lines
        }
        let present = formats.filter { quick[$0] != nil }
        if allPresent, newer.isEmpty, Set(present.map { quick[$0]! }).count <= 1 { return [] }
        // The candidates: the configured formats' files, and the files of dropped formats
        // written after all of them (every dropped file when no configured one exists).
        let candidates = present + newer
        var rows: [OutputFormat: Int] = [:]
        for format in Set(candidates) {
            rows[format] = try PartitionScanner.scan(path: path(format), format: format) { _, _ in }?.rows ?? 0
        }
        guard let source = candidates.max(by: { rows[$0]! < rows[$1]! }), rows[source]! > 0 else { return [] }
        var rebuilt: [OutputFormat] = []
        for format in formats where format != source && (rows[format] ?? 0) < rows[source]! {
            try rebuild(path(format), format: format, from: path(source), sourceFormat: source, calendar: calendar)
            logger.notice(
                "filled a format from another: it lacked rows the other holds (formats changed)",
                metadata: [
                    "file": "\(path(format))", "from": "\(path(source))",
                    "rows_before": "\(rows[format] ?? 0)", "rows_after": "\(rows[source]!)",
                ]
            )
            rebuilt.append(format)
        }
        return rebuilt
    }

    /// Writes the valid rows of `source` (in `sourceFormat`) to `path` in `format`, replacing it
    /// atomically.
    private static func rebuild(
        _ path: String,
        format: OutputFormat,
        from source: String,
        sourceFormat: OutputFormat,
        calendar: PlatformCalendar
    ) throws(StorageError) {
        var output = try AtomicFileWriter(path: path)
        var times = TimeRenderer(calendar: calendar)
        var failure: StorageError?
        do throws(StorageError) {
            if format == .csv { ByteText.append(CSVFormat.headerText, to: &output.bytes) }
            _ = try PartitionScanner.scan(path: source, format: sourceFormat) { parts, _ in
                guard failure == nil else { return }
                switch format {
                case .csv: CSVFormat.appendRow(parts, times: &times, to: &output.bytes)
                case .jsonl: JSONLinesFormat.appendRow(parts, times: &times, to: &output.bytes)
                case .influx: LineProtocolFormat.appendRow(parts, to: &output.bytes)
                }
                if output.bytes.count >= 1 << 20 {
                    do throws(StorageError) { try output.writePending() } catch { failure = error }
                }
            }
            if let failure { throw failure }
            try output.commit()
        } catch {
            output.abandon()
            throw error
        }
    }

    /// The formats of `files` (an instance's partition files by format) that are not in
    /// `configured` and were modified after every configured format's file (all of them when no
    /// configured one has a file). Such a file holds rows the configured ones lack: the formats
    /// were switched and switched back (`csv` → `jsonl` → `csv`), and the rows of the `jsonl`
    /// time are only there. An older dropped file is stale and never read.
    static func newerDroppedFormats(_ files: [OutputFormat: String], configured: [OutputFormat]) -> [OutputFormat] {
        let newestConfigured = configured.compactMap { files[$0].flatMap(FileDigest.modificationTime(of:)) }.max()
        return OutputFormat.allCases.filter { format in
            guard !configured.contains(format), let path = files[format],
                let modified = FileDigest.modificationTime(of: path)
            else { return false }
            return newestConfigured.map { modified > $0 } ?? true
        }
    }

    /// The number of line feeds in the file at `path`; nil when there is no such file.
    static func countLines(_ path: String) throws(StorageError) -> Int? {
        guard let fd = try DataFolder.openFile(path, O_RDONLY) else { return nil }
        defer { FileSystem.closeDescriptor(fd) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(PartitionScanner.chunkSize)
        var lines = 0
        while true {
            buffer.removeAll(keepingCapacity: true)
            guard try FileSystem.readChunk(fd, appendingTo: &buffer, upTo: PartitionScanner.chunkSize, path: path) > 0
            else { return lines }
            buffer.withUnsafeBytes { bytes in
                var start = bytes.baseAddress!
                var left = bytes.count
                while left > 0, let found = memchr(start, 0x0A, left) {
                    lines += 1
                    let next = UnsafeRawPointer(found) + 1
                    left -= next - start
                    start = next
                }
            }
        }
    }
}
