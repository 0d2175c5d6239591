package import Collector

/// A JSON export read as a table (SPEC §1: `collector import` reads CSV, XLSX and JSON): an
/// array of records, each an object, whose keys are the columns.
///
/// The records are the document itself when it is an array, else the first non-empty array of
/// objects found breadth-first in it (`{"list": […]}`, `{"data": {"list": […]}}`: the shapes of
/// the platforms' API answers that an operator may have saved). A record's nested objects
/// become columns named by their path (`detail.read_user`); arrays inside a record are left out.
/// The header row lists every key in the order the records first use it, and is row 0; record
/// *n* of the array is row *n*, so `file.json:3:` in a message means the third record. A JSON
/// Lines file (one object per line) is read too; its rows are numbered by line.
///
/// Unlike CSV and XLSX, which are streamed, the document is parsed whole (jansson), so
/// ``TableOpener`` refuses JSON files over ``maximumBytes``.
package struct JSONRecordsTable: Table {
    /// The largest JSON file read: its tree is held in memory while it is imported.
    package static let maximumBytes = 64 << 20

    package let name: String
    /// Where the records were found: `list`, `data.list`, or empty for a top-level array and
    /// for JSON Lines.
    package let recordsPath: String
    private let columns: [String]
    private let columnIndex: [String: Int]
    /// The records, each an object, flattened into cells when read.
    private let records: [JSONValue]
    /// For JSON Lines, each record's physical line (blank lines are skipped); else nil, and
    /// record *n* of the array is row *n*.
    private let lineNumbers: [Int]?
    private var next = -1

    /// How the records were found, for the import report: `json`, `json (records at data.list)`
    /// or `jsonl`.
    package var format: String {
        if lineNumbers != nil { return "jsonl" }
        return recordsPath.isEmpty ? "json" : "json (records at \(recordsPath))"
    }

    /// Parses `bytes`, the content of the file `path`, and finds its records.
    /// - Throws: ``ImportError`` when the bytes are not valid JSON or hold no array of records.
    package init(path: String, bytes: [UInt8]) throws(ImportError) {
        name = path
        let elements: [JSONValue]
        switch Result(catching: { () throws(JSONError) in try JSONValue.parse(bytes) }) {
        case .success(let document):
            guard let (path: found, records) = Self.records(in: document) else {
                throw ImportError.malformed(path, line: nil, Self.noRecords(in: document))
            }
            (recordsPath, elements, lineNumbers) = (found, records, nil)
        case .failure(let error) where error.kind == .html || error.kind == .empty:
            throw ImportError.malformed(path, line: nil, error.text)
        case .failure(let error):
            // A second document where the first should have ended: JSON Lines, one record a line.
            guard error.line > 1, let lines = try Self.jsonLines(bytes, path: path) else {
                throw ImportError.malformed(
                    path,
                    line: error.line,
                    "not valid JSON, column \(error.column): \(error.text)"
                )
            }
            (recordsPath, elements, lineNumbers) = ("", lines.records, lines.numbers)
        }
        guard !elements.isEmpty else { throw ImportError.empty(path) }
        var columns: [String] = []
        var columnIndex: [String: Int] = [:]
        var cells: [JSONMember] = []
        for element in elements {
            cells.removeAll(keepingCapacity: true)
            Self.flatten(element.objectMembers ?? [], prefix: "", into: &cells)
            for cell in cells where columnIndex[cell.key] == nil {
                columnIndex[cell.key] = columns.count
                columns.append(cell.key)
            }
        }
        self.columns = columns
        self.columnIndex = columnIndex
        self.records = elements
    }

    package mutating func nextRow() throws(ImportError) -> TableRow? {
        guard next < records.count else { return nil }
        defer { next += 1 }
        guard next >= 0 else { return TableRow(number: 0, cells: columns) }
        var members: [JSONMember] = []
        Self.flatten(records[next].objectMembers ?? [], prefix: "", into: &members)
        var cells = [String](repeating: "", count: columns.count)
        var position = 0
        for member in members {
            // Most records list the keys in the header's order: try the next column first.
            if position >= columns.count || columns[position] != member.key {
                position = columnIndex[member.key] ?? 0
            }
            cells[position] = Self.cellText(member.value)
            position += 1
        }
        return TableRow(number: lineNumbers?[next] ?? next + 1, cells: cells)
    }

    // MARK: - Finding the records

    /// Whether the first bytes of a file look like a JSON document: `{"` or `{}`, `[{`, `[[` or
    /// `[]` after an optional BOM and white space. A CSV cell such as `[2025-03]` does not.
    package static func looksLikeJSON(_ head: [UInt8]) -> Bool {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let significant = bytes.lazy.filter { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
        var iterator = significant.makeIterator()
        guard let first = iterator.next(), let second = iterator.next() else { return false }
        switch first {
        case UInt8(ascii: "{"): return second == UInt8(ascii: "\"") || second == UInt8(ascii: "}")
        case UInt8(ascii: "["): return [UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "]")].contains(second)
        default: return false
        }
    }

    /// The records of `document` and where they were, or nil when it holds no array of objects.
    /// An empty array counts when no non-empty one is found.
    private static func records(in document: JSONValue) -> (path: String, elements: [JSONValue])? {
        if let elements = document.arrayValue {
            return elements.allSatisfy({ $0.objectMembers != nil }) ? ("", elements) : nil
        }
        var queue: [(path: String, members: [JSONMember])] = [("", document.objectMembers ?? [])]
        var empty: String?
        var head = 0
        while head < queue.count {
            let (path, members) = queue[head]
            head += 1
            for member in members {
                let memberPath = path.isEmpty ? member.key : path + "." + member.key
                if let elements = member.value.arrayValue {
                    if elements.isEmpty {
                        if empty == nil { empty = memberPath }
                    } else if elements.allSatisfy({ $0.objectMembers != nil }) {
                        return (memberPath, elements)
                    }
                } else if let nested = member.value.objectMembers {
                    queue.append((memberPath, nested))
                }
            }
        }
        return empty.map { ($0, []) }
    }

    /// The records of a JSON Lines file and the line of each.
    private typealias JSONLines = (records: [JSONValue], numbers: [Int])

    /// The records of a JSON Lines file (one object per line, blank lines allowed), or nil
    /// when its first line is not an object on its own, so the file is not JSON Lines.
    /// - Throws: ``ImportError/malformed(_:line:_:)`` naming the first later line that is not an object.
    private static func jsonLines(_ bytes: [UInt8], path: String) throws(ImportError) -> JSONLines? {
        var records: [JSONValue] = []
        var numbers: [Int] = []
        var number = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            guard line.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { continue }
            let value: JSONValue
            do {
                value = try JSONValue.parse(Array(line))
            } catch {
                if records.isEmpty { return nil }
                throw ImportError.malformed(
                    path,
                    line: number,
                    "not a JSON object on its own line (JSON Lines), column \(error.column): \(error.text)"
                )
            }
            guard value.objectMembers != nil else {
                if records.isEmpty { return nil }
                throw ImportError.malformed(
                    path,
                    line: number,
                    "a JSON Lines record must be an object, not \(value.typeName)"
                )
            }
            records.append(value)
            numbers.append(number)
        }
        return (records, numbers)
    }

    /// Why a document holds no records; an API error answer is named as such.
    private static func noRecords(in document: JSONValue) -> String {
        guard let members = document.objectMembers else {
            return "the JSON holds no array of records (objects); export a table, or a list of objects"
        }
        let value = { (key: String) in members.first { $0.key == key }.map { cellText($0.value) } }
        if let code = value("errcode") ?? value("code"), code != "0",
            let message = value("errmsg") ?? value("message") ?? value("msg")
        {
            return "this is an API error answer (code \(code): \(message)), not an export; save the answer of a "
                + "successful call"
        }
        let keys = members.prefix(8).map(\.key).joined(separator: ", ")
        return "the JSON holds no array of records (objects); its top-level keys are: \(keys)"
    }

    /// The scalar members of `members`, nested objects' under `parent.child` names.
    private static func flatten(_ members: [JSONMember], prefix: String, into cells: inout [JSONMember]) {
        for member in members {
            let key = prefix + member.key
            if let nested = member.value.objectMembers {
                flatten(nested, prefix: key + ".", into: &cells)
            } else if member.value.arrayValue == nil {
                cells.append(JSONMember(key, member.value))
            }
        }
    }

    /// A value as a cell: strings as they are, numbers in plain notation, null as empty.
    private static func cellText(_ value: JSONValue) -> String {
        switch value {
        case .null, .array, .object: ""
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .real(let number):
            // A whole number sent as 12.0 reads as 12, as a spreadsheet shows it.
            number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): text
        }
    }
}
