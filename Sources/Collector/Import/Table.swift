/// A table read row by row from an export file (CSV, TSV or an `.xlsx` sheet), without holding
/// the file in memory.
///
/// Rows come in two shapes: ``nextRow()`` gives a ``TableRow`` of `String` cells, convenient for
/// header rows and small files; ``nextRow(into:)`` fills a reusable ``ByteRow`` with the cells'
/// UTF-8 bytes, without allocating per row, for importers of large files.
///
/// ## Implementation requirements
/// - Return rows in file order and nothing once the file is exhausted (and on every later call).
///   Both methods read from the same position: a row read by one is not read by the other.
/// - Number each row with the 1-based physical line (CSV) or sheet row (XLSX) it starts on, so
///   that error messages point at what a spreadsheet or an editor shows.
/// - Give every cell as text, the way the back office wrote it: `1,234`, `62.35%`, `-` stay as
///   they are; numbers stored by a spreadsheet come back in plain decimal notation.
/// - ``nextRow(into:)`` has a default implementation on top of ``nextRow()``; a table that can
///   fill the bytes directly should implement it.
public protocol Table {
    /// The file the rows come from, for messages.
    var name: String { get }
    /// The next row, or nil at the end of the file.
    mutating func nextRow() throws(ImportError) -> TableRow?
    /// Reads the next row into `row`, reusing its storage; false at the end of the file.
    mutating func nextRow(into row: inout ByteRow) throws(ImportError) -> Bool
}

extension Table {
    /// Reads the next row through ``nextRow()``.
    public mutating func nextRow(into row: inout ByteRow) throws(ImportError) -> Bool {
        guard let next = try nextRow() else { return false }
        row.reset(number: next.number)
        for cell in next.cells {
            var text = cell
            text.withUTF8 { row.appendCell($0) }
        }
        return true
    }
}

/// One row of a ``Table``.
public struct TableRow: Sendable, Hashable {
    /// The 1-based physical line (or sheet row) the row starts on.
    public var number: Int
    /// The cells, left to right; a short row simply has fewer cells.
    public var cells: [String]

    /// Creates a row.
    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }

    /// Whether every cell is empty or blank (spreadsheets leave such rows under the data).
    public var isBlank: Bool {
        cells.allSatisfy { cell in cell.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
    }

    /// The cell at `index`, or the empty string past the end of a short row.
    public subscript(cell index: Int) -> String { index < cells.count ? cells[index] : "" }
}

/// A row of a ``Table`` as UTF-8 bytes, filled in place by ``Table/nextRow(into:)`` so that a
/// large import allocates nothing per row.
public struct ByteRow: Sendable {
    /// The 1-based physical line (or sheet row) the row starts on.
    public private(set) var number = 0
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var ends: [Int] = []

    /// Creates an empty row, to be filled by ``Table/nextRow(into:)``.
    public init() {
        bytes.reserveCapacity(1024)
        ends.reserveCapacity(32)
    }

    /// The number of cells.
    public var count: Int { ends.count }

    /// Empties the row for the row starting on line `number`.
    public mutating func reset(number: Int) {
        self.number = number
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Appends a cell holding `cell`.
    public mutating func appendCell(_ cell: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: cell)
        ends.append(bytes.count)
    }

    /// Appends bytes to a cell still being built; ``endCell()`` closes it.
    mutating func appendToCell(_ part: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: part)
    }

    /// Closes the cell built by ``appendToCell(_:)``.
    mutating func endCell() {
        ends.append(bytes.count)
    }

    /// Calls `body` with a view of the cells, valid only inside it.
    @inlinable
    public func withCells<Result, Failure: Error>(
        _ body: (ByteCells) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let ends = self.ends
        return try bytes.withUnsafeBufferPointer { bytes throws(Failure) in
            try ends.withUnsafeBufferPointer { ends throws(Failure) in
                try body(ByteCells(bytes: bytes, ends: ends))
            }
        }
    }

    /// The cell at `index` as a string, or the empty string past the end of a short row.
    public subscript(cell index: Int) -> String {
        withCells { String(decoding: $0[index], as: UTF8.self) }
    }

    /// All cells as strings.
    public var cells: [String] {
        withCells { cells in (0..<cells.count).map { String(decoding: cells[$0], as: UTF8.self) } }
    }

    /// Whether every cell is empty or blank.
    public var isBlank: Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
}

/// The cells of a ``ByteRow`` as byte buffers; valid only inside ``ByteRow/withCells(_:)``.
public struct ByteCells {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let ends: UnsafeBufferPointer<Int>

    @usableFromInline init(bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>) {
        self.bytes = bytes
        self.ends = ends
    }

    /// The number of cells.
    @inlinable public var count: Int { ends.count }

    /// The bytes of cell `index`; empty past the end of a short row.
    @inlinable public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        guard index < ends.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[index]])
    }
}
