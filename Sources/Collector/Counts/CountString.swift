/// Reads display counts such as `1,234`, `1.2万`, `1.2w` or `10万+` (COUNTS_AND_TARGETS.md §1.2).
///
/// The arithmetic is decimal throughout (`1.13万` is 11300, where `Double` gives 11299), a
/// placeholder such as `-` is ``CountParseResult/missing`` (never zero), and anything outside
/// the grammar of Step 3 is ``CountParseResult/rejected(reason:)`` with a reason that quotes
/// the input. Plain ASCII integers, with or without comma groups, take a fast path that
/// allocates nothing: export imports parse millions of such cells.
public enum CountString {
    /// Parses one display string under a platform profile.
    ///
    /// - Parameters:
    ///   - raw: the string as the platform shows it, labels and full-width characters included.
    ///   - profile: how the platform formats counts; ``CountProfile/default`` assumes nothing.
    ///   - headerUnit: the unit a column header names (`播放量(万)`, ``HeaderUnit``): a number
    ///     without a unit of its own is in it, so `12` reads as `12万`, approx. Its decimals are
    ///     taken literally: the profile's implied decimals and unit switches describe how the
    ///     platform writes a unit, not how a sheet's author scaled a column.
    public static func parse(
        _ raw: String,
        profile: CountProfile = .default,
        headerUnit: CountUnit? = nil
    ) -> CountParseResult {
        if headerUnit == nil, let value = plainInteger(raw) {
            return .count(ParsedCount(exact: value, raw: raw))
        }
        return parseDisplay(raw, profile: profile, headerUnit: headerUnit)
    }

    // MARK: - Fast path

    /// The value of `123` or `1,234,567` (commas only between groups of three), or nil for
    /// anything else, including an overflow: the slow path then decides and explains.
    private static func plainInteger(_ raw: String) -> Int64? {
        var value: Int64 = 0
        var groupDigits = 0
        var sawComma = false
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawComma && groupDigits == 3 { return nil }
                let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times10.addingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
                if overflow || carry { return nil }
                value = sum
                groupDigits += 1
            case UInt8(ascii: ","):
                // The first group holds 1…3 digits, every later one exactly 3.
                guard groupDigits > 0, sawComma ? groupDigits == 3 : groupDigits <= 3 else { return nil }
                sawComma = true
                groupDigits = 0
            default:
                return nil
            }
        }
        guard groupDigits > 0, !sawComma || groupDigits == 3 else { return nil }
        // The exclusive upper bound value + 1 must exist.
        return value < .max ? value : nil
    }

    // MARK: - Display strings

    /// Steps 1–7 for everything the fast path declined.
    private static func parseDisplay(_ raw: String, profile: CountProfile, headerUnit: CountUnit?) -> CountParseResult {
        var text = DisplayText.normalizedScalars(raw)
        stripLabels(&text)
        if DisplayText.isMissing(text) { return .missing }

        var display: DisplayNumber
        switch DisplayNumber.scan(text) {
        case .success(let number): display = number
        case .failure(let failure):
            // Spreadsheets mark a number kept as text with a leading apostrophe; say so, as the
            // scanner's reason (an unexpected character) would not tell the operator what to do.
            if text.first == "'" {
                return reject(
                    raw,
                    "it starts with ', the mark a spreadsheet puts before a number kept as text: remove the ' "
                        + "(or format the column as numbers) and save the file again"
                )
            }
            return reject(raw, failure.reason)
        }
        guard display.fraction.count <= 18 else { return reject(raw, "more than 18 decimals") }
        // A unit of the cell's own wins over the header's (`1.2万` under `播放量(万)`).
        let unitFromHeader = display.unit == nil && headerUnit != nil
        if unitFromHeader { display.unit = headerUnit }

        // Trailing zeros of the fraction set the step (k) but not the value.
        var significant = display.fraction[...]
        while significant.last == 0 { significant = significant.dropLast() }
        let unitExponent = display.unit?.exponent ?? 0
        guard significant.count <= unitExponent else {
            let what =
                display.unit.map {
                    "a count in \($0.rawValue)\(unitFromHeader ? " (the header's unit)" : "") with these decimals"
                } ?? "a count"
            return reject(raw, "\(what) is not a whole number")
        }
        var mantissa: Int64 = 0
        for digit in display.integer + significant {
            let (times10, overflow) = mantissa.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(digit)
            guard !overflow, !carry else { return reject(raw, "the number is too large") }
            mantissa = sum
        }
        let (base, overflow) = mantissa.multipliedReportingOverflow(
            by: PowerOfTen.value(unitExponent - significant.count)
        )
        guard !overflow, base < .max else { return reject(raw, "the number is too large") }

        // Step 4: q = U × 10^−k = 10^stepExponent; an integer mantissa with a unit takes the
        // profile's p.
        let impliesDecimals = display.fraction.isEmpty && display.unit != nil && !unitFromHeader
        let decimals = impliesDecimals ? (profile.impliedDecimals ?? 0) : display.fraction.count
        let stepExponent = unitExponent - decimals
        let step =
            stepExponent >= 0
            ? DecimalValue(mantissa: PowerOfTen.value(stepExponent), scale: 0)
            : DecimalValue(mantissa: 1, scale: UInt8(-stepExponent))

        if display.plus {
            // Step 6: censored; the profile says whether `N+` means at least N or more than N.
            let lo = profile.censoredBound == .moreThan ? base + 1 : base
            return .count(
                ParsedCount(
                    raw: raw,
                    point: lo,
                    lo: lo,
                    hi: nil,
                    isExact: false,
                    isCensored: true,
                    unit: display.unit,
                    step: step,
                    roundingMode: profile.roundingMode,
                    isInconsistent: false
                )
            )
        }
        guard let unit = display.unit else {
            // No unit and no `+`: an exact count, such as `1234次` or `1234.0`.
            return .count(ParsedCount(exact: base, raw: raw))
        }
        return .count(
            unitCount(
                raw: raw,
                base: base,
                unit: unit,
                stepExponent: stepExponent,
                step: step,
                profile,
                unitSwitch: unitFromHeader ? 0 : profile.unitSwitch(for: unit)
            )
        )
    }

    /// Steps 5 and 7 for a unit string without `+`: the interval by rounding mode, clamped to
    /// the unit switch, with integer bounds `⌈lo⌉ … ⌈hi⌉ − 1`.
    private static func unitCount(
        raw: String,
        base: Int64,
        unit: CountUnit,
        stepExponent: Int,
        step: DecimalValue,
        _ profile: CountProfile,
        unitSwitch: Int64
    ) -> ParsedCount {
        // For an integer base and q = 10^e: ⌈base − q/2⌉ = base − ⌊q/2⌋, ⌈base + q⌉ = base + ⌈q⌉,
        // ⌈base + q/2⌉ = base + ⌈q/2⌉. A q below 1 only arises from extra zero decimals.
        let q = stepExponent >= 0 ? PowerOfTen.value(stepExponent) : 0
        let floorHalf = q / 2
        let ceilHalf = max(q / 2, 1)
        let ceilStep = max(q, 1)
        // base ≤ 10^18-ish and q ≤ 10^8, but base can sit near Int64.max: saturate the upper
        // bound to +∞ rather than wrap.
        func plus(_ amount: Int64) -> Int64? {
            let (sum, overflow) = base.addingReportingOverflow(amount)
            return overflow ? nil : sum
        }
        var lo: Int64
        let hi: Int64?
        switch profile.roundingMode {
        case .unknown:
            lo = base - floorHalf
            hi = plus(ceilStep)
        case .halfUp:
            lo = base - floorHalf
            hi = plus(ceilHalf)
        case .floor:
            lo = base
            hi = plus(ceilStep)
        }
        lo = max(lo, 0, unitSwitch)
        var clampedHi = hi
        var inconsistent = false
        if let upper = hi, upper <= lo {
            // The display cannot come from this formatter (`0.9万`): keep the point, report
            // the empty interval [lo, lo).
            inconsistent = true
            clampedHi = lo
        }
        return ParsedCount(
            raw: raw,
            point: base,
            lo: lo,
            hi: clampedHi,
            isExact: false,
            isCensored: false,
            unit: unit,
            step: step,
            roundingMode: profile.roundingMode,
            isInconsistent: inconsistent
        )
    }

    /// Step 1.3: label words at either end (`阅读`, `次播放`, `粉丝`, …), then a `次` left at the
    /// end (`22万次`), so `22万次播放` and `播放22万次` both read `22万`.
    private static func stripLabels(_ text: inout [Unicode.Scalar]) {
        var changed = true
        while changed {
            changed = false
            for label in labels {
                if text.count >= label.count && text.starts(with: label) {
                    text.removeFirst(label.count)
                    changed = true
                }
                if text.count >= label.count && text.suffix(label.count).elementsEqual(label) {
                    text.removeLast(label.count)
                    changed = true
                }
            }
        }
        if text.count > 1, text.last == "次" {
            text.removeLast()
        }
    }

    /// The label words of Step 1.3, longest first so `次阅读` goes before `阅读`.
    private static let labels: [[Unicode.Scalar]] =
        [
            "次阅读", "次播放", "次观看", "人看过", "阅读", "播放", "观看", "粉丝", "关注", "获赞", "点赞", "评论", "转发",
            "分享", "在看", "收藏", "赞",
        ]
        .map { Array($0.unicodeScalars) }

    private static func reject(_ raw: String, _ reason: String) -> CountParseResult {
        .rejected(reason: "\(DisplayText.quoted(raw)) is not a count: \(reason)")
    }
}

// MARK: - Step 3 grammar

/// A display string split by the anchored grammar of Step 3:
/// `^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(万|w|亿|k|千|百万|千万)?(\+)?$`.
private struct DisplayNumber {
    /// The digits before the point, commas removed.
    var integer: [Int64] = []
    /// The digits after the point, trailing zeros kept (they set the step).
    var fraction: [Int64] = []
    var unit: CountUnit?
    var plus = false

    struct Failure: Error {
        var reason: String
    }

    /// The units, two-character ones first so `千万` is not read as `千` + `万`.
    private static let units: [([Unicode.Scalar], CountUnit)] = [
        (Array("百万".unicodeScalars), .million),
        (Array("千万".unicodeScalars), .tenMillion),
        (["万"], .wan),
        (["w"], .wan),
        (["亿"], .yi),
        (["千"], .thousand),
        (["k"], .thousand),
    ]

    /// Chinese numerals, recognised only to say why they are rejected.
    private static let chineseNumerals: Set<Unicode.Scalar> = Set("零〇一二两三四五六七八九十百千万亿".unicodeScalars)

    static func scan(_ text: [Unicode.Scalar]) -> Result<DisplayNumber, Failure> {
        var number = DisplayNumber()
        var index = 0

        func fail(_ reason: String) -> Result<DisplayNumber, Failure> { .failure(Failure(reason: reason)) }
        func describe(_ scalar: Unicode.Scalar) -> String { "\"\(scalar.escaped(asASCII: false))\"" }

        // The integer part, with comma groups checked as in the fast path.
        var groupDigits = 0
        var sawComma = false
        while index < text.count {
            if let digit = DisplayText.digit(text[index]) {
                if sawComma && groupDigits == 3 { return fail("commas must separate groups of three digits") }
                number.integer.append(digit)
                groupDigits += 1
            } else if text[index] == "," {
                guard groupDigits > 0, sawComma ? groupDigits == 3 : groupDigits <= 3 else {
                    return fail("commas must separate groups of three digits")
                }
                sawComma = true
                groupDigits = 0
            } else {
                break
            }
            index += 1
        }
        if number.integer.isEmpty {
            let first = text[index]
            if first == "-" || first == "\u{2212}" {
                return fail("negative counts are not accepted")
            }
            if chineseNumerals.contains(first) {
                return fail("Chinese numerals are not accepted (expected digits such as 1.2万)")
            }
            return fail("expected a digit, found \(describe(first))")
        }
        if sawComma && groupDigits != 3 { return fail("commas must separate groups of three digits") }

        // The fraction.
        if index < text.count && text[index] == "." {
            index += 1
            while index < text.count, let digit = DisplayText.digit(text[index]) {
                number.fraction.append(digit)
                index += 1
            }
            if number.fraction.isEmpty { return fail("a decimal point must be followed by digits") }
        }

        // The unit.
        for (spelling, unit) in units
        where index + spelling.count <= text.count && text[index..<index + spelling.count].elementsEqual(spelling) {
            number.unit = unit
            index += spelling.count
            break
        }

        // The censoring mark.
        if index < text.count && text[index] == "+" {
            number.plus = true
            index += 1
        }

        guard index < text.count else { return .success(number) }
        let next = text[index]
        if number.unit == nil && !number.plus && next == "e" {
            let following = index + 1 < text.count ? text[index + 1] : nil
            if let following, DisplayText.digit(following) != nil || following == "+" || following == "-" {
                return fail("scientific notation is not accepted")
            }
            return fail("\"e\" for 亿 is not accepted")
        }
        if number.unit != nil && !number.plus && (DisplayText.digit(next) != nil || chineseNumerals.contains(next)) {
            return fail("mixed units are not accepted")
        }
        if next == "." { return fail("more than one decimal point") }
        return fail("unexpected \(describe(next)) after the number")
    }
}
