/// The value of a sample: an integer count, or a decimal for rates and durations.
///
/// Decimals are fixed-point (`mantissa × 10^-scale`), so `0.4123` is stored and written exactly
/// as it was read; no binary floating point sits between a file and the next.
public enum SampleValue: Sendable, Hashable, CustomStringConvertible {
    /// A count.
    case integer(Int64)
    /// A rate or a duration.
    case decimal(DecimalValue)

    /// The value as written to CSV and JSON Lines: `182408`, `0.1842`.
    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .decimal(let value): value.description
        }
    }

    /// The value as a `Double`, for reports and indices (never for storage).
    public var doubleValue: Double {
        switch self {
        case .integer(let value): Double(value)
        case .decimal(let value): value.doubleValue
        }
    }

    /// Parses the text of a value as written by ``description``: an integer, or a decimal with a point.
    public init?(parsing text: some StringProtocol) {
        if let integer = Int64(text) {
            self = .integer(integer)
        } else if let decimal = DecimalValue(parsing: text) {
            self = .decimal(decimal)
        } else {
            return nil
        }
    }
}

/// A fixed-point decimal number: `mantissa × 10^-scale`, kept with no trailing zeros.
public struct DecimalValue: Sendable, Hashable, CustomStringConvertible {
    /// The digits, with the sign.
    public let mantissa: Int64
    /// How many of the digits stand after the point (0…18).
    public let scale: UInt8

    /// Creates `mantissa × 10^-scale`, dropping trailing zeros after the point.
    public init(mantissa: Int64, scale: UInt8) {
        var mantissa = mantissa
        var scale = scale
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10
            scale -= 1
        }
        self.mantissa = mantissa
        self.scale = scale
    }

    /// Parses `12.5`, `-0.0512`, `3`; nil for anything else (no exponent, no sign other than `-`).
    public init?(parsing text: some StringProtocol) {
        var mantissa: Int64 = 0
        var scale: UInt8 = 0
        var negative = false
        var sawPoint = false
        var digits = 0
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0:
                negative = true
            case UInt8(ascii: "."):
                guard !sawPoint else { return nil }
                sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times10, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                mantissa = sum
                digits += 1
                if sawPoint {
                    guard scale < 18 else { return nil }
                    scale += 1
                }
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        self.init(mantissa: negative ? -mantissa : mantissa, scale: scale)
    }

    /// The shortest decimal text that round-trips a `Double` (`0.4123`, never `0.41229999`),
    /// rounded to 18 decimal places when it has more; nil when it is not finite or its whole
    /// part does not fit (1e20).
    ///
    /// A double's shortest text has at most 17 significant digits, so it has more than 18
    /// decimal places only below 1 in magnitude, with leading zeros: a small rate as Python's
    /// `json.dumps(3 / 2917)` prints it, `0.0010284538909838875`. Those digits are a binary
    /// double's, not a measured value's; rounding at the 18th place changes the value by
    /// less than 10⁻¹⁸, far below anything a platform reports.
    public init?(_ double: Double) {
        guard double.isFinite else { return nil }
        let text = DecimalValue.plainText(of: double)
        if let exact = DecimalValue(parsing: text) {
            self = exact
            return
        }
        // Only on this rare path: a value that fits as it is costs nothing more.
        guard let rounded = DecimalValue(roundingToMaximumScale: text) else { return nil }
        self = rounded
    }

    /// Reads plain decimal text (`-0.00026927093253121246`) rounded half away from zero to 18
    /// decimal places; nil when it is not such text or its digits do not fit.
    private init?(roundingToMaximumScale text: String) {
        let maximumScale = 18
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative { digits.removeFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count > maximumScale else { return nil }
        let kept = parts[1].prefix(maximumScale)
        guard let next = parts[1].dropFirst(maximumScale).first, next.isASCII, next.isNumber,
            var magnitude = Int64(parts[0] + kept), magnitude >= 0
        else { return nil }
        if next >= "5" {
            let (sum, overflow) = magnitude.addingReportingOverflow(1)
            guard !overflow else { return nil }
            magnitude = sum
        }
        self.init(mantissa: negative ? -magnitude : magnitude, scale: UInt8(maximumScale))
    }

    /// The number as text without exponent: `0.1842`, `13.77`, `2`.
    public var description: String {
        if scale == 0 { return String(mantissa) }
        let magnitude = mantissa.magnitude
        var digits = String(magnitude)
        let scale = Int(self.scale)
        if digits.count <= scale {
            digits = String(repeating: "0", count: scale - digits.count + 1) + digits
        }
        let split = digits.index(digits.endIndex, offsetBy: -scale)
        return (mantissa < 0 ? "-" : "") + digits[..<split] + "." + digits[split...]
    }

    /// The value as a `Double`.
    public var doubleValue: Double {
        var divisor = 1.0
        for _ in 0..<scale { divisor *= 10 }
        return Double(mantissa) / divisor
    }

    /// Renders a finite double in plain notation, using Swift's shortest round-trip digits.
    private static func plainText(of double: Double) -> String {
        let text = double.description
        guard let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        // Expand `1e-05` / `1.5e+20` into plain digits.
        guard let exponent = Int(text[text.index(after: exponentIndex)...]) else { return text }
        var mantissaText = String(text[..<exponentIndex])
        let negative = mantissaText.hasPrefix("-")
        if negative { mantissaText.removeFirst() }
        let parts = mantissaText.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var allDigits = integerPart + fractionPart
        var pointPosition = integerPart.count + exponent
        if pointPosition <= 0 {
            allDigits = String(repeating: "0", count: -pointPosition + 1) + allDigits
            pointPosition = 1
        } else if pointPosition > allDigits.count {
            allDigits += String(repeating: "0", count: pointPosition - allDigits.count)
        }
        let split = allDigits.index(allDigits.startIndex, offsetBy: pointPosition)
        let fraction = allDigits[split...]
        return (negative ? "-" : "") + allDigits[..<split] + (fraction.isEmpty ? "" : "." + fraction)
    }
}
