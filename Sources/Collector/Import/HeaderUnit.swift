/// The unit a column header names in brackets at its end (`播放量(万)`, `完播率(%)`,
/// `平均播放时长(分钟)`, `播放量（单位：万次）`): what the numbers of the column are in.
///
/// ``HeaderMatcher`` leaves such a bracket out when it compares names, so `播放量(万)` is the
/// 播放量 column; its unit must then be applied, or the numbers would be stored in the wrong
/// unit (12 for 120,000 plays, 0.85 % as 85 %). ``reading(header:as:)`` says what the bracket
/// means for a column read as a ``ValueKind``:
/// - nothing: no bracket, a unit that does not scale (`人`, `次`, `人次`, `条`, `个`, `篇`, `位`;
///   `秒`, `s`), or words that name no unit (`累计`, `去重`);
/// - a unit applied to a number without a unit of its own (``CellReader``): `万`, `w`, `千`,
///   `k`, `百万`, `千万`, `亿` for a count, also followed by a noun (`万次`, `万人`), giving an
///   approximate value as `12万` does (COUNTS_AND_TARGETS.md §1.3); `%` for a rate; `分钟`,
///   `小时`, `毫秒` (and `min`, `h`, `ms`) for a duration;
/// - a refusal, for a unit that does not fit the column (`播放量(%)`) or that the importer
///   cannot apply (`十万`, `‰`, `天`, any bracket with a digit, a Latin letter, a scale or a
///   duration word, or of units alone): the column is not imported rather than stored unscaled.
///
/// Words that explain the column rather than name its unit (`截至该日累计`, `该日一天`, `当日`)
/// are a note: nothing to apply, as for `累计`.
public enum HeaderUnit: Sendable, Hashable {
    /// A count in 万, 千, …: `12` is `12万`.
    case count(CountUnit)
    /// A rate in percent: `0.85` is 0.85 %.
    case percent
    /// A duration in minutes, hours or milliseconds: `1.5` under `(分钟)` is 90 seconds.
    case duration(DurationUnit)

    /// What a header's unit means for its column.
    public enum Reading: Sendable, Hashable {
        /// No unit to apply: the numbers are read as they are.
        case none
        /// A unit to apply to numbers without a unit of their own.
        case unit(HeaderUnit)
        /// A unit that cannot be applied; `reason` names it and says what to do.
        case refused(reason: String)
    }

    /// What the unit at the end of `header` (a header cell as written) means for a column read
    /// as `kind`.
    public static func reading(header: String, as kind: ValueKind) -> Reading {
        guard let written = bracket(of: header) else { return .none }
        var text = DisplayText.normalizedScalars(written)
        for prefix in unitPrefixes where text.starts(with: prefix) && text.count > prefix.count {
            text.removeFirst(prefix.count)
            break
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text)
        let unit = String(scalars)
        let found: HeaderUnit
        if neutral.contains(unit) {
            return .none
        } else if let known = known(unit) {
            found = known
        } else if namesUnit(unit) {
            return .refused(
                reason: "its unit \"\(written)\" is not one the importer can apply (counts: 万, w, 千, k, 百万, 千万, 亿; "
                    + "rates: %; durations: 分钟, 小时, 毫秒; 人, 次, 条, 个, 秒 and s change nothing), and its numbers "
                    + "stored as they are would be in the wrong unit; the column was not imported: convert the column "
                    + "to plain numbers (or to one of these units), name that unit in the header (or none), and import "
                    + "the file again"
            )
        } else {
            // Words such as 累计 or 去重, or a note on what the column holds (截至该日累计,
            // 该日一天): no unit.
            return .none
        }
        guard found.fits(kind) else {
            return .refused(
                reason: "its unit \"\(written)\" does not fit \(describe(kind)) (\(fitting(kind))); the column was not "
                    + "imported: check the header's unit, correct it, and import the file again"
            )
        }
        return .unit(found)
    }

    /// The text in the last brackets of `header`, when it ends with them and has a name before
    /// them (as ``HeaderMatcher`` leaves them out): `播放量（单位：万）` → `单位：万`.
    static func bracket(of header: String) -> String? {
        let normalized = HeaderMatcher.normalize(header)
        guard normalized.hasSuffix(")"), let open = normalized.lastIndex(of: "("), open != normalized.startIndex
        else { return nil }
        let inside = normalized[normalized.index(after: open)..<normalized.index(before: normalized.endIndex)]
        return inside.isEmpty ? nil : String(inside)
    }

    /// Whether the unit applies to a column read as `kind`.
    private func fits(_ kind: ValueKind) -> Bool {
        switch (self, kind) {
        case (.count, .count), (.percent, .rate), (.duration, .seconds): true
        default: false
        }
    }

    private static func describe(_ kind: ValueKind) -> String {
        switch kind {
        case .count: "a count"
        case .rate: "a rate"
        case .seconds: "a duration"
        }
    }

    /// The units a column of `kind` may name, for messages.
    private static func fitting(_ kind: ValueKind) -> String {
        switch kind {
        case .count: "a count's header may name 万, w, 千, k, 百万, 千万, 亿, or 人, 次, 条, 个"
        case .rate: "a rate's header may name %"
        case .seconds: "a duration's header may name 秒, s, 分钟, 小时 or 毫秒"
        }
    }

    /// `万`, `万次`, `%`, `分钟`, …: the unit of a known spelling, or nil.
    private static func known(_ unit: String) -> HeaderUnit? {
        if unit == "%" { return .percent }
        if let duration = durations[unit] { return .duration(duration) }
        for (spelling, count) in countUnits where unit.hasPrefix(spelling) {
            let noun = unit.dropFirst(spelling.count)
            if noun.isEmpty || nouns.contains(String(noun)) { return .count(count) }
        }
        return nil
    }

    /// `单位：万`: the word 单位 (unit) before the unit, with a colon.
    private static let unitPrefixes: [[Unicode.Scalar]] = ["单位:", "单位：", "单位"].map { Array($0.unicodeScalars) }

    /// Nouns that count things without scaling them (`(人)`, `(次)`), also after a scale (`万人`).
    private static let nouns: Set<String> = ["人次", "人", "次", "条", "个", "篇", "位"]

    /// Units that change nothing: the nouns, and seconds, which a duration is stored in.
    private static let neutral: Set<String> = nouns.union(["秒", "秒钟", "s", "sec", "secs", "second", "seconds"])

    /// The count scales, longest first so `百万` is not taken for another unit.
    private static let countUnits: [(String, CountUnit)] = [
        ("百万", .million), ("千万", .tenMillion), ("万", .wan), ("w", .wan), ("千", .thousand), ("k", .thousand),
        ("亿", .yi),
    ]

    private static let durations: [String: DurationUnit] = [
        "分钟": .minutes, "分": .minutes, "min": .minutes, "mins": .minutes, "minute": .minutes, "minutes": .minutes,
        "小时": .hours, "时": .hours, "h": .hours, "hr": .hours, "hrs": .hours, "hour": .hours, "hours": .hours,
        "毫秒": .milliseconds, "ms": .milliseconds,
    ]

    /// Whether the text of a bracket (not a known unit) names a unit all the same, which must
    /// not be read past: a digit, a Latin letter, a percent or per-mille sign (`PV`, `‰`,
    /// `2位小数`), a scale or currency anywhere (`十万`, `万/天`, `元`), a duration word (`分钟/次`),
    /// or a text of nothing but units and counting nouns (`天`, `月`, `小时次`).
    ///
    /// Anything else is a note on what the column holds, in words: `累计`, `去重`, and the
    /// template's own `截至该日累计` or `该日一天`, whose 日 or 天 is part of a phrase about the
    /// day counted, not the column's unit (read as one until session 15, which refused the
    /// column a unit had named as the template told it to).
    private static func namesUnit(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        if scalars.contains(where: { signs.contains($0) || scales.contains($0) || ("0"..."9").contains($0) }) {
            return true
        }
        if durationWords.contains(where: text.contains) { return true }
        return scalars.allSatisfy { timeUnits.contains($0) || nounCharacters.contains($0) }
    }

    /// Latin letters (lower case: the bracket is normalised) and signs, units wherever they are
    /// (`次/日` is a count per day).
    private static let signs = Set("abcdefghijklmnopqrstuvwxyz%‰‱/".unicodeScalars)

    /// Scales and currency, units wherever they are.
    private static let scales = Set("万千百十亿兆元".unicodeScalars)

    /// Durations of more than one character, units wherever they are.
    private static let durationWords = ["分钟", "小时", "毫秒", "秒钟"]

    /// Units of time that are also words of a note (当日, 每天, 本月, 实时), units only alone
    /// or with other units and nouns.
    private static let timeUnits = Set("分秒时天日周月年毫".unicodeScalars)

    private static let nounCharacters = Set("人次条个篇位".unicodeScalars)
}
