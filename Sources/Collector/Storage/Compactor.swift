public import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What `collector compact` did.
public struct CompactReport: Sendable, Hashable {
    /// Partition files looked at.
    public var filesChecked = 0
    /// Files rewritten (the others were compact already, or were left alone).
    public var filesRewritten = 0
    /// Files left alone because they hold records that are not valid rows (see the log).
    public var filesSkipped = 0
    /// Rows in the files rewritten, before.
    public var rowsRead = 0
    /// Rows in the files rewritten, after.
    public var rowsKept = 0

    /// Creates an empty report.
    public init() {}
}

extension CompactReport: CustomStringConvertible {
    /// The line `collector compact` prints, e.g. `compact: 2 files checked, 1 rewritten (7 rows
    /// → 3, 4 duplicates dropped)`.
    public var description: String {
        var text = "compact: \(Self.count(filesChecked, "file")) checked, "
        text += filesRewritten == 0 ? "none rewritten" : "\(filesRewritten) rewritten"
        if filesRewritten > 0 {
            let dropped = rowsRead - rowsKept
            text += " (\(Self.count(rowsRead, "row")) → \(rowsKept), \(Self.count(dropped, "duplicate")) dropped)"
        }
        if filesSkipped > 0 {
            text += "; \(filesSkipped) left as \(filesSkipped == 1 ? "it was" : "they were"): "
            text += "records that are not valid rows, see the warnings above"
        }
        return text
    }

    private static func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }
}

/// `collector compact` (SPEC §1): rewrites this instance's partition files atomically with one
/// row per key (the last one wins; an `approx` or `lower_bound` row replaces an `exact` one
/// only when it disproves it, ``KeyPrecedence``), sorted by time, rows of one time in the
/// order their keys first appeared. Rows are written anew in the file's format, so a row
/// another tool wrote (a `Z` time, CRLF) comes out in the SPEC §3 form.
///
/// Only this instance's files are rewritten (other shards may be writing theirs). The caller
/// holds the run lock, so no writer of this instance appends meanwhile. A file holding a record
/// that is not a valid row is left as it is, with a warning, rather than lose that record.
public enum Compactor {
    /// Compacts the partitions of `platforms` (every platform folder when nil or empty).
    /// - Throws: ``StorageError`` when a file cannot be read or rewritten.
    public static func compact(
        settings: CollectorSettings,
        platforms: [Platform]?,
        logger: Logger
    ) throws -> CompactReport {
        var report = CompactReport()
        let data = settings.dataDirectory
        for platform in try DirectoryListing.platformFolders(dataDirectory: data, platforms: platforms) {
            let platformDirectory = data + "/" + platform.rawValue
            for month in try DirectoryListing.monthFolders(platformDirectory: platformDirectory) {
                // A write a kill cut between two formats is undone first, as a writer would.
                try FlushMarker.rollBack(
                    directory: platformDirectory + "/" + month,
                    instance: settings.instance,
                    logger: logger
                )
                // Every configured format made whole first, so that each is compacted from the
                // same rows (a format added since gets the rows written before it).
                try FormatFiller.fill(
                    directory: platformDirectory + "/" + month,
                    instance: settings.instance,
                    formats: settings.formats,
                    calendar: settings.calendar,
                    logger: logger
                )
                for format in OutputFormat.allCases {
                    let path = platformDirectory + "/" + month + "/" + settings.instance + "." + format.fileExtension
                    guard FileSystem.exists(path) else { continue }
                    try compactFile(path, format: format, calendar: settings.calendar, logger: logger, report: &report)
                }
            }
        }
        return report
    }

    private static func compactFile(
        _ path: String,
        format: OutputFormat,
        calendar: PlatformCalendar,
        logger: Logger,
        report: inout CompactReport
    ) throws(StorageError) {
        let merger = PartitionMerger()
        guard let summary = try PartitionScanner.scan(path: path, format: format, { row, _ in merger.add(row) }) else {
            return
        }
        if merger.tooManyNames { throw PartitionMerger.tooManyNamesError(path) }
        report.filesChecked += 1
        if summary.invalidRows > 0 {
            report.filesSkipped += 1
            logger.warning(
                "left a file as it is: it holds records that are not valid rows; fix or remove them, then compact again",
                metadata: [
                    "file": "\(path)", "rows": "\(summary.invalidRows)",
                    "first_record": "\(summary.firstInvalidRecord ?? 0)",
                ]
            )
            return
        }
        let torn = summary.fileLength - summary.completeLength
        guard !merger.isCompact || torn > 0 else { return }
        if torn > 0 {
            logger.warning("dropped a torn last line", metadata: ["file": "\(path)", "bytes": "\(torn)"])
        }
        // The rewrite replaces the file whole: a full disk keeps the original as it was.
        var output: AtomicFileWriter
        do throws(StorageError) {
            output = try AtomicFileWriter(path: path)
        } catch {
            throw error.about(.output)
        }
        var times = TimeRenderer(calendar: calendar)
        do throws(StorageError) {
            if format == .csv { ByteText.append(CSVFormat.headerText, to: &output.bytes) }
            for row in merger.sortedRows() {
                merger.tables.withRowParts(of: row) { parts in
                    switch format {
                    case .csv: CSVFormat.appendRow(parts, times: &times, to: &output.bytes)
                    case .jsonl: JSONLinesFormat.appendRow(parts, times: &times, to: &output.bytes)
                    case .influx: LineProtocolFormat.appendRow(parts, to: &output.bytes)
                    }
                }
                if output.bytes.count >= 1 << 20 { try output.writePending() }
            }
            try output.commit()
        } catch {
            output.abandon()
            throw error.about(.output)
        }
        report.filesRewritten += 1
        report.rowsRead += merger.rowsRead
        report.rowsKept += merger.rows.count
        logger.info(
            "compacted",
            metadata: ["file": "\(path)", "rows_before": "\(merger.rowsRead)", "rows_after": "\(merger.rows.count)"]
        )
    }
}
