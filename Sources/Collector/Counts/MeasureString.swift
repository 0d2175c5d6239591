/// Reads rates and durations from exports and pages (COUNTS_AND_TARGETS.md §1.4).
///
/// Results are ``DecimalValue``s computed in decimal, so `12.22%` is exactly `0.1222` and
/// `13.77秒` exactly `13.77`. Input is normalised as for counts (full-width characters, spaces)
/// and the same placeholders (`-`, `--`, `暂无`, …) are ``MeasureParseResult/missing``.
public enum MeasureString {
    /// A rate as a fraction: `12.22%` → 0.1222, `-3.5%` → −0.035; a number without `%` is
    /// already a fraction (`0.0512`) and must lie in −1…1, since a bare `51.2` is more likely
    /// a percentage that lost its sign than a rate above 100 %.
    ///
    /// With `percentHeader` (the column's header says `(%)`), a number without `%` is a
    /// percentage too: `0.85` → 0.0085.
    public static func fraction(_ raw: String, percentHeader: Bool = false) -> MeasureParseResult {
        let text = DisplayText.normalizedScalars(raw)
        if DisplayText.isMissing(text) { return .missing }
        var index = 0
        let negative = index < text.count && (text[index] == "-" || text[index] == "\u{2212}")
        if negative { index += 1 }
        let number: ScannedDecimal
        switch ScannedDecimal.scan(text, from: &index) {
        case .success(let scanned): number = scanned
        case .failure(let failure): return reject(raw, "rate", failure.reason)
        }
        let percentSign = index < text.count && text[index] == "%"
        if percentSign { index += 1 }
        guard index == text.count else {
            return reject(raw, "rate", "unexpected \(describe(text[index])) after the number")
        }
        let percent = percentSign || percentHeader
        let mantissa = negative ? -number.mantissa : number.mantissa
        guard percent else {
            // |x| ≤ 1 ⇔ |mantissa| ≤ 10^scale.
            guard number.mantissa <= PowerOfTen.value(number.scale) else {
                return reject(
                    raw,
                    "rate",
                    "a fraction without % must lie between -1 and 1 (write 12.22% for a percentage)"
                )
            }
            return .value(DecimalValue(mantissa: mantissa, scale: UInt8(number.scale)))
        }
        guard number.scale + 2 <= 18 else { return reject(raw, "rate", "more than 16 decimals") }
        return .value(DecimalValue(mantissa: mantissa, scale: UInt8(number.scale + 2)))
    }

    /// A duration in seconds: `13.77秒` or `13.77s` → 13.77, `48` → 48, `0:48` (m:ss) → 48,
    /// `1:02:03` (h:mm:ss) → 3723, and `1分02秒`, `2分钟`, `1小时5分` in Chinese units.
    ///
    /// With `headerUnit` (the column's header says `(分钟)`, `(小时)` or `(毫秒)`), a number
    /// without a unit of its own is in that unit: `1.5` → 90 under `(分钟)`. A cell with units
    /// or colons is read as written.
    public static func seconds(_ raw: String, headerUnit: DurationUnit? = nil) -> MeasureParseResult {
        let text = DisplayText.normalizedScalars(raw)
        if DisplayText.isMissing(text) { return .missing }
        if let first = text.first, first == "-" || first == "\u{2212}", text.count > 1 {
            return reject(raw, "duration", "negative durations are not accepted")
        }
        let result = text.contains(":") ? clockSeconds(text) : unitSeconds(text, bare: headerUnit)
        switch result {
        case .success(let value): return .value(value)
        case .failure(let failure): return reject(raw, "duration", failure.reason)
        }
    }

    // MARK: - JSON

    /// A rate from a JSON field: a number is already a fraction (−1…1), a string is read by
    /// ``fraction(_:)``, `null` or an absent field is missing.
    public static func fraction(json: JSONValue?) -> MeasureParseResult {
        switch number(json: json, what: "rate") {
        case .string(let text): return fraction(text)
        case .number(let value):
            guard value.mantissa.magnitude <= UInt64(PowerOfTen.value(Int(value.scale))) else {
                return .rejected(reason: "JSON number \(value) is not a rate: a fraction must lie between -1 and 1")
            }
            return .value(value)
        case .done(let result): return result
        }
    }

    /// A duration in seconds from a JSON field: a non-negative number is seconds, a string is
    /// read by ``seconds(_:)``, `null` or an absent field is missing.
    public static func seconds(json: JSONValue?) -> MeasureParseResult {
        switch number(json: json, what: "duration") {
        case .string(let text): return seconds(text)
        case .number(let value):
            guard value.mantissa >= 0 else {
                return .rejected(reason: "JSON number \(value) is not a duration: negative durations are not accepted")
            }
            return .value(value)
        case .done(let result): return result
        }
    }

    private enum JSONMeasure {
        case string(String)
        case number(DecimalValue)
        case done(MeasureParseResult)
    }

    private static func number(json: JSONValue?, what: String) -> JSONMeasure {
        switch json {
        case nil, .null?:
            return .done(.missing)
        case .string(let text)?:
            return .string(text)
        case .integer(let value)?:
            return .number(DecimalValue(mantissa: value, scale: 0))
        case .real(let value)?:
            // The shortest round-trip digits of the double: 0.0512 stays 0.0512 (more than 18
            // decimal places are rounded to 18). Only a number too large for 18 digits fails.
            guard let decimal = DecimalValue(value) else {
                return .done(
                    .rejected(reason: "JSON number \(value) is not a \(what): it is too large (more than 18 digits)")
                )
            }
            return .number(decimal)
        case let other?:
            return .done(.rejected(reason: "JSON \(other.typeName) is not a \(what): expected a number or a string"))
        }
    }

    // MARK: - Durations

    /// `m:ss` or `h:mm:ss`; only the seconds may carry a fraction, later fields lie in 0…59.
    private static func clockSeconds(_ text: [Unicode.Scalar]) -> Result<DecimalValue, ScannedDecimal.Failure> {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3 else {
            return .failure(.init(reason: "expected m:ss or h:mm:ss"))
        }
        var minutes: Int64 = 0
        for (position, field) in fields.enumerated() {
            let field = Array(field)
            var index = 0
            guard case .success(let number) = ScannedDecimal.scan(field, from: &index), index == field.count else {
                return .failure(.init(reason: "expected m:ss or h:mm:ss"))
            }
            if position > 0 {
                guard number.integerDigits <= 2, number.mantissa < 60 * PowerOfTen.value(number.scale) else {
                    return .failure(.init(reason: "minutes and seconds after a colon must lie in 00…59"))
                }
            }
            if position == fields.count - 1 {
                let (wholeSeconds, overflow) = minutes.multipliedReportingOverflow(by: 60)
                guard !overflow else { return .failure(.init(reason: "the duration is too long")) }
                return seconds(whole: wholeSeconds, plus: number, times: 1)
            }
            guard number.scale == 0 else {
                return .failure(.init(reason: "only the seconds may have decimals"))
            }
            // Hours then minutes: carry the previous field into the next unit.
            let (carried, overflow) = minutes.multipliedReportingOverflow(by: 60)
            let (sum, carry) = carried.addingReportingOverflow(number.mantissa)
            guard !overflow, !carry else { return .failure(.init(reason: "the duration is too long")) }
            minutes = sum
        }
        // Unreachable: the loop returns at the last field and there are two or three.
        return .failure(.init(reason: "expected m:ss or h:mm:ss"))
    }

    /// `13.77`, `13.77秒`, `13.77s`, `1分02秒`, `2分钟`, `1小时5分`: numbers with decreasing
    /// units; only the last may carry a fraction, and a bare number is seconds, or `bare`.
    private static func unitSeconds(
        _ text: [Unicode.Scalar],
        bare: DurationUnit?
    ) -> Result<DecimalValue, ScannedDecimal.Failure> {
        var index = 0
        var wholeSeconds: Int64 = 0
        var previousFactor = Int64.max
        while true {
            let number: ScannedDecimal
            switch ScannedDecimal.scan(text, from: &index) {
            case .success(let scanned): number = scanned
            case .failure(let failure): return .failure(failure)
            }
            var factor: Int64 = 1
            var sawUnit = false
            for (spelling, seconds) in durationUnits
            where index + spelling.count <= text.count && text[index..<index + spelling.count].elementsEqual(spelling) {
                factor = seconds
                sawUnit = true
                index += spelling.count
                break
            }
            guard factor < previousFactor else {
                return .failure(.init(reason: "units must go from hours down to seconds"))
            }
            if index == text.count {
                // A bare number, the whole cell: in the header's unit when it names one.
                if let bare, !sawUnit, previousFactor == .max {
                    guard let value = bare.seconds(mantissa: number.mantissa, scale: number.scale) else {
                        return .failure(.init(reason: "the number is too large or has too many decimals"))
                    }
                    return .success(value)
                }
                return seconds(whole: wholeSeconds, plus: number, times: factor)
            }
            guard sawUnit else {
                return .failure(.init(reason: "unexpected \(describe(text[index])) after the number"))
            }
            guard number.scale == 0 else {
                return .failure(.init(reason: "only the last part of a duration may have decimals"))
            }
            let (part, overflow) = number.mantissa.multipliedReportingOverflow(by: factor)
            let (sum, carry) = wholeSeconds.addingReportingOverflow(part)
            guard !overflow, !carry else { return .failure(.init(reason: "the duration is too long")) }
            wholeSeconds = sum
            previousFactor = factor
        }
    }

    /// `whole + last × factor` seconds, exact at the scale of `last`.
    private static func seconds(
        whole: Int64,
        plus last: ScannedDecimal,
        times factor: Int64
    ) -> Result<DecimalValue, ScannedDecimal.Failure> {
        let (scaledWhole, overflow1) = whole.multipliedReportingOverflow(by: PowerOfTen.value(last.scale))
        let (part, overflow2) = last.mantissa.multipliedReportingOverflow(by: factor)
        let (sum, overflow3) = scaledWhole.addingReportingOverflow(part)
        guard !overflow1, !overflow2, !overflow3 else { return .failure(.init(reason: "the duration is too long")) }
        return .success(DecimalValue(mantissa: sum, scale: UInt8(last.scale)))
    }

    private static let durationUnits: [([Unicode.Scalar], Int64)] = [
        (Array("小时".unicodeScalars), 3600),
        (Array("分钟".unicodeScalars), 60),
        (["分"], 60),
        (["秒"], 1),
        (["s"], 1),
    ]

    // MARK: - Helpers

    private static func describe(_ scalar: Unicode.Scalar) -> String { "\"\(scalar.escaped(asASCII: false))\"" }

    private static func reject(_ raw: String, _ what: String, _ reason: String) -> MeasureParseResult {
        .rejected(reason: "\(DisplayText.quoted(raw)) is not a \(what): \(reason)")
    }
}

/// An unsigned decimal `\d+(\.\d+)?` scanned from normalised text: `mantissa × 10^−scale`.
private struct ScannedDecimal {
    var mantissa: Int64 = 0
    var scale = 0
    var integerDigits = 0

    struct Failure: Error {
        var reason: String
    }

    /// Scans from `index`, leaving it after the number; fails unless a digit comes first.
    static func scan(_ text: [Unicode.Scalar], from index: inout Int) -> Result<ScannedDecimal, Failure> {
        var number = ScannedDecimal()
        var sawPoint = false
        while index < text.count {
            let scalar = text[index]
            if scalar == "." && !sawPoint && number.integerDigits > 0 {
                sawPoint = true
            } else if let digit = DisplayText.digit(scalar) {
                let (times10, overflow) = number.mantissa.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times10.addingReportingOverflow(digit)
                guard !overflow, !carry else { return .failure(Failure(reason: "the number is too large")) }
                number.mantissa = sum
                if sawPoint {
                    number.scale += 1
                    guard number.scale <= 18 else { return .failure(Failure(reason: "more than 18 decimals")) }
                } else {
                    number.integerDigits += 1
                }
            } else {
                break
            }
            index += 1
        }
        guard number.integerDigits > 0 else {
            guard index < text.count else { return .failure(Failure(reason: "expected a number")) }
            return .failure(Failure(reason: "expected a digit, found \"\(text[index].escaped(asASCII: false))\""))
        }
        if sawPoint && number.scale == 0 {
            return .failure(Failure(reason: "a decimal point must be followed by digits"))
        }
        return .success(number)
    }
}
