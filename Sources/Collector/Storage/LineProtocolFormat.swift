/// SPEC §3 Influx line protocol:
/// `social,platform=wechat,account=gh_x,quality=exact,source=api followers=182408i 1741017600`.
///
/// Measurement `social`; tags `platform, account, object, quality, source` in that order, an
/// empty one left out; one field named after the metric, counts with `i`, rates and durations
/// (``MetricName/takesDecimals``) plain even when whole;
/// the timestamp in seconds (so readers use precision `s`). Commas, spaces, equals signs and
/// backslashes in tag values and the field key are escaped with a backslash (a lone trailing
/// backslash would otherwise escape the separator after it). The protocol cannot carry CR or
/// LF in a tag: they are written as an escaped space (ids never hold them in practice).
enum LineProtocolFormat {
    /// The measurement of every line.
    static let measurement: StaticString = "social"

    /// Appends one row, with its LF.
    @inline(__always)
    static func appendRow(_ row: RowParts, to bytes: inout [UInt8]) {
        ByteText.append(measurement, to: &bytes)
        appendTag(",platform=", row.platform, to: &bytes)
        appendTag(",account=", row.account, to: &bytes)
        appendTag(",object=", row.object, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        ByteText.append("quality=", to: &bytes)
        ByteText.append(ByteText.name(of: row.quality), to: &bytes)
        ByteText.append(",source=", to: &bytes)
        ByteText.append(ByteText.name(of: row.source), to: &bytes)
        bytes.append(UInt8(ascii: " "))
        appendEscaped(row.metric, to: &bytes)
        bytes.append(UInt8(ascii: "="))
        ByteText.appendValue(row.value, to: &bytes)
        // A metric's field keeps one type whatever the value: counts are integers, while a rate
        // or a duration that happens to be whole (`1`, `8`) stays a float.
        if row.value.scale == 0 && !MetricName.takesDecimals(row.metric) { bytes.append(UInt8(ascii: "i")) }
        bytes.append(UInt8(ascii: " "))
        ByteText.appendInteger(row.time.secondsSinceEpoch, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    @inline(__always)
    private static func appendTag(_ prefix: StaticString, _ value: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        guard !value.isEmpty else { return }
        ByteText.append(prefix, to: &bytes)
        appendEscaped(value, to: &bytes)
    }

    /// Appends a tag value or field key with `,`, `=`, space and `\` escaped.
    @inline(__always)
    static func appendEscaped(_ text: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
        for byte in text {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: " "), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x0A, 0x0D:
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
    }

    /// Calls `body` with the row of one line (without its LF); false when the line is not a
    /// `social` line with one field, a known quality and source, and a timestamp.
    static func decodeLine(_ line: UnsafeRawBufferPointer, scratch: inout [UInt8], _ body: (RowParts) -> Void) -> Bool {
        scratch.removeAll(keepingCapacity: true)
        var index = 0
        let count = line.count

        /// Reads up to an unescaped byte of `stops`, unescaping `\,` `\=` `\ ` `\\` into scratch.
        func readToken(stops: (UInt8, UInt8, UInt8)) -> Range<Int> {
            let start = scratch.count
            while index < count {
                let byte = line[index]
                if byte == stops.0 || byte == stops.1 || byte == stops.2 { break }
                if byte == UInt8(ascii: "\\"), index + 1 < count {
                    let next = line[index + 1]
                    if next == UInt8(ascii: ",") || next == UInt8(ascii: "=") || next == UInt8(ascii: " ")
                        || next == UInt8(ascii: "\\")
                    {
                        scratch.append(next)
                        index += 2
                        continue
                    }
                }
                scratch.append(byte)
                index += 1
            }
            return start..<scratch.count
        }

        let space = UInt8(ascii: " ")
        let comma = UInt8(ascii: ",")
        let equals = UInt8(ascii: "=")
        let measurementRange = readToken(stops: (comma, space, space))
        var tags: [Range<Int>?] = [nil, nil, nil, nil, nil]
        let tagNames: [StaticString] = ["platform", "account", "object", "quality", "source"]
        while index < count && line[index] == comma {
            index += 1
            let key = readToken(stops: (equals, comma, space))
            guard index < count, line[index] == equals else { return false }
            index += 1
            let value = readToken(stops: (comma, space, space))
            let slot = scratch.withUnsafeBytes { bytes in
                tagNames.firstIndex { ByteText.equals(UnsafeRawBufferPointer(rebasing: bytes[key]), $0) }
            }
            if let slot { tags[slot] = value }
        }
        guard index < count, line[index] == space else { return false }
        index += 1
        let fieldKey = readToken(stops: (equals, comma, space))
        guard index < count, line[index] == equals else { return false }
        index += 1
        let valueStart = index
        while index < count && line[index] != space && line[index] != comma { index += 1 }
        guard index < count, line[index] == space, index > valueStart else { return false }
        let valueEnd = index
        index += 1
        let timeStart = index
        while index < count && line[index] != space { index += 1 }
        guard let seconds = ByteText.parseValue(UnsafeRawBufferPointer(rebasing: line[timeStart..<index])),
            seconds.scale == 0
        else { return false }

        var valueText = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
        let last = valueText[valueText.count - 1]
        if last == UInt8(ascii: "i") || last == UInt8(ascii: "u") {
            valueText = UnsafeRawBufferPointer(rebasing: valueText[0..<valueText.count - 1])
        }
        guard let value = ByteText.parseValue(valueText) else { return false }

        return scratch.withUnsafeBytes { bytes -> Bool in
            guard ByteText.equals(UnsafeRawBufferPointer(rebasing: bytes[measurementRange]), measurement),
                let platformRange = tags[0], let qualityRange = tags[3], let sourceRange = tags[4],
                let quality = ByteText.parseQuality(UnsafeRawBufferPointer(rebasing: bytes[qualityRange])),
                let source = ByteText.parseSource(UnsafeRawBufferPointer(rebasing: bytes[sourceRange]))
            else { return false }
            let empty = UnsafeRawBufferPointer(rebasing: bytes[0..<0])
            body(
                RowParts(
                    time: Timestamp(secondsSinceEpoch: seconds.mantissa),
                    platform: UnsafeRawBufferPointer(rebasing: bytes[platformRange]),
                    account: tags[1].map { UnsafeRawBufferPointer(rebasing: bytes[$0]) } ?? empty,
                    object: tags[2].map { UnsafeRawBufferPointer(rebasing: bytes[$0]) } ?? empty,
                    metric: UnsafeRawBufferPointer(rebasing: bytes[fieldKey]),
                    value: value,
                    quality: quality,
                    source: source
                )
            )
            return true
        }
    }
}
