/// SPEC §3 JSON Lines: the eight fields in SPEC order, one object per line, `value` a JSON number.
///
/// Written by hand into a byte buffer (the shape is fixed, jansson would only add a tree per
/// row) and read back by a small parser of flat objects.
enum JSONLinesFormat {
    /// Appends one row, with its LF.
    @inline(__always)
    static func appendRow(_ row: RowParts, times: inout TimeRenderer, to bytes: inout [UInt8]) {
        times.withText(of: row.time) { time in appendRow(row, time: time, to: &bytes) }
    }

    /// Appends one row whose time is already rendered, with its LF.
    @inline(__always)
    static func appendRow(_ row: RowParts, time: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        ByteText.append("{\"time\":\"", to: &bytes)
        bytes.append(contentsOf: time)
        ByteText.append("\",\"platform\":", to: &bytes)
        JSONWriter.appendString(row.platform, to: &bytes)
        ByteText.append(",\"account\":", to: &bytes)
        JSONWriter.appendString(row.account, to: &bytes)
        ByteText.append(",\"object\":", to: &bytes)
        JSONWriter.appendString(row.object, to: &bytes)
        ByteText.append(",\"metric\":", to: &bytes)
        JSONWriter.appendString(row.metric, to: &bytes)
        ByteText.append(",\"value\":", to: &bytes)
        ByteText.appendValue(row.value, to: &bytes)
        ByteText.append(",\"quality\":\"", to: &bytes)
        ByteText.append(ByteText.name(of: row.quality), to: &bytes)
        ByteText.append("\",\"source\":\"", to: &bytes)
        ByteText.append(ByteText.name(of: row.source), to: &bytes)
        ByteText.append("\"}\n", to: &bytes)
    }

    /// Field names in SPEC order; their position is the slot of the field in a decoded line.
    private static let names: [StaticString] = [
        "time", "platform", "account", "object", "metric", "value", "quality", "source",
    ]

    /// Calls `body` with the row of one line (without its LF); false when the line is not a
    /// flat object with the eight fields (unknown extra fields are ignored).
    static func decodeLine(
        _ line: UnsafeRawBufferPointer,
        scratch: inout JSONLineScratch,
        _ body: (RowParts) -> Void
    ) -> Bool {
        scratch.reset()
        var reader = Reader(line: line)
        guard reader.consume(UInt8(ascii: "{")) else { return false }
        var first = true
        while true {
            reader.skipSpace()
            if reader.consume(UInt8(ascii: "}")) { break }
            if !first { guard reader.consume(UInt8(ascii: ",")) else { return false } }
            first = false
            reader.skipSpace()
            let keyStart = scratch.bytes.count
            guard reader.readString(into: &scratch.bytes) else { return false }
            let slot = scratch.bytes.withUnsafeBytes { bytes in
                let key = UnsafeRawBufferPointer(rebasing: bytes[keyStart...])
                return names.firstIndex { ByteText.equals(key, $0) }
            }
            scratch.bytes.removeSubrange(keyStart...)
            reader.skipSpace()
            guard reader.consume(UInt8(ascii: ":")) else { return false }
            reader.skipSpace()
            if reader.peek == UInt8(ascii: "\"") {
                let start = scratch.bytes.count
                guard reader.readString(into: &scratch.bytes) else { return false }
                guard let slot else { continue }
                scratch.starts[slot] = start
                scratch.ends[slot] = scratch.bytes.count
                // A value given as a string ("182408") is read as the number it spells.
                if slot == valueSlot { scratch.valueInLine = false }
            } else {
                let start = reader.index
                guard reader.skipScalar() else { return false }
                guard slot == valueSlot else { continue }
                scratch.starts[valueSlot] = start
                scratch.ends[valueSlot] = reader.index
                scratch.valueInLine = true
            }
        }
        reader.skipSpace()
        guard reader.atEnd, !scratch.ends.contains(-1) else { return false }
        let starts = scratch.starts
        let ends = scratch.ends
        let valueInLine = scratch.valueInLine
        return scratch.bytes.withUnsafeBytes { strings -> Bool in
            @inline(__always) func field(_ slot: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: strings[starts[slot]..<ends[slot]])
            }
            let valueText =
                valueInLine
                ? UnsafeRawBufferPointer(rebasing: line[starts[valueSlot]..<ends[valueSlot]]) : field(valueSlot)
            guard let time = ByteText.parseTime(field(0)), let value = ByteText.parseValue(valueText),
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

    private static let valueSlot = 5

    /// A cursor over one line.
    private struct Reader {
        let line: UnsafeRawBufferPointer
        var index = 0

        init(line: UnsafeRawBufferPointer) { self.line = line }

        var atEnd: Bool { index >= line.count }
        var peek: UInt8? { index < line.count ? line[index] : nil }

        mutating func skipSpace() {
            while index < line.count, line[index] == 0x20 || line[index] == 0x09 || line[index] == 0x0D { index += 1 }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard index < line.count, line[index] == byte else { return false }
            index += 1
            return true
        }

        /// Skips a number, `true`, `false` or `null`.
        mutating func skipScalar() -> Bool {
            let start = index
            while index < line.count {
                let byte = line[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == 0x20 || byte == 0x09 { break }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\"") { return false }
                index += 1
            }
            return index > start
        }

        /// Reads a JSON string at the cursor, unescaped, into `output`.
        mutating func readString(into output: inout [UInt8]) -> Bool {
            guard consume(UInt8(ascii: "\"")) else { return false }
            while index < line.count {
                let byte = line[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return true
                case UInt8(ascii: "\\"):
                    guard index < line.count else { return false }
                    let escape = line[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                    case UInt8(ascii: "n"): output.append(0x0A)
                    case UInt8(ascii: "r"): output.append(0x0D)
                    case UInt8(ascii: "t"): output.append(0x09)
                    case UInt8(ascii: "b"): output.append(0x08)
                    case UInt8(ascii: "f"): output.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard var scalar = readHex4() else { return false }
                        if (0xD800..<0xDC00).contains(scalar) {
                            // A surrogate pair: the low half must follow as another \u escape.
                            guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")), let low = readHex4(),
                                (0xDC00..<0xE000).contains(low)
                            else { return false }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { return false }
                        output.append(contentsOf: String(Character(unicode)).utf8)
                    default:
                        return false
                    }
                default:
                    output.append(byte)
                }
            }
            return false
        }

        private mutating func readHex4() -> UInt32? {
            guard index + 4 <= line.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = line[index]
                index += 1
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
    }
}

/// Reusable buffers for ``JSONLinesFormat/decodeLine(_:scratch:_:)``.
struct JSONLineScratch {
    /// The unescaped strings of the line, one after the other.
    var bytes: [UInt8] = []
    /// Per field (SPEC order): where it starts in ``bytes`` (or in the line, for a number).
    var starts = [Int](repeating: 0, count: 8)
    /// Per field: where it ends; -1 when the line did not have it.
    var ends = [Int](repeating: -1, count: 8)
    /// Whether the value is a JSON number (its text is in the line) or a string.
    var valueInLine = true

    /// Creates empty buffers.
    init() { bytes.reserveCapacity(256) }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        for slot in 0..<8 { ends[slot] = -1 }
        valueInLine = true
    }
}
