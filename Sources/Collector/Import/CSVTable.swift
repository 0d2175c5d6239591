/// An RFC 4180 CSV (or tab-separated) file read row by row from a file descriptor, in any
/// encoding ``TextReader`` knows.
///
/// Quoted cells may hold delimiters, doubled quotes and line breaks; lines may end in CRLF, LF
/// or CR. Empty lines are skipped (their line numbers still count). The parser works on the
/// UTF-8 bytes, one chunk at a time: a row that straddles two chunks is parsed again once the
/// next chunk is in, so memory stays at about one chunk whatever the file's size.
///
/// The delimiter is a comma unless the first 64 KiB hold more tabs than commas outside quoted
/// cells (Excel's "Unicode text" and TSV exports).
///
/// An import sets ``withholdsCutShortRow`` once the header is read: a last row that the file
/// ends inside of, after a line end, is then not returned but kept in ``cutShortRow``, because
/// a download cut short ends that way and the row's last cell may be cut (`18` of `182408`).
package struct CSVTable: Table {
    /// A last row the file ends inside of, withheld by ``withholdsCutShortRow``.
    package enum CutShortRow: Sendable, Hashable {
        /// The file ends after the row's last cell with no line end (the lines before it have one).
        case noLineEnd(line: Int)
        /// A quoted cell that starts on `line` is still open at the end of the file.
        case unclosedQuote(line: Int)

        /// The line the row starts on.
        package var line: Int {
            switch self {
            case .noLineEnd(let line), .unclosedQuote(let line): line
            }
        }
    }

    private enum ParseResult {
        case record(end: Int, lineBreaks: Int)
        /// A record the end of the file cuts off after its last cell: no line end follows it.
        case unterminated(end: Int, lineBreaks: Int)
        case blank(end: Int, lineBreaks: Int)
        case needMore
        case unclosedQuote
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    private let reader: TextReader
    private var buffer: [UInt8] = []
    /// Where `buffer[0]` stands in the reader's text, to find the line of an invalid byte.
    private var bufferBase = 0
    private var start = 0
    private var line = 1
    private var exhausted = false
    private var delimiterByte: UInt8?

    /// Whether a last row the file ends inside of is withheld (see ``cutShortRow``) instead of
    /// returned, or, for an unclosed quote, thrown. Off by default, so that hand-written files
    /// such as the account registry, whose last line may have no line end, read as they are.
    package var withholdsCutShortRow = false

    /// The last row, withheld because the file ends inside it; set once ``nextRow()`` has
    /// returned nil, when ``withholdsCutShortRow`` is on.
    package private(set) var cutShortRow: CutShortRow?

    /// The line of a row that was returned although the file ends inside it with no line end
    /// (``withholdsCutShortRow`` off: the header, a hand-written file).
    package private(set) var unterminatedLine: Int?

    /// The line of the first row holding bytes that were not valid text in the file's encoding
    /// (read as U+FFFD, ``TextReader/firstInvalidOffset``), once that row has been read.
    package private(set) var firstInvalidLine: Int?

    /// How many byte sequences of the text read so far were not valid in the file's encoding.
    package var invalidSequences: Int { reader.invalidSequences }

    /// Opens `path`; `delimiter` overrides the detection, `chunkSize` is for tests.
    package init(path: String, delimiter: UInt8? = nil, chunkSize: Int = 1 << 20) throws(ImportError) {
        self.init(reader: try TextReader(path: path, chunkSize: chunkSize), delimiter: delimiter)
    }

    /// Reads from `reader`.
    package init(reader: TextReader, delimiter: UInt8? = nil) {
        self.reader = reader
        self.delimiterByte = delimiter
    }

    /// The file, for messages.
    package var name: String { reader.name }

    /// The file's encoding, once the reader has decided it.
    package var encoding: TextEncoding? { reader.encoding }

    /// The delimiter, once the first row has been read.
    package var delimiter: UInt8? { delimiterByte }

    /// The next row, or nil at the end of the file.
    package mutating func nextRow() throws(ImportError) -> TableRow? {
        var row = ByteRow()
        guard try nextRow(into: &row) else { return nil }
        return TableRow(number: row.number, cells: row.cells)
    }

    /// Reads the next row into `row`, reusing its storage; false at the end of the file.
    package mutating func nextRow(into row: inout ByteRow) throws(ImportError) -> Bool {
        if delimiterByte == nil { try detectDelimiter() }
        let delimiter = delimiterByte ?? UInt8(ascii: ",")
        while true {
            if start == buffer.count {
                if exhausted { return false }
                try refill()
                continue
            }
            row.reset(number: line)
            let isFinal = exhausted
            let from = start
            let result = buffer.withUnsafeBufferPointer { bytes in
                CSVTable.parseRecord(bytes, from: from, isFinal: isFinal, delimiter: delimiter, into: &row)
            }
            switch result {
            case .record(let end, let lineBreaks):
                noteInvalidText(before: end, line: row.number)
                line += lineBreaks
                start = end
                return true
            case .unterminated(let end, let lineBreaks):
                noteInvalidText(before: end, line: row.number)
                start = end
                // Only a row after a line end looks cut short: a file of one line without an
                // end is whole (and is no data row, being the header at best). Blank cells
                // (trailing spaces, `,,,`) lose nothing.
                if withholdsCutShortRow && row.number > 1 && !row.isBlank {
                    cutShortRow = .noLineEnd(line: row.number)
                    row.reset(number: row.number)
                    return false
                }
                unterminatedLine = row.number
                line += lineBreaks
                return true
            case .blank(let end, let lineBreaks):
                line += lineBreaks
                start = end
            case .needMore:
                try refill()
            case .unclosedQuote:
                noteInvalidText(before: buffer.count, line: line)
                if withholdsCutShortRow {
                    // The rest of the file is the open cell: nothing more to read.
                    cutShortRow = .unclosedQuote(line: line)
                    start = buffer.count
                    row.reset(number: line)
                    return false
                }
                throw ImportError.malformed(
                    name,
                    line: line,
                    "a quoted cell that starts on this line is never closed; the file may be cut off, export it again"
                )
            }
        }
    }

    /// Notes `line` as ``firstInvalidLine`` when the reader's first invalid byte lies before
    /// `end` of the buffer: one comparison a row.
    private mutating func noteInvalidText(before end: Int, line: Int) {
        guard firstInvalidLine == nil, let offset = reader.firstInvalidOffset, offset < bufferBase + end else { return }
        firstInvalidLine = line
    }

    private mutating func refill() throws(ImportError) {
        if start > 0 {
            bufferBase += start
            buffer.removeSubrange(0..<start)
            start = 0
        }
        if try !reader.read(appendingTo: &buffer) { exhausted = true }
    }

    private mutating func detectDelimiter() throws(ImportError) {
        while buffer.count - start < 65536 && !exhausted { try refill() }
        // Count outside quoted cells only: titles hold commas.
        var commas = 0
        var tabs = 0
        var quoted = false
        for byte in buffer[start...] {
            switch byte {
            case CSVTable.quote: quoted.toggle()
            case UInt8(ascii: ",") where !quoted: commas += 1
            case UInt8(ascii: "\t") where !quoted: tabs += 1
            default: continue
            }
        }
        delimiterByte = tabs > commas ? UInt8(ascii: "\t") : UInt8(ascii: ",")
    }

    /// Parses the record starting at `from`. Returns `needMore` when the record may continue
    /// past the end of `bytes` and more input is coming (`isFinal` false).
    private static func parseRecord(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from: Int,
        isFinal: Bool,
        delimiter: UInt8,
        into row: inout ByteRow
    ) -> ParseResult {
        let end = bytes.count
        var index = from
        var lineBreaks = 0

        // An empty line is no record.
        if bytes[index] == lineFeed { return .blank(end: index + 1, lineBreaks: 1) }
        if bytes[index] == carriageReturn {
            if index + 1 < end {
                return .blank(end: bytes[index + 1] == lineFeed ? index + 2 : index + 1, lineBreaks: 1)
            }
            return isFinal ? .blank(end: index + 1, lineBreaks: 1) : .needMore
        }

        while true {
            if index < end && bytes[index] == quote {
                index += 1
                var segmentStart = index
                // Find the closing quote; a doubled quote stands for one quote.
                while true {
                    while index < end {
                        let byte = bytes[index]
                        if byte == quote { break }
                        if byte == lineFeed {
                            lineBreaks += 1
                        } else if byte == carriageReturn {
                            if index + 1 < end {
                                if bytes[index + 1] != lineFeed { lineBreaks += 1 }
                            } else if isFinal {
                                lineBreaks += 1
                            } else {
                                return .needMore
                            }
                        }
                        index += 1
                    }
                    if index == end { return isFinal ? .unclosedQuote : .needMore }
                    if index + 1 < end && bytes[index + 1] == quote {
                        // Keep one of the two quotes.
                        row.appendToCell(UnsafeBufferPointer(rebasing: bytes[segmentStart...index]))
                        index += 2
                        segmentStart = index
                        continue
                    }
                    if index + 1 == end && !isFinal { return .needMore }
                    break
                }
                let contentEnd = index
                index += 1
                // Lenient: text between the closing quote and the delimiter is kept.
                let trailingStart = index
                index = cellEnd(bytes, from: index, delimiter: delimiter)
                if index == end && !isFinal { return .needMore }
                row.appendToCell(UnsafeBufferPointer(rebasing: bytes[segmentStart..<contentEnd]))
                row.appendToCell(UnsafeBufferPointer(rebasing: bytes[trailingStart..<index]))
                row.endCell()
            } else {
                let cellStart = index
                index = cellEnd(bytes, from: index, delimiter: delimiter)
                if index == end && !isFinal { return .needMore }
                row.appendCell(UnsafeBufferPointer(rebasing: bytes[cellStart..<index]))
            }

            // Reached at the end of the file only (else `needMore` came first): no line end.
            if index == end { return .unterminated(end: index, lineBreaks: lineBreaks) }
            let byte = bytes[index]
            if byte == delimiter {
                index += 1
                continue
            }
            if byte == lineFeed { return .record(end: index + 1, lineBreaks: lineBreaks + 1) }
            // A carriage return: CRLF or a lone CR.
            if index + 1 < end {
                return .record(end: bytes[index + 1] == lineFeed ? index + 2 : index + 1, lineBreaks: lineBreaks + 1)
            }
            return isFinal ? .record(end: index + 1, lineBreaks: lineBreaks + 1) : .needMore
        }
    }

    /// The index of the first delimiter, CR or LF at or after `from`, or the end of `bytes`.
    /// Titles and links make most of an export's bytes, so 16 bytes are compared at a time.
    @inline(__always)
    private static func cellEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, delimiter: UInt8) -> Int {
        let end = bytes.count
        var index = from
        if let base = bytes.baseAddress {
            let delimiters = SIMD16<UInt8>(repeating: delimiter)
            let lineFeeds = SIMD16<UInt8>(repeating: lineFeed)
            let carriageReturns = SIMD16<UInt8>(repeating: carriageReturn)
            while index + 16 <= end {
                let block = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<UInt8>.self)
                let hits = (block .== delimiters) .| (block .== lineFeeds) .| (block .== carriageReturns)
                if any(hits) {
                    for lane in 0..<16 where hits[lane] { return index + lane }
                }
                index += 16
            }
        }
        while index < end {
            let byte = bytes[index]
            if byte == delimiter || byte == lineFeed || byte == carriageReturn { return index }
            index += 1
        }
        return end
    }
}
