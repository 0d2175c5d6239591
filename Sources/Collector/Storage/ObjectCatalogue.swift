/// The content catalogue `<data_dir>/<platform>/objects.csv` (SPEC §3): one row per object,
/// `object,account,published_at,title,url`, rewritten atomically when it changes.
enum ObjectCatalogue {
    /// The catalogue's file name in a platform folder.
    static let fileName = "objects.csv"
    /// The header line.
    static let headerText: StaticString = "object,account,published_at,title,url\n"

    /// Merges `objects` into the catalogue at `path`: a new object is appended; for a known one
    /// each non-empty new field replaces the stored one. Rows keep their order. The file is
    /// rewritten (atomically) only when something changed; returns whether it was.
    @discardableResult
    static func merge(
        _ objects: [ContentObject],
        into path: String,
        calendar: PlatformCalendar
    ) throws(StorageError) -> Bool {
        var rows = try read(path)
        var positions: [String: Int] = [:]
        for (position, row) in rows.enumerated() { positions[row[0]] = position }
        var changed = false
        for object in objects where !object.object.isEmpty {
            let fields = [
                object.object, object.account, object.publishedAt.map { calendar.render($0) } ?? "", object.title,
                object.url,
            ]
            if let position = positions[object.object] {
                for column in 1..<5 where !fields[column].isEmpty && rows[position][column] != fields[column] {
                    rows[position][column] = fields[column]
                    changed = true
                }
            } else {
                positions[object.object] = rows.count
                rows.append(fields)
                changed = true
            }
        }
        guard changed else { return false }
        var bytes: [UInt8] = []
        ByteText.append(headerText, to: &bytes)
        for row in rows {
            for (column, field) in row.enumerated() {
                if column > 0 { bytes.append(UInt8(ascii: ",")) }
                CSVFormat.appendField(field, to: &bytes)
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        try FileSystem.writeAtomically(path, bytes)
        return true
    }

    /// The rows of the catalogue at `path` (five fields each), without the header; empty when
    /// the file does not exist.
    static func read(_ path: String) throws(StorageError) -> [[String]] {
        guard var bytes = try FileSystem.readFileIfPresent(path), !bytes.isEmpty else { return [] }
        if bytes.last != 10 { bytes.append(10) }
        var rows: [[String]] = []
        var record = CSVRecord()
        bytes.withUnsafeBytes { buffer in
            var position = 0
            var first = true
            while let end = CSVFormat.parseRecord(buffer, from: position, into: &record) {
                position = end
                defer { first = false }
                if first && record.field(0, equals: "object") { continue }
                if record.count == 1 && record.bytes.isEmpty { continue }
                rows.append((0..<5).map { record.string($0) })
            }
        }
        return rows
    }
}
