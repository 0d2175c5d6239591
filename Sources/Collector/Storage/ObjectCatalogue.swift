#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The content catalogue `<data_dir>/<platform>/objects.csv` (SPEC §3):
/// `object,account,published_at,title,url`, one row per account and object (ids are unique
/// only within an account), rewritten atomically when it changes (by ``CatalogueStage``, which
/// merges new rows in).
enum ObjectCatalogue {
    /// The catalogue's file name in a platform folder.
    static let fileName = "objects.csv"
    /// The header line.
    static let headerText: StaticString = "object,account,published_at,title,url\n"

    /// The rows of the catalogue at `path` (five fields each), without the header; empty when
    /// the file does not exist.
    static func read(_ path: String) throws(StorageError) -> [[String]] {
        var rows: [[String]] = []
        try forEachRow(path) { fields in rows.append(fields.map { String(decoding: $0, as: UTF8.self) }) }
        return rows
    }

    /// Calls `body` with the five fields of every row of the catalogue at `path` (missing
    /// fields empty), reading it in 1 MiB blocks; nothing when the file does not exist. The
    /// header and blank lines are skipped; a last line without LF counts.
    static func forEachRow(
        _ path: String,
        _ body: ([[UInt8]]) throws(StorageError) -> Void
    ) throws(StorageError) {
        // Never through a link planted in the data folder (DataFolder).
        guard let fd = try DataFolder.openFile(path, O_RDONLY) else { return }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var filled = 0
        var record = CSVRecord()
        var first = true
        var endOfFile = false
        while !endOfFile {
            if filled == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            // The buffer is never empty, so it has a base address.
            let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StorageError(path: path, operation: "read", errno: errno)
            }
            filled += count
            if count == 0 {
                endOfFile = true
                // A last line without its LF still counts.
                guard filled > 0 else { break }
                if buffer[filled - 1] != 10 {
                    if filled == buffer.count { buffer.append(10) } else { buffer[filled] = 10 }
                    filled += 1
                }
            }
            var consumed = 0
            var rows: [[[UInt8]]] = []
            buffer.withUnsafeBytes { whole in
                let bytes = UnsafeRawBufferPointer(rebasing: whole[0..<filled])
                while let end = CSVFormat.parseRecord(bytes, from: consumed, into: &record) {
                    consumed = end
                    defer { first = false }
                    if first && record.field(0, equals: "object") { continue }
                    if record.count == 1 && record.bytes.isEmpty { continue }
                    rows.append((0..<5).map { record.bytes(of: $0) })
                }
            }
            for row in rows { try body(row) }
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { bytes in
                    guard let base = bytes.baseAddress else { return }
                    memmove(base, base + consumed, filled - consumed)
                }
                filled -= consumed
            }
        }
    }
}

/// `read(2)`, out of reach of the method named `read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
