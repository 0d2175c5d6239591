public import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What `collector compact` did.
///
/// Rows are counted once per partition, in its first file rewritten (configured formats
/// first): every format of a partition holds the same rows, so adding them up would count
/// each sample once per format.
public struct CompactReport: Sendable, Hashable {
    /// Partition files looked at.
    public var filesChecked = 0
    /// Files rewritten (the others were compact already, or were left alone).
    public var filesRewritten = 0
    /// Files left alone because they hold records that are not valid rows (see the log).
    public var filesSkipped = 0
    /// Formats among the files rewritten.
    public var formatsRewritten = 0
    /// Rows in the partitions rewritten, before (one file per partition).
    public var rowsRead = 0
    /// Rows in the partitions rewritten, after (one file per partition).
    public var rowsKept = 0
    /// Rows dropped because a later row of their key replaced them (a changed value).
    public var supersededDropped = 0
    /// Rows dropped because they repeated their key's value.
    public var duplicatesDropped = 0
    /// `approx` or `lower_bound` rows dropped because an `exact` value of their key outranks them.
    public var estimatesDropped = 0

    /// Creates an empty report.
    public init() {}
}

extension CompactReport: CustomStringConvertible {
    /// The line `collector compact` prints, e.g. `compact: 3 files checked, 3 rewritten (7 rows
    /// → 3 in each of 3 formats; dropped: 3 superseded values, 1 duplicate)`.
    public var description: String {
        var text = "compact: \(Self.count(filesChecked, "file")) checked, "
        text += filesRewritten == 0 ? "none rewritten" : "\(filesRewritten) rewritten"
        if filesRewritten > 0 {
            text += " (\(Self.count(rowsRead, "row")) → \(rowsKept)"
            if formatsRewritten > 1 { text += " in each of \(formatsRewritten) formats" }
            let dropped = [
                supersededDropped > 0 ? Self.count(supersededDropped, "superseded value") : nil,
                duplicatesDropped > 0 ? Self.count(duplicatesDropped, "duplicate") : nil,
                estimatesDropped > 0
                    ? Self.count(estimatesDropped, "estimate") + " outranked by an exact value" : nil,
            ].compactMap { $0 }
            text += dropped.isEmpty ? "; nothing dropped)" : "; dropped: \(dropped.joined(separator: ", ")))"
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
/// A partition's formats are replaced all together or not at all, even across a kill
/// (``CompactionMarker``): every format keeps the same rows. Only this instance's files are
/// rewritten (other shards may be writing theirs). The caller holds the run lock, so no writer
/// of this instance appends meanwhile. A file holding a record that is not a valid row is left
/// as it is, with a warning, rather than lose that record, and so are its partition's other
/// formats.
public enum Compactor {
    /// Compacts the partitions of `platforms` (every platform folder when nil or empty).
    /// - Throws: ``StorageError`` when a file cannot be read or rewritten.
    public static func compact(
        settings: CollectorSettings,
        platforms: [Platform]?,
        logger: Logger
    ) throws -> CompactReport {
        var report = CompactReport()
        var formats = Set<OutputFormat>()
        let data = settings.dataDirectory
        for platform in try DirectoryListing.platformFolders(dataDirectory: data, platforms: platforms) {
            let platformDirectory = data + "/" + platform.rawValue
            for month in try DirectoryListing.monthFolders(platformDirectory: platformDirectory) {
                try compactPartition(
                    platformDirectory + "/" + month,
                    settings: settings,
                    logger: logger,
                    report: &report,
                    formats: &formats
                )
            }
        }
        report.formatsRewritten = formats.count
        return report
    }

    /// Compacts every format of one partition, or none: each format's compacted rows go to a
    /// temporary file first (fsynced), and the temporaries are renamed together
    /// (``CompactionMarker``), so that a kill never leaves formats holding different rows. A
    /// file holding a record that is not a valid row leaves the whole partition as it is.
    private static func compactPartition(
        _ directory: String,
        settings: CollectorSettings,
        logger: Logger,
        report: inout CompactReport,
        formats: inout Set<OutputFormat>
    ) throws(StorageError) {
        // A compaction a kill cut between two renames is completed, and a write a kill cut
        // between two formats is undone, first, as a writer would.
        try CompactionMarker.complete(directory: directory, instance: settings.instance, logger: logger)
        try FlushMarker.rollBack(directory: directory, instance: settings.instance, logger: logger)
        // Every configured format made whole first, so that each is compacted from the
        // same rows (a format added since gets the rows written before it).
        try FormatFiller.fill(
            directory: directory,
            instance: settings.instance,
            formats: settings.formats,
            calendar: settings.calendar,
            logger: logger
        )
        // One partition at a time: each merger (every row of a file) is let go once its
        // temporary is written, so memory stays that of the largest file, as before.
        var pending: [(output: AtomicFileWriter, format: OutputFormat, counts: RowCounts)] = []
        var invalid = false
        do throws(StorageError) {
            for format in settings.formats + OutputFormat.allCases.filter({ !settings.formats.contains($0) }) {
                let path = directory + "/" + settings.instance + "." + format.fileExtension
                guard FileSystem.exists(path) else { continue }
                guard let outcome = try compactFile(path, format: format, calendar: settings.calendar, logger: logger)
                else { continue }
                report.filesChecked += 1
                switch outcome {
                case .compact: continue
                case .invalid: invalid = true
                case .rewritten(let output, let counts): pending.append((output, format, counts))
                }
                if invalid { break }
            }
        } catch {
            for index in pending.indices { pending[index].output.abandon() }
            throw error
        }
        if invalid {
            report.filesSkipped += 1
            for index in pending.indices { pending[index].output.abandon() }
            return
        }
        // After this, the files are in place, or (a kill) will be at the partition's next opening.
        do throws(StorageError) {
            try CompactionMarker.commit(
                temporaries: pending.map(\.output.temporaryPath),
                directory: directory,
                instance: settings.instance
            )
        } catch {
            throw error.about(.output)
        }
        // A partition's rows are counted once, in its first file rewritten.
        for (position, item) in pending.enumerated() {
            report.filesRewritten += 1
            formats.insert(item.format)
            logger.info(
                "compacted",
                metadata: [
                    "file": "\(item.output.path)", "rows_before": "\(item.counts.read)",
                    "rows_after": "\(item.counts.kept)",
                ]
            )
            guard position == 0 else { continue }
            report.rowsRead += item.counts.read
            report.rowsKept += item.counts.kept
            report.supersededDropped += item.counts.superseded
            report.duplicatesDropped += item.counts.duplicates
            report.estimatesDropped += item.counts.outranked
        }
    }

    /// What the scan of one file found.
    private enum FileOutcome {
        /// Compact already: nothing to rewrite.
        case compact
        /// Holds a record that is not a valid row: left as it is, with a warning.
        case invalid
        /// Compacted into a temporary file, fsynced, not renamed yet.
        case rewritten(AtomicFileWriter, RowCounts)
    }

    /// A rewritten file's counts (its merger, holding every row, is let go at once).
    private struct RowCounts {
        var read: Int
        var kept: Int
        var superseded: Int
        var duplicates: Int
        var outranked: Int
    }

    /// Writes the compacted rows of one file to a temporary file beside it, when it is not
    /// compact. - Returns: Nil when the file does not exist.
    private static func compactFile(
        _ path: String,
        format: OutputFormat,
        calendar: PlatformCalendar,
        logger: Logger
    ) throws(StorageError) -> FileOutcome? {
        let merger = PartitionMerger()
        guard let summary = try PartitionScanner.scan(path: path, format: format, { row, _ in merger.add(row) }) else {
            return nil
        }
        if merger.tooManyNames { throw PartitionMerger.tooManyNamesError(path) }
        if summary.invalidRows > 0 {
            logger.warning(
                """
                left a file as it is: it holds records that are not valid rows; fix or remove them, then compact \
                again (the partition's other formats are left as they are too, so that they keep the same rows)
                """,
                metadata: [
                    "file": "\(path)", "rows": "\(summary.invalidRows)",
                    "first_record": "\(summary.firstInvalidRecord ?? 0)",
                ]
            )
            return .invalid
        }
        let torn = summary.fileLength - summary.completeLength
        guard !merger.isCompact || torn > 0 else { return .compact }
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
            try output.finish()
        } catch {
            output.abandon()
            throw error.about(.output)
        }
        let counts = RowCounts(
            read: merger.rowsRead,
            kept: merger.rows.count,
            superseded: merger.superseded,
            duplicates: merger.duplicates,
            outranked: merger.outranked
        )
        return .rewritten(output, counts)
    }
}
