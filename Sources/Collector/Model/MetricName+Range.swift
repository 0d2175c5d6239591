extension MetricName {
    /// Whether the metric is a decimal fraction from 0 to 1 (SPEC §4: `completion_rate`, and
    /// the rates and click-through rates of the platforms): its name has the word `rate` or
    /// `ctr`. A percentage such as 12.5 is refused rather than stored as 1250 %.
    public var isFraction: Bool { hasWord("rate") || hasWord("ctr") }

    /// Whether the metric may be negative: only net changes, named with the word `net`
    /// (`douyin_net_followers`, follows minus unfollows). Counts, totals, durations and rates
    /// cannot be.
    public var mayBeNegative: Bool { hasWord("net") }

    /// What values a metric admits, worked out once from its name: a reader that checks
    /// millions of values of a few metrics keeps one per metric instead of reading the name
    /// again for each value.
    public struct ValueRange: Sendable, Hashable {
        /// ``MetricName/isFraction``.
        public let isFraction: Bool
        /// ``MetricName/mayBeNegative``.
        public let mayBeNegative: Bool
        /// ``MetricName/takesDecimals``.
        public let takesDecimals: Bool
    }

    /// The values this metric admits.
    public var valueRange: ValueRange {
        ValueRange(isFraction: isFraction, mayBeNegative: mayBeNegative, takesDecimals: takesDecimals)
    }

    /// Why `value` cannot be a value of this metric, or nil when it can: a number with a
    /// fraction for a count (one metric has one type: an Influx field keeps the type it was
    /// first written with, and a count of 1.5 is no count), or a ``rangeProblem(of:in:)``.
    /// - Parameters:
    ///   - value: The value.
    ///   - range: This metric's ``valueRange``, when the caller keeps it (a caller checking
    ///     many values keeps it: working it out reads the name).
    /// - Returns: A clause that follows the value, as ``rangeProblem(of:in:)``'s does.
    public func valueProblem(of value: SampleValue, in range: ValueRange? = nil) -> String? {
        let range = range ?? valueRange
        // A decimal keeps no trailing zeros, so a scale above 0 is a fraction.
        if case .decimal(let decimal) = value, decimal.scale > 0, !range.takesDecimals {
            return "is not a whole number, but \(self) is a count; only metrics named with the word rate,"
                + " ctr or seconds take decimals"
        }
        return rangeProblem(of: value, in: range)
    }

    /// Why `value` cannot be a value of this metric, or nil when it can: a negative value of a
    /// metric that is not a net change, or a fraction outside 0–1.
    /// - Parameters:
    ///   - value: The value.
    ///   - range: This metric's ``valueRange``, when the caller keeps it.
    /// - Returns: A clause that follows the value: `is negative, but views is a count …`.
    public func rangeProblem(of value: SampleValue, in range: ValueRange? = nil) -> String? {
        let (mantissa, scale): (Int64, UInt8) =
            switch value {
            case .integer(let number): (number, 0)
            case .decimal(let decimal): (decimal.mantissa, decimal.scale)
            }
        let range = range ?? valueRange
        // The usual case, a count of 0 or more, costs no look at the name.
        if mantissa >= 0 && !range.isFraction { return nil }
        if mantissa < 0, !range.mayBeNegative {
            let kind = range.isFraction ? "a fraction from 0 to 1" : takesDecimals ? "a duration" : "a count"
            return "is negative, but \(self) is \(kind); only net changes (metrics named with the word net,"
                + " such as douyin_net_followers) may be negative"
        }
        if range.isFraction, mantissa > 0, Self.exceedsOne(mantissa: mantissa, scale: scale) {
            return "is more than 1, but \(self) is a fraction from 0 to 1 (SPEC §4); write a percentage"
                + " such as 12.5 % as 0.125"
        }
        return nil
    }

    /// Whether `mantissa × 10^-scale` (positive) is more than 1.
    private static func exceedsOne(mantissa: Int64, scale: UInt8) -> Bool {
        var one: Int64 = 1
        for _ in 0..<scale {
            let (next, overflow) = one.multipliedReportingOverflow(by: 10)
            guard !overflow else { return false }  // 10^19 or more: no Int64 mantissa reaches it
            one = next
        }
        return mantissa > one
    }

    /// Whether `word` is one of the `_`-separated words of the name. Byte by byte, without
    /// allocating: an exec command checks it for each of millions of lines.
    private func hasWord(_ word: StaticString) -> Bool {
        let target = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        var start = rawValue.utf8.startIndex
        while true {
            let end = rawValue.utf8[start...].firstIndex(of: UInt8(ascii: "_")) ?? rawValue.utf8.endIndex
            if rawValue.utf8[start..<end].elementsEqual(target) { return true }
            guard end < rawValue.utf8.endIndex else { return false }
            start = rawValue.utf8.index(after: end)
        }
    }
}
