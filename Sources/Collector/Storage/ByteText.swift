#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Number, time and name text written to and read from byte buffers, shared by the formats.
enum ByteText {
    /// Appends the decimal digits of `value`.
    @inline(__always)
    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, minimumCount: 1, to: &bytes)
    }

    /// Appends a value as CSV, JSON Lines and OpenMetrics write it: `182408`, `0.4123`, `-12.5`.
    @inline(__always)
    static func appendValue(_ value: StoredValue, to bytes: inout [UInt8]) {
        guard value.scale > 0 else {
            appendInteger(value.mantissa, to: &bytes)
            return
        }
        if value.mantissa < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.mantissa.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<value.scale { divisor &*= 10 }
        let integerPart = magnitude / divisor
        magnitude %= divisor
        appendDigits(integerPart, minimumCount: 1, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(magnitude, minimumCount: Int(value.scale), to: &bytes)
    }

    /// Appends `value` with at least `minimumCount` digits (leading zeros).
    @inline(__always)
    private static func appendDigits(_ value: UInt64, minimumCount: Int, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var value = value
            var start = 24
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                value /= 10
            } while value > 0 || 24 - start < minimumCount
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<24]))
        }
    }

    /// Writes a value as ``appendValue(_:to:)`` does, at `out` (which has room for
    /// ``longestValue`` bytes); returns the bytes written.
    @inline(__always)
    static func writeValue(_ value: StoredValue, to out: UnsafeMutableRawPointer) -> Int {
        var written = 0
        if value.mantissa < 0 {
            out.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self)
            written = 1
        }
        var magnitude = value.mantissa.magnitude
        guard value.scale > 0 else {
            return written + writeDigits(magnitude, minimumCount: 1, to: out + written)
        }
        var divisor: UInt64 = 1
        for _ in 0..<value.scale { divisor &*= 10 }
        let integerPart = magnitude / divisor
        magnitude %= divisor
        written += writeDigits(integerPart, minimumCount: 1, to: out + written)
        (out + written).storeBytes(of: UInt8(ascii: "."), as: UInt8.self)
        written += 1
        return written + writeDigits(magnitude, minimumCount: Int(value.scale), to: out + written)
    }

    /// The longest text of a value: a sign, 19 digits and a point (or 18 leading zeros).
    static let longestValue = 40

    /// Writes `value` with at least `minimumCount` digits (leading zeros); returns the count.
    @inline(__always)
    private static func writeDigits(_ value: UInt64, minimumCount: Int, to out: UnsafeMutableRawPointer) -> Int {
        if value < 10 && minimumCount <= 1 {
            out.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value), as: UInt8.self)
            return 1
        }
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let count = max(digits, minimumCount)
        var value = value
        var position = count
        while position > 0 {
            position -= 1
            (out + position).storeBytes(
                of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10),
                as: UInt8.self
            )
            value /= 10
        }
        return count
    }

    /// Writes the bytes of a static string at `out`; returns the count.
    @inline(__always)
    static func write(_ literal: StaticString, to out: UnsafeMutableRawPointer) -> Int {
        out.copyMemory(from: literal.utf8Start, byteCount: literal.utf8CodeUnitCount)
        return literal.utf8CodeUnitCount
    }

    /// Parses a value as the formats write it: an integer, or a decimal with a point (up to 18
    /// digits after it). Falls back to a number with an exponent (`1.5e3`, from another tool's
    /// JSON) through `Double`. Nil for anything else.
    static func parseValue(_ text: UnsafeRawBufferPointer) -> StoredValue? {
        var mantissa: Int64 = 0
        var scale: UInt8 = 0
        var negative = false
        var sawPoint = false
        var digits = 0
        for (index, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times10, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                mantissa = sum
                digits += 1
                if sawPoint {
                    guard scale < 18 else { return nil }
                    scale += 1
                }
            case UInt8(ascii: "-") where index == 0:
                negative = true
            case UInt8(ascii: ".") where !sawPoint:
                sawPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                return parseExponentForm(text)
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10
            scale -= 1
        }
        return StoredValue(mantissa: negative ? -mantissa : mantissa, scale: scale)
    }

    private static func parseExponentForm(_ text: UnsafeRawBufferPointer) -> StoredValue? {
        guard let double = Double(String(decoding: text, as: UTF8.self)), let decimal = DecimalValue(double) else {
            return nil
        }
        return StoredValue(.decimal(decimal))
    }

    /// Parses a time as SPEC §3 writes it (`2025-03-04T00:00:00+08:00`, 25 bytes) on a fast
    /// path, and any other RFC 3339 form through ``PlatformCalendar/parseRFC3339(_:)``.
    static func parseTime(_ text: UnsafeRawBufferPointer) -> Timestamp? {
        guard text.count == 25 else {
            return PlatformCalendar.parseRFC3339(String(decoding: text, as: UTF8.self))
        }
        @inline(__always) func digit(_ index: Int) -> Int? {
            let value = Int(text[index]) - Int(UInt8(ascii: "0"))
            return value >= 0 && value <= 9 ? value : nil
        }
        @inline(__always) func two(_ index: Int) -> Int? {
            guard let high = digit(index), let low = digit(index + 1) else { return nil }
            return high * 10 + low
        }
        guard text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"), text[10] == UInt8(ascii: "T"),
            text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"), text[22] == UInt8(ascii: ":"),
            text[19] == UInt8(ascii: "+") || text[19] == UInt8(ascii: "-"),
            let century = two(0), let yearInCentury = two(2), let month = two(5), let day = two(8),
            let hour = two(11), let minute = two(14), let second = two(17), hour < 24, minute < 60, second < 60,
            let offsetHours = two(20), let offsetMinutes = two(23), offsetHours < 24, offsetMinutes < 60,
            let date = CivilDate(year: century * 100 + yearInCentury, month: month, day: day)
        else {
            return PlatformCalendar.parseRFC3339(String(decoding: text, as: UTF8.self))
        }
        let offset = (offsetHours * 3600 + offsetMinutes * 60) * (text[19] == UInt8(ascii: "-") ? -1 : 1)
        let local = date.daysSinceEpoch * 86400 + Int64(hour * 3600 + minute * 60 + second)
        return Timestamp(secondsSinceEpoch: local - Int64(offset))
    }

    /// Parses a quality name.
    @inline(__always)
    static func parseQuality(_ text: UnsafeRawBufferPointer) -> Quality? {
        if equals(text, "exact") { return .exact }
        if equals(text, "approx") { return .approx }
        if equals(text, "lower_bound") { return .lowerBound }
        return nil
    }

    /// Parses a source name.
    @inline(__always)
    static func parseSource(_ text: UnsafeRawBufferPointer) -> Source? {
        if equals(text, "api") { return .api }
        if equals(text, "import") { return .import }
        if equals(text, "exec") { return .exec }
        if equals(text, "web") { return .web }
        return nil
    }

    /// Whether `bytes` hold exactly the text of `literal`.
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
        return memcmp(base, literal.utf8Start, bytes.count) == 0
    }

    /// Appends the bytes of a static string.
    @inline(__always)
    static func append(_ literal: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// The text of a quality as written.
    @inline(__always)
    static func name(of quality: Quality) -> StaticString {
        switch quality {
        case .exact: "exact"
        case .approx: "approx"
        case .lowerBound: "lower_bound"
        }
    }

    /// The text of a source as written.
    @inline(__always)
    static func name(of source: Source) -> StaticString {
        switch source {
        case .api: "api"
        case .import: "import"
        case .exec: "exec"
        case .web: "web"
        }
    }
}
