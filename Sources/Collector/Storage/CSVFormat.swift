/// SPEC §3 CSV: RFC 4180, UTF-8, LF line ends, a header in every file.
///
/// Rows are encoded straight into a byte buffer and decoded from one, with no `String` per row.
enum CSVFormat {
    /// The header line of every partition file.
    static let headerText: StaticString = "time,platform,account,object,metric,value,quality,source\n"

    /// The header's first field, which no row's time can equal.
    static let headerFirstField: StaticString = "time"

    /// Appends one row, with its LF.
    @inline(__always)
    static func appendRow(_ row: RowParts, times: inout TimeRenderer, to bytes: inout [UInt8]) {
        times.append(row.time, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        appendField(row.platform, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        appendField(row.account, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        appendField(row.object, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        appendField(row.metric, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        ByteText.appendValue(row.value, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        ByteText.append(ByteText.name(of: row.quality), to: &bytes)
        bytes.append(UInt8(ascii: ","))
        ByteText.append(ByteText.name(of: row.source), to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// The most bytes ``writeRow(_:texts:strings:time:to:)`` writes for `row`.
    @inline(__always)
    static func longestRow(
        _ row: SampleChunk.Row,
        texts: UnsafeBufferPointer<SampleChunk.Text>,
        timeLength: Int
    ) -> Int {
        @inline(__always) func longest(_ number: UInt32) -> Int {
            let text = texts[Int(number)]
            return text.needsQuotes ? text.count * 2 + 2 : text.count
        }
        return timeLength + longest(row.platform) + longest(row.account) + longest(row.object) + longest(row.metric)
            + ByteText.longestValue + 32
    }

    /// Writes one row of a chunk, with its LF, at `out`, which has room for
    /// ``longestRow(_:texts:timeLength:)`` bytes; returns the bytes written. The same bytes as
    /// ``appendRow(_:times:to:)``.
    @inline(__always)
    static func writeRow(
        _ row: SampleChunk.Row,
        texts: UnsafeBufferPointer<SampleChunk.Text>,
        strings: UnsafeRawBufferPointer,
        time: UnsafeRawBufferPointer,
        to out: UnsafeMutableRawPointer
    ) -> Int {
        var position = 0
        @inline(__always) func byte(_ value: UInt8) {
            (out + position).storeBytes(of: value, as: UInt8.self)
            position += 1
        }
        @inline(__always) func field(_ number: UInt32) {
            let text = texts[Int(number)]
            guard text.count > 0, let base = strings.baseAddress else { return }
            let source = base + text.offset
            if !text.needsQuotes {
                (out + position).copyMemory(from: source, byteCount: text.count)
                position += text.count
                return
            }
            byte(UInt8(ascii: "\""))
            for offset in 0..<text.count {
                let value = source.load(fromByteOffset: offset, as: UInt8.self)
                if value == UInt8(ascii: "\"") { byte(value) }
                byte(value)
            }
            byte(UInt8(ascii: "\""))
        }
        if let timeBase = time.baseAddress {
            out.copyMemory(from: timeBase, byteCount: time.count)
            position = time.count
        }
        byte(UInt8(ascii: ","))
        field(row.platform)
        byte(UInt8(ascii: ","))
        field(row.account)
        byte(UInt8(ascii: ","))
        field(row.object)
        byte(UInt8(ascii: ","))
        field(row.metric)
        byte(UInt8(ascii: ","))
        position += ByteText.writeValue(row.value, to: out + position)
        byte(UInt8(ascii: ","))
        position += ByteText.write(ByteText.name(of: row.quality), to: out + position)
        byte(UInt8(ascii: ","))
        position += ByteText.write(ByteText.name(of: row.source), to: out + position)
        byte(UInt8(ascii: "\n"))
        return position
    }

    /// Appends one field, quoted when it holds a comma, a quote, CR or LF (RFC 4180), with
    /// inner quotes doubled.
    @inline(__always)
    static func appendField(_ field: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        var needsQuotes = false
        for byte in field where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 10 || byte == 13 {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            bytes.append(contentsOf: field)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in field {
            if byte == UInt8(ascii: "\"") { bytes.append(UInt8(ascii: "\"")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends one field given as a string.
    static func appendField(_ text: String, to bytes: inout [UInt8]) {
        withUTF8(text) { appendField($0, to: &bytes) }
    }

    /// Parses one record that starts at `start` into `record`. Returns the offset just past the
    /// record's LF, or nil when the buffer ends before the record does (a record may span lines
    /// inside quotes). A CR before the LF is dropped; a quote inside an unquoted field, or text
    /// after a closing quote, is kept as it stands.
    static func parseRecord(_ buffer: UnsafeRawBufferPointer, from start: Int, into record: inout CSVRecord) -> Int? {
        record.removeAll()
        let count = buffer.count
        var index = start
        var fieldStart = true
        while true {
            guard index < count else { return nil }
            if fieldStart && buffer[index] == UInt8(ascii: "\"") {
                // A quoted field: copy up to the closing quote, undoubling inner quotes.
                index += 1
                while true {
                    guard index < count else { return nil }
                    let byte = buffer[index]
                    if byte == UInt8(ascii: "\"") {
                        guard index + 1 < count else { return nil }
                        if buffer[index + 1] == UInt8(ascii: "\"") {
                            record.bytes.append(UInt8(ascii: "\""))
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    record.bytes.append(byte)
                    index += 1
                }
                fieldStart = false
                continue
            }
            // Unquoted bytes up to the next separator, copied as one run.
            let runStart = index
            while index < count {
                let byte = buffer[index]
                if byte == UInt8(ascii: ",") || byte == 10 { break }
                index += 1
            }
            guard index < count else { return nil }
            var runEnd = index
            if buffer[index] == 10 && runEnd > runStart && buffer[runEnd - 1] == 13 { runEnd -= 1 }
            if runEnd > runStart {
                record.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[runStart..<runEnd]))
            }
            record.fieldEnds.append(record.bytes.count)
            if buffer[index] == 10 { return index + 1 }
            index += 1
            fieldStart = true
        }
    }

    /// Calls `body` with the row held by a parsed record; false when the record is not a valid
    /// row (wrong field count, bad time, value, quality or source).
    static func decodeRow(_ record: borrowing CSVRecord, _ body: (RowParts) -> Void) -> Bool {
        guard record.fieldEnds.count == 8 else { return false }
        return record.bytes.withUnsafeBytes { bytes -> Bool in
            let ends = record.fieldEnds
            @inline(__always) func field(_ index: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]])
            }
            guard let time = ByteText.parseTime(field(0)), let value = ByteText.parseValue(field(5)),
                let quality = ByteText.parseQuality(field(6)), let source = ByteText.parseSource(field(7))
            else { return false }
            body(
                RowParts(
                    time: time,
                    platform: field(1),
                    account: field(2),
                    object: field(3),
                    metric: field(4),
                    value: value,
                    quality: quality,
                    source: source
                )
            )
            return true
        }
    }
}

/// The fields of one CSV record, unquoted, in one reusable buffer.
struct CSVRecord {
    /// The fields' bytes, one after the other.
    var bytes: [UInt8] = []
    /// Where each field ends in ``bytes``.
    var fieldEnds: [Int] = []

    /// Creates an empty record.
    init() {
        bytes.reserveCapacity(256)
        fieldEnds.reserveCapacity(16)
    }

    /// Empties the record, keeping its storage.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
    }

    /// How many fields the record has.
    var count: Int { fieldEnds.count }

    /// Field `index` as a string.
    func string(_ index: Int) -> String {
        guard index < fieldEnds.count else { return "" }
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        return String(decoding: bytes[start..<fieldEnds[index]], as: UTF8.self)
    }

    /// Field `index` as bytes; empty when the record has fewer fields.
    func bytes(of index: Int) -> [UInt8] {
        guard index < fieldEnds.count else { return [] }
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        return Array(bytes[start..<fieldEnds[index]])
    }

    /// Whether field `index` equals `literal`.
    func field(_ index: Int, equals literal: StaticString) -> Bool {
        guard index < fieldEnds.count else { return false }
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        return bytes.withUnsafeBytes {
            ByteText.equals(UnsafeRawBufferPointer(rebasing: $0[start..<fieldEnds[index]]), literal)
        }
    }
}
