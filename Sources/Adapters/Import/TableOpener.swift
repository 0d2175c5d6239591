package import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// An export file opened as a table, by its format.
package enum OpenedTable {
    /// CSV or TSV, in any encoding ``TextReader`` knows.
    case text(CSVTable)
    /// The first sheet of an `.xlsx` workbook.
    case workbook(XLSXTable)
    /// The records of a JSON document.
    case records(JSONRecordsTable)
}

/// Opens an export file by what its first bytes say, not by its name (PLATFORMS.md §10):
/// `PK` is a ZIP archive, so an `.xlsx` workbook; `D0 CF 11 E0` is an OLE container: a
/// password-protected workbook when it holds an `EncryptedPackage` stream (``CompoundFile``), else
/// an old binary `.xls`, each refused with its advice; an HTML or XML page (old "xls" downloads) is refused too; `{"` or `[{` starts a
/// JSON document; anything else is read as CSV or TSV text.
package enum TableOpener {
    private static let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Opens `path`; `sheet` picks a workbook sheet by name (default: the first).
    package static func open(path: String, sheet: String? = nil) throws(ImportError) -> OpenedTable {
        let head = try firstBytes(of: path, count: 512)
        guard !head.isEmpty else { throw ImportError.empty(path) }
        if head.starts(with: Array("PK".utf8)) { return .workbook(try XLSXTable(path: path, sheet: sheet)) }
        if head.starts(with: oleMagic) {
            // Excel's advice for an .xls (save it as .xlsx) keeps an encrypted workbook's password.
            throw CompoundFile.isEncryptedPackage(path: path)
                ? ImportError.passwordProtected(path) : ImportError.oldExcel(path)
        }
        if looksLikeMarkup(head) {
            throw ImportError.malformed(
                path,
                line: nil,
                "this is a web page (HTML or XML), not a table, although it may be named .xls; open it in Excel "
                    + "and save it as .xlsx (File > Save As > Excel Workbook), then import that file"
            )
        }
        if JSONRecordsTable.looksLikeJSON(head) {
            return .records(
                try JSONRecordsTable(path: path, bytes: try readWhole(path, limit: JSONRecordsTable.maximumBytes))
            )
        }
        return .text(try CSVTable(path: path))
    }

    /// The whole file, refused above `limit` bytes before any of it is read.
    private static func readWhole(_ path: String, limit: Int) throws(ImportError) -> [UInt8] {
        let fd = openForReading(path)
        guard fd >= 0 else { throw ImportError.unreadable(path, operation: "open", errno: errno) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw ImportError.unreadable(path, operation: "read", errno: errno) }
        guard Int(status.st_size) <= limit else {
            throw ImportError.malformed(
                path,
                line: nil,
                "this JSON file is over \(limit >> 20) MiB, more than is read whole; export the table as CSV or XLSX "
                    + "instead, which are read row by row"
            )
        }
        return try readAvailable(fd, path: path, count: Int(status.st_size))
    }

    private static func firstBytes(of path: String, count: Int) throws(ImportError) -> [UInt8] {
        let fd = openForReading(path)
        guard fd >= 0 else { throw ImportError.unreadable(path, operation: "open", errno: errno) }
        defer { close(fd) }
        return try readAvailable(fd, path: path, count: count)
    }

    /// Up to `count` bytes from `fd`: fewer at the end of the file.
    private static func readAvailable(_ fd: Int32, path: String, count: Int) throws(ImportError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            // `bytes` holds `count` > 0 bytes.
            let read = bytes.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress! + filled, count - filled) }
            if read < 0 {
                if errno == EINTR { continue }
                throw ImportError.unreadable(path, operation: "read", errno: errno)
            }
            if read == 0 { break }
            filled += read
        }
        return Array(bytes[0..<filled])
    }

    /// Whether the text starts (after a BOM and white space) with `<html`, `<!doctype`, `<table` or `<?xml`.
    private static func looksLikeMarkup(_ head: [UInt8]) -> Bool {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text = String(
            decoding: bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.prefix(16),
            as: UTF8.self
        )
        .lowercased()
        return ["<html", "<!doctype", "<table", "<?xml"].contains { text.hasPrefix($0) }
    }
}

// File-scope wrappers: inside `TableOpener`, `open` names its own method.
private func openForReading(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
