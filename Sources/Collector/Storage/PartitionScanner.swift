#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads a partition file back, row by row, in 1 MiB chunks: memory stays flat whatever the
/// file's size.
///
/// A last record without its LF is not a row: another shard may be writing it right now, or a
/// crash tore it. ``Summary/completeLength`` tells where the complete records end, so the
/// owner of the file can cut the rest.
enum PartitionScanner {
    /// What a scan found.
    struct Summary {
        /// Rows handed to the body.
        var rows = 0
        /// Records that are not valid rows (bad field count, time, value, quality or source).
        var invalidRows = 0
        /// The record number (1 = first line) of the first invalid one.
        var firstInvalidRecord: Int?
        /// Bytes up to the end of the last complete record.
        var completeLength: Int64 = 0
        /// Bytes in the file.
        var fileLength: Int64 = 0
    }

    /// The chunk read at a time.
    static let chunkSize = 1 << 20

    /// Calls `body` with every row of the file at `path` in `format`, and the row's raw record
    /// bytes (with the LF); nil when the file does not exist. A CSV header line is skipped.
    static func scan(
        path: String,
        format: OutputFormat,
        _ body: (RowParts, UnsafeRawBufferPointer) -> Void
    ) throws(StorageError) -> Summary? {
        // Never through a link planted in the data folder (DataFolder).
        guard let fd = try DataFolder.openFile(path, O_RDONLY) else { return nil }
        defer { close(fd) }
        var summary = Summary()
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var filled = 0
        var consumedBefore: Int64 = 0
        var recordNumber = 0
        var csvRecord = CSVRecord()
        var decoder = RowDecoder()
        var endOfFile = false
        while !endOfFile {
            if filled == buffer.count {
                // One record longer than the buffer: make room for it.
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
            }
            // The buffer is never empty (chunkSize > 0), so it has a base address.
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StorageError(path: path, operation: "read", errno: errno)
            }
            if count == 0 { endOfFile = true }
            filled += count
            summary.fileLength += Int64(count)
            let consumed = buffer.withUnsafeBytes { whole -> Int in
                let bytes = UnsafeRawBufferPointer(rebasing: whole[0..<filled])
                var position = 0
                while position < filled {
                    let start = position
                    let valid: Bool
                    if format == .csv {
                        guard let end = CSVFormat.parseRecord(bytes, from: start, into: &csvRecord) else { break }
                        position = end
                        recordNumber += 1
                        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                        if csvRecord.count == 1 && csvRecord.bytes.isEmpty { continue }  // a blank line
                        if recordNumber == 1 && csvRecord.field(0, equals: CSVFormat.headerFirstField) { continue }
                        valid = CSVFormat.decodeRow(csvRecord) { body($0, raw) }
                    } else {
                        var end = start
                        while end < filled && bytes[end] != 10 { end += 1 }
                        guard end < filled else { break }
                        position = end + 1
                        recordNumber += 1
                        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                        var lineEnd = end
                        if lineEnd > start && bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
                        if lineEnd == start { continue }  // a blank line
                        let line = UnsafeRawBufferPointer(rebasing: bytes[start..<lineEnd])
                        valid = decoder.decodeLine(line, format: format) { body($0, raw) }
                    }
                    if valid {
                        summary.rows += 1
                    } else {
                        summary.invalidRows += 1
                        if summary.firstInvalidRecord == nil { summary.firstInvalidRecord = recordNumber }
                    }
                }
                return position
            }
            consumedBefore += Int64(consumed)
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { bytes in
                    guard let base = bytes.baseAddress else { return }
                    memmove(base, base + consumed, filled - consumed)
                }
                filled -= consumed
            }
        }
        summary.completeLength = consumedBefore
        return summary
    }
}
