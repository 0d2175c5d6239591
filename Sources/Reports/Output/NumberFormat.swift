/// Plain number text for reports: no thousands separators, no exponent, a fixed number of
/// decimals, halves rounded away from zero.
enum NumberFormat {
    /// `x` with exactly `digits` decimals: `fixed(867.3249, 2)` → `867.32`.
    static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (x.magnitude * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return String(x) }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        let whole = String(units / divisor)
        let sign = x < 0 && units > 0 ? "-" : ""
        guard digits > 0 else { return sign + whole }
        var fraction = String(units % divisor)
        fraction = String(repeating: "0", count: digits - fraction.count) + fraction
        return sign + whole + "." + fraction
    }

    /// `x` rounded to a whole number: `whole(14999.6)` → `15000`.
    static func whole(_ x: Double) -> String { fixed(x, 0) }

    /// Integers as integers, others with up to 2 decimals (`12344.5`), infinity as `inf`.
    static func plain(_ x: Double) -> String {
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), x.magnitude < 9.0e18 { return String(Int64(x)) }
        var text = fixed(x, 2)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

extension Optional {
    /// The formatted value, or an empty cell.
    func cell(_ format: (Wrapped) -> String) -> String { map(format) ?? "" }
}

// MARK: - Readable numbers

extension NumberFormat {
    /// `x` with `digits` decimals and a comma every three digits: `grouped(1234567.891, 2)` →
    /// `1,234,567.89`. Infinity is `∞`.
    static func grouped(_ x: Double, _ digits: Int) -> String {
        if x.isInfinite { return x > 0 ? "∞" : "-∞" }
        let text = fixed(x, digits)
        let negative = text.hasPrefix("-")
        let unsigned = negative ? text.dropFirst() : text[...]
        let whole = unsigned.prefix { $0 != "." }
        let fraction = unsigned.dropFirst(whole.count)
        var result = ""
        for (offset, digit) in whole.enumerated() {
            if offset > 0, (whole.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (negative ? "-" : "") + result + fraction
    }

    /// Like ``plain(_:)`` (whole numbers without decimals, else up to 2), with thousands
    /// separators and `∞`.
    static func groupedPlain(_ x: Double) -> String {
        if x.isInfinite || x == x.rounded() { return grouped(x, 0) }
        var text = grouped(x, 2)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `1000000` → `100万` when the value is a whole number of 万, else nil: targets read as
    /// the notices print them.
    static func wan(_ value: Int64) -> String? {
        guard value >= 10_000, value % 10_000 == 0 else { return nil }
        return String(value / 10_000) + "万"
    }
}
