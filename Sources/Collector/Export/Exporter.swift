public import Logging

/// An output format of `collector export` (SPEC §1).
public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    /// SPEC §3 CSV, with the header.
    case csv
    /// SPEC §3 JSON Lines.
    case jsonl
    /// SPEC §3 Influx line protocol (seconds).
    case influx
    /// OpenMetrics text, grouped by family, ending with `# EOF`.
    case openmetrics
}

/// `collector export` (SPEC §1): a whole range of the store as one file for another tool.
///
/// Reads one file of every instance in the selected partitions (the first configured format
/// it has, ``currentFiles(in:formats:)``), keeps one row per key as readers must (the last one
/// wins; an `approx` or `lower_bound` row replaces an `exact` one only when it disproves it,
/// ``KeyPrecedence``), and writes them by platform, month and time. Memory: one partition at a
/// time (about 50 bytes a row); OpenMetrics, which must group each family over the whole range,
/// also writes every row (40 bytes) to a temporary file in `TMPDIR` and merges the months back
/// from it (``OpenMetricsSpill``).
public enum Exporter {
    /// Writes the rows of `platforms` (every platform folder when empty) whose time falls on a
    /// calendar day from `from` to `to` (inclusive; open when nil) to `fileDescriptor`.
    /// - Parameter outputName: What `fileDescriptor` writes to, named by an error writing it
    ///   (the file `-o` names, not the temporary that would replace it).
    /// - Returns: the number of rows (samples) written.
    /// - Throws: ``StorageError`` when a file cannot be read or the output written; one about
    ///   the output is of kind ``StorageError/FileKind/output``.
    public static func export(
        settings: CollectorSettings,
        format: ExportFormat,
        from: CivilDate?,
        to: CivilDate?,
        platforms: [Platform],
        fileDescriptor: Int32,
        outputName: String = "standard output",
        logger: Logger? = nil
    ) throws -> Int {
        try export(
            settings: settings,
            format: format,
            from: from,
            to: to,
            platforms: platforms,
            fileDescriptor: fileDescriptor,
            outputName: outputName,
            logger: logger,
            openMetricsInMemory: false
        )
    }

    /// ``export(settings:format:from:to:platforms:fileDescriptor:logger:)``, with OpenMetrics
    /// grouped in memory (``OpenMetricsFormat/Collection``, 32 bytes a row) instead of through
    /// a temporary file when `openMetricsInMemory`: the reference the tests compare with.
    static func export(
        settings: CollectorSettings,
        format: ExportFormat,
        from: CivilDate?,
        to: CivilDate?,
        platforms: [Platform],
        fileDescriptor: Int32,
        outputName: String = "standard output",
        logger: Logger?,
        openMetricsInMemory: Bool
    ) throws -> Int {
        var output = Output(descriptor: fileDescriptor, name: outputName)
        var times = TimeRenderer(calendar: settings.calendar)
        let tables = PartitionMerger.Tables()
        // OpenMetrics groups each family over the whole range: sorted runs in a temporary file.
        let spill = format == .openmetrics && !openMetricsInMemory ? try OpenMetricsSpill(tables: tables) : nil
        var collection = OpenMetricsFormat.Collection(tables: tables)
        var written = 0

        if format == .csv { ByteText.append(CSVFormat.headerText, to: &output.bytes) }
        try forEachPartition(
            settings: settings,
            from: from,
            to: to,
            platforms: platforms,
            tables: tables,
            logger: logger
        ) {
            merger throws(StorageError) in
            written += merger.rows.count
            if let spill {
                try spill.add(merger.rows)
                return
            }
            guard format != .openmetrics else {
                collection.add(merger.rows)
                return
            }
            for row in merger.sortedRows() {
                tables.withRowParts(of: row) { parts in
                    switch format {
                    case .csv: CSVFormat.appendRow(parts, times: &times, to: &output.bytes)
                    case .jsonl: JSONLinesFormat.appendRow(parts, times: &times, to: &output.bytes)
                    case .influx, .openmetrics: LineProtocolFormat.appendRow(parts, to: &output.bytes)
                    }
                }
                if output.bytes.count >= 1 << 20 { try output.writePending() }
            }
        }
        if let spill {
            try output.writePending()
            try spill.write { bytes throws(StorageError) in
                try Output.write(bytes, to: fileDescriptor, name: outputName)
                bytes.removeAll(keepingCapacity: true)
            }
        } else if format == .openmetrics {
            try output.writePending()
            try collection.write { bytes throws(StorageError) in
                try Output.write(bytes, to: fileDescriptor, name: outputName)
                bytes.removeAll(keepingCapacity: true)
            }
        } else {
            try output.writePending()
        }
        return written
    }

    /// The samples of `platforms` (every platform folder when empty) on the days `from` to `to`,
    /// one per key as readers take them (the last row wins; exact is replaced by an estimate
    /// only when the estimate disproves it), sorted by platform, month and time: the input of reports. Only the samples
    /// `include` accepts are kept, so that a caller that needs a few series of a long range
    /// does not hold all of it.
    /// - Throws: ``StorageError`` when a file cannot be read.
    public static func samples(
        settings: CollectorSettings,
        from: CivilDate?,
        to: CivilDate?,
        platforms: [Platform],
        logger: Logger? = nil,
        where include: (Sample) -> Bool = { _ in true }
    ) throws -> [Sample] {
        var samples: [Sample] = []
        try forEachSample(settings: settings, from: from, to: to, platforms: platforms, logger: logger) { sample in
            if include(sample) { samples.append(sample) }
        }
        return samples
    }

    /// Calls `body` with each sample ``samples(settings:from:to:platforms:logger:where:)`` would
    /// return, in the same order, and keeps none of them: a caller that needs a few facts of a
    /// long range (the latest row of each series, the first time each object was seen) holds
    /// one month partition at a time, not the range.
    /// - Throws: ``StorageError`` when a file cannot be read.
    public static func forEachSample(
        settings: CollectorSettings,
        from: CivilDate?,
        to: CivilDate?,
        platforms: [Platform],
        logger: Logger? = nil,
        _ body: (Sample) -> Void
    ) throws(StorageError) {
        let tables = PartitionMerger.Tables()
        try forEachPartition(
            settings: settings,
            from: from,
            to: to,
            platforms: platforms,
            tables: tables,
            logger: logger
        ) {
            merger throws(StorageError) in
            for row in merger.sortedRows() { body(tables.withRowParts(of: row) { $0.sample }) }
        }
    }

    /// The platforms whose folder holds at least one month partition, in name order: what an
    /// empty export names, so that a misspelt `--platform` does not pass for "no data".
    /// - Throws: ``StorageError`` when the data folder cannot be listed.
    public static func platformsWithData(settings: CollectorSettings) throws(StorageError) -> [Platform] {
        let data = settings.dataDirectory
        var found: [Platform] = []
        for platform in try DirectoryListing.platformFolders(dataDirectory: data, platforms: nil)
        where try !DirectoryListing.monthFolders(platformDirectory: data + "/" + platform.rawValue).isEmpty {
            found.append(platform)
        }
        return found
    }

    /// The content catalogue rows of `platforms` (every platform folder when empty).
    /// - Throws: ``StorageError`` when a catalogue cannot be read.
    public static func objects(settings: CollectorSettings, platforms: [Platform]) throws -> [ContentObject] {
        var objects: [ContentObject] = []
        let data = settings.dataDirectory
        for platform in try DirectoryListing.platformFolders(dataDirectory: data, platforms: platforms) {
            let path = data + "/" + platform.rawValue + "/" + ObjectCatalogue.fileName
            for fields in try ObjectCatalogue.read(path) where fields.count >= 5 {
                objects.append(
                    ContentObject(
                        platform: platform,
                        object: fields[0],
                        account: fields[1],
                        publishedAt: PlatformCalendar.parseRFC3339(fields[2]),
                        title: fields[3],
                        url: fields[4]
                    )
                )
            }
        }
        return objects
    }

    /// Calls `body` with the merged rows of every selected partition, one partition at a time.
    private static func forEachPartition(
        settings: CollectorSettings,
        from: CivilDate?,
        to: CivilDate?,
        platforms: [Platform],
        tables: PartitionMerger.Tables,
        logger: Logger?,
        _ body: (PartitionMerger) throws(StorageError) -> Void
    ) throws(StorageError) {
        let calendar = settings.calendar
        let firstMonth = from.map { $0.year * 12 + $0.month - 1 } ?? Int.min
        let lastMonth = to.map { $0.year * 12 + $0.month - 1 } ?? Int.max
        let data = settings.dataDirectory
        for platform in try DirectoryListing.platformFolders(dataDirectory: data, platforms: platforms) {
            let platformDirectory = data + "/" + platform.rawValue
            for month in try DirectoryListing.monthFolders(platformDirectory: platformDirectory) {
                guard let number = monthNumber(month), number >= firstMonth, number <= lastMonth else { continue }
                let directory = platformDirectory + "/" + month
                let merger = PartitionMerger(tables: tables)
                for (path, format) in try currentFiles(in: directory, formats: settings.formats) {
                    let summary = try PartitionScanner.scan(path: path, format: format) { row, _ in
                        if from != nil || to != nil {
                            let day = calendar.civilDate(of: row.time)
                            if let from, day < from { return }
                            if let to, day > to { return }
                        }
                        merger.add(row)
                    }
                    if let summary, summary.invalidRows > 0 {
                        logger?.warning(
                            "skipped records that are not valid rows",
                            metadata: [
                                "file": "\(path)", "rows": "\(summary.invalidRows)",
                                "first_record": "\(summary.firstInvalidRecord ?? 0)",
                            ]
                        )
                    }
                }
                if merger.tooManyNames { throw PartitionMerger.tooManyNamesError(directory) }
                try body(merger)
            }
        }
    }

    /// The file to read of each instance's files in a partition folder (`main.csv`,
    /// `main-shard-0.jsonl`, …): the first of the configured `formats` it has, which is current
    /// (FormatFiller keeps the configured formats alike); else, for an instance whose files are
    /// all of formats no longer configured (another instance's, or this one's before a change),
    /// or that has a dropped format's file written after its configured ones (formats switched
    /// back, not yet filled: ``FormatFiller/newerDroppedFormats(_:configured:)``), the one of
    /// those files with the most lines, as a dropped format's file stops growing.
    static func currentFiles(
        in directory: String,
        formats: [OutputFormat]
    ) throws(StorageError) -> [(path: String, format: OutputFormat)] {
        var byInstance: [String: [OutputFormat: String]] = [:]
        for format in OutputFormat.allCases {
            let suffix = "." + format.fileExtension
            for path in try DirectoryListing.partitionFiles(in: directory, fileExtension: format.fileExtension) {
                byInstance[String(path.dropLast(suffix.count)), default: [:]][format] = path
            }
        }
        var chosen: [(path: String, format: OutputFormat)] = []
        for instance in byInstance.keys.sorted() {
            let files = byInstance[instance]!
            let newer = FormatFiller.newerDroppedFormats(files, configured: formats)
            if newer.isEmpty, let format = formats.first(where: { files[$0] != nil }) {
                chosen.append((files[format]!, format))
                continue
            }
            // No configured file, or a dropped format's file written after them (formats
            // switched back, not yet filled): the one with the most lines.
            var best: (path: String, format: OutputFormat, lines: Int)?
            for format in OutputFormat.allCases where formats.contains(format) || newer.contains(format) {
                guard let path = files[format] else { continue }
                let lines = (try FormatFiller.countLines(path) ?? 0) - (format == .csv ? 1 : 0)
                if best == nil || lines > best!.lines { best = (path, format, lines) }
            }
            if let best { chosen.append((best.path, best.format)) }
        }
        return chosen
    }

    /// `2025-03` → `2025 * 12 + 2`.
    private static func monthNumber(_ folder: String) -> Int? {
        let parts = folder.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else {
            return nil
        }
        return year * 12 + month - 1
    }

    /// The output buffer.
    private struct Output {
        let descriptor: Int32
        /// What the descriptor writes to, for an error's message.
        let name: String
        var bytes: [UInt8] = []

        init(descriptor: Int32, name: String) {
            self.descriptor = descriptor
            self.name = name
            bytes.reserveCapacity(1 << 20 + 4096)
        }

        mutating func writePending() throws(StorageError) {
            try Self.write(bytes, to: descriptor, name: name)
            bytes.removeAll(keepingCapacity: true)
        }

        static func write(_ bytes: [UInt8], to descriptor: Int32, name: String) throws(StorageError) {
            let failure = bytes.withUnsafeBytes { buffer -> StorageError? in
                do throws(StorageError) {
                    try FileSystem.writeAll(descriptor, buffer, path: name)
                    return nil
                } catch {
                    return error.about(.output)
                }
            }
            if let failure { throw failure }
        }
    }
}
