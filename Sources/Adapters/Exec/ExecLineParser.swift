package import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// Validates one stdout line of an exec command (SPEC §5) and turns it into a sample, a state
/// cursor, or the reason it was rejected.
///
/// A sample line:
/// `{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"","metric":"followers","value":123,"quality":"exact"}`
/// - `time`: RFC 3339 with an offset (or `Z`); required. Not before ``earliestTime``
///   (2000-01-01), and not more than ``futureTolerance`` (1 hour) after the collector's clock.
/// - `account`: a non-empty string without control characters (C0, DEL, C1, U+2028/U+2029),
///   and without white space at either end (`" a1 "` would be an account of its own); required.
/// - `object`: a string, `""` (or absent, or null) for account-level metrics; the same rules
///   as `account` otherwise.
/// - `metric`: a SPEC §4 name or `<platform>_<name>`; required.
/// - `value`: a JSON integer, or a JSON number with a fraction for rates; required. Display
///   strings such as `"1.2万"` are refused: the command must convert them.
/// - `quality`: `exact` (the default), `approx` or `lower_bound`.
/// Any other member is refused, so a misspelt `quailty` cannot pass as `exact`, and so is a
/// member given twice (`"value":1,"value":2`: which one was meant cannot be told).
/// A line whose `account`, `object` or `metric` contains the value of an `env` variable named
/// as a secret (``SecretRedactor``) is refused too: those are stored in the data files as printed.
///
/// A state line is `{"state": {…}}` (a JSON object) and nothing else.
///
/// Built for throughput (a command may print millions of lines): jansson parses the line into
/// a flat view (``JSONValue/withFlatObject(_:_:)``) with no ``JSONValue`` tree, and the time,
/// account and object of the previous line, and every metric name seen, are reused when their
/// bytes repeat, which they mostly do.
package struct ExecLineParser {
    /// What a line is.
    package enum Outcome {
        /// An empty or whitespace-only line: ignored.
        case blank
        /// A valid sample, added to the batch.
        case sample
        /// A state cursor, to save once the samples before it are durable.
        case state(JSONValue)
        /// A rejected line, and why (without the line number).
        case invalid(String)
    }

    /// The platform of every sample (from the configuration).
    let platform: Platform
    /// The collector's clock, which a sample's time may not run ahead of (``futureTolerance``).
    private let now: @Sendable () -> Timestamp
    /// The configured timezone, in which a message shows the clock's time.
    private let calendar: PlatformCalendar
    /// The secret `env` values, which no stored field may contain.
    private let secrets: SecretRedactor
    /// The latest time accepted without reading the clock again: the clock's last reading
    /// plus ``futureTolerance``. The clock only moves on, so a time up to it is never ahead.
    private var latestAllowed = Int64.min
    private var lastTime = BytesMemo<Timestamp>()
    private var lastAccount = BytesMemo<Bool>()
    private var metrics: [BytesMemo<KnownMetric>] = []

    /// How far a sample's time may lie after the collector's clock: a clock that is a little
    /// off on either side, not an offset. A local time labelled `Z` (or `+08:00` on a UTC
    /// time) is hours off, and a row stamped in the future would be taken as the latest value
    /// by every report until its time came (as `collector import` refuses a day to come).
    package static let futureTolerance: Int64 = 3600

    /// The earliest time a sample may have, 2000-01-01T00:00:00Z: before every platform the
    /// collector knows (Weibo and Bilibili 2009, WeChat official accounts 2012, Douyin 2016).
    /// An earlier time is a zero or missing date (Unix time 0, `0001-01-01`); the files could
    /// not even carry one before 1901 faithfully (a time zone's local mean time, `+08:05:43`,
    /// has no RFC 3339 offset).
    package static let earliestTime = Timestamp(secondsSinceEpoch: 946_684_800)

    /// Creates a parser for `platform`'s samples.
    /// - Parameters:
    ///   - now: The collector's clock (``AdapterContext/now``), read once per distinct time.
    ///   - calendar: The configured timezone, for messages.
    ///   - secrets: The section's secret `env` values, refused in the stored fields.
    package init(
        platform: Platform,
        now: @escaping @Sendable () -> Timestamp,
        calendar: PlatformCalendar,
        secrets: SecretRedactor = SecretRedactor([])
    ) {
        self.platform = platform
        self.now = now
        self.calendar = calendar
        self.secrets = secrets
    }

    /// Parses one line (without its `\n`); a valid sample goes to `batch` at once, its strings
    /// read in place from jansson's tree.
    /// - Throws: The batch's errors (storage), never for an invalid line.
    package mutating func parse(_ line: UnsafeRawBufferPointer, into batch: SampleBatch) throws -> Outcome {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return .blank }
        var failure: (any Error)?
        let outcome: Outcome
        do {
            outcome = try JSONValue.withFlatObject(line) { view in interpret(view, into: batch, failure: &failure) }
        } catch {
            switch error.kind {
            case .notAnObject:
                return .invalid("expected a JSON object, found an array")
            case .html:
                return .invalid("not valid JSON: the line starts with \"<\"")
            case .truncated:
                return .invalid("not valid JSON: the line ends in the middle of a value")
            case .duplicateMember:
                return .invalid(
                    "a member appears twice (the second ends at column \(error.column)): give each member once;"
                        + " which of the two values was meant cannot be told"
                )
            default:
                return .invalid("not valid JSON: column \(error.column): \(error.text)")
            }
        }
        if let failure { throw failure }
        return outcome
    }

    // MARK: - Members

    private struct Members {
        var time: UnsafeRawBufferPointer?
        var account: UnsafeRawBufferPointer?
        var object: UnsafeRawBufferPointer?
        var metric: UnsafeRawBufferPointer?
        var value: FlatValue?
        var quality: UnsafeRawBufferPointer?
        var hasState = false
        var problem: String?
    }

    private mutating func interpret(
        _ view: borrowing FlatObjectView,
        into batch: SampleBatch,
        failure: inout (any Error)?
    ) -> Outcome {
        var members = Members()
        view.forEachMember { key, value in
            guard members.problem == nil else { return }
            Self.collect(key, value, into: &members)
        }
        if let problem = members.problem { return .invalid(problem) }
        if members.hasState {
            guard view.count == 1, let state = view.value(forKey: "state") else {
                return .invalid("a state line has only the \"state\" member: {\"state\":{…}}")
            }
            // SPEC §5: the state is an object, `{"state":{…}}`; anything else would reach the next
            // run as COLLECTOR_STATE="str" or null, which no command expects.
            guard case .object = state else {
                return .invalid(
                    "\"state\" must be a JSON object, not \(Self.article(state.typeName)): {\"state\":{\"cursor\":…}}"
                        + "; the state was not saved"
                )
            }
            return .state(state)
        }
        return sample(members, into: batch, failure: &failure)
    }

    /// Sorts a member into `members`, or sets `members.problem`.
    private static func collect(_ key: UnsafeRawBufferPointer, _ value: FlatValue, into members: inout Members) {
        func string(_ name: String) -> UnsafeRawBufferPointer? {
            switch value {
            case .string(let bytes): return bytes
            default:
                members.problem = "\"\(name)\" must be a string, not \(article(value.typeName))"
                return nil
            }
        }
        /// `object` and `quality` may be null, meaning their default.
        func optionalString(_ name: String) -> UnsafeRawBufferPointer? {
            if case .null = value { return nil }
            return string(name)
        }
        switch key.count {
        case 4 where matches(key, "time"): members.time = string("time")
        case 7 where matches(key, "account"): members.account = string("account")
        case 6 where matches(key, "object"): members.object = optionalString("object")
        case 6 where matches(key, "metric"): members.metric = string("metric")
        case 5 where matches(key, "value"): members.value = value
        case 7 where matches(key, "quality"): members.quality = optionalString("quality")
        case 5 where matches(key, "state"): members.hasState = true
        default:
            members.problem =
                "unknown member \(quoted(key)): a sample line has time, account, object, metric, value"
                + " and quality; a state line has only state"
        }
    }

    private mutating func sample(_ members: Members, into batch: SampleBatch, failure: inout (any Error)?) -> Outcome {
        guard let timeBytes = members.time else { return .invalid("missing \"time\"") }
        guard let accountBytes = members.account else { return .invalid("missing \"account\"") }
        guard let metricBytes = members.metric else { return .invalid("missing \"metric\"") }
        guard let value = members.value else { return .invalid("missing \"value\"") }

        let time: Timestamp
        if let cached = lastTime.value(for: timeBytes) {
            time = cached
        } else {
            guard let parsed = PlatformCalendar.parseRFC3339(String(decoding: timeBytes, as: UTF8.self)) else {
                return .invalid(
                    "\"time\" = \(Self.quoted(timeBytes)) is not a valid RFC 3339 time with an offset,"
                        + " such as 2026-11-25T00:00:00+08:00 (a real date, hours 00–23, minutes and seconds 00–59)"
                )
            }
            // Checked once per distinct time: the lines that repeat it take the cached one.
            if let problem = timeProblem(parsed, timeBytes) { return .invalid(problem) }
            lastTime.remember(timeBytes, parsed)
            time = parsed
        }

        guard accountBytes.count > 0 else { return .invalid("\"account\" is empty") }
        // An account is checked once per run of lines that repeat it (the memo), an object on
        // every line: only for a section with a secret in `env`, and only an object as long as it.
        if lastAccount.value(for: accountBytes) == nil {
            if let problem = Self.idProblem(accountBytes, field: "account") { return .invalid(problem) }
            if let variable = secrets.variable(in: accountBytes) {
                return .invalid(Self.secretProblem("account", variable))
            }
            lastAccount.remember(accountBytes, true)
        }

        let objectBytes = members.object ?? UnsafeRawBufferPointer(start: nil, count: 0)
        if let problem = Self.idProblem(objectBytes, field: "object") { return .invalid(problem) }
        if let variable = secrets.variable(in: objectBytes) { return .invalid(Self.secretProblem("object", variable)) }

        guard let (metric, range) = metricName(metricBytes) else {
            if let variable = secrets.variable(in: metricBytes) {
                return .invalid(Self.secretProblem("metric", variable))
            }
            if let owner = MetricName.builtInOwner(of: String(decoding: metricBytes, as: UTF8.self)) {
                return .invalid(
                    "\"metric\" = \(Self.quoted(metricBytes)) is a \(owner) metric; platform"
                        + " \(platform.rawValue) writes SPEC §4 names or \(platform.rawValue)_<name>"
                )
            }
            return .invalid(
                "\"metric\" = \(Self.quoted(metricBytes)) is neither a SPEC §4 metric name nor"
                    + " \(platform.rawValue)_<name> in lower-case letters, digits and _"
            )
        }

        let sampleValue: SampleValue
        switch value {
        case .integer(let number):
            sampleValue = .integer(number)
        case .real(let number):
            guard let decimal = DecimalValue(number) else {
                return .invalid("\"value\" = \(number) " + Self.outOfRange(number, metric: metric, range: range))
            }
            if decimal.scale == 0 {
                sampleValue = .integer(decimal.mantissa)  // 12.0 is the count 12
            } else if range.takesDecimals {
                sampleValue = .decimal(decimal)
            } else {
                return .invalid(
                    "\"value\" = \(decimal) is not a whole number, but \(metric) is a count; only metrics"
                        + " named with the word rate, ctr or seconds take decimals"
                )
            }
        case .string(let bytes):
            return .invalid(
                "\"value\" must be a JSON number, not the string \(Self.quoted(bytes)); convert display"
                    + " strings such as 1.2万 or 10万+ to a number (and quality approx or lower_bound) before printing"
            )
        default:
            return .invalid("\"value\" must be a JSON number, not \(Self.article(value.typeName))")
        }

        // SPEC §4 meanings: counts are not negative, rates are fractions 0–1.
        if let problem = metric.rangeProblem(of: sampleValue, in: range) {
            return .invalid("\"value\" = \(sampleValue) \(problem)")
        }

        var quality = Quality.exact
        if let qualityBytes = members.quality {
            switch qualityBytes.count {
            case 5 where Self.matches(qualityBytes, "exact"): quality = .exact
            case 6 where Self.matches(qualityBytes, "approx"): quality = .approx
            case 11 where Self.matches(qualityBytes, "lower_bound"): quality = .lowerBound
            default:
                return .invalid(
                    "\"quality\" = \(Self.quoted(qualityBytes)) is not one of exact, approx, lower_bound"
                )
            }
        }

        do {
            try batch.add(
                time: time,
                platform: platform,
                account: accountBytes,
                object: objectBytes,
                metric: metricBytes,
                value: sampleValue,
                quality: quality,
                source: .exec
            )
        } catch {
            failure = error
        }
        return .sample
    }

    /// Why `time` (written as `bytes`) cannot be a sample's time: before ``earliestTime``, or
    /// more than ``futureTolerance`` after the collector's clock.
    private mutating func timeProblem(_ time: Timestamp, _ bytes: UnsafeRawBufferPointer) -> String? {
        if time < Self.earliestTime {
            return "\"time\" = \(Self.quoted(bytes)) is before 2000-01-01, earlier than any platform's data;"
                + " a zero or missing date (Unix time 0, 0001-01-01) is the usual cause"
        }
        // The clock is read only for a time past the last reading's bound: a line's time
        // changes every second or so, and a clock read per line costs as much as its check.
        if time.secondsSinceEpoch <= latestAllowed { return nil }
        let clock = now()
        latestAllowed = clock.secondsSinceEpoch + Self.futureTolerance
        let ahead = time.secondsSinceEpoch - clock.secondsSinceEpoch
        guard ahead > Self.futureTolerance else { return nil }
        let distance =
            ahead < 2 * 3600
            ? "\(ahead / 60) minutes" : ahead < 2 * 86_400 ? "\(ahead / 3600) hours" : "\(ahead / 86_400) days"
        return "\"time\" = \(Self.quoted(bytes)) is \(distance) after the collector's clock"
            + " (\(calendar.render(clock))), and a time more than 1 hour ahead is refused; a local time given"
            + " with Z or another wrong offset is the usual cause (Beijing time is +08:00)"
    }

    /// Why a number that fits no ``DecimalValue`` (1e+20: its whole part has more than 18
    /// digits) cannot be `metric`'s value: a count ends at Int64's largest value, a decimal at
    /// 18 digits. (More decimal places than 18 are rounded away, never refused.)
    private static func outOfRange(_ number: Double, metric: MetricName, range: MetricName.ValueRange) -> String {
        // The range's own words where they are true of the number: a negative count or rate,
        // a rate above 1. A stand-in value on the same side of the bound asks for them.
        let standIn: SampleValue? = number < 0 ? .integer(-1) : number > 1 ? .integer(2) : nil
        if let standIn, let problem = metric.rangeProblem(of: standIn, in: range) { return problem }
        guard !range.takesDecimals else {
            return "is too large for a decimal (at most 18 digits)"
        }
        return "is beyond the largest count, \(Int64.max) (a 64-bit integer), but \(metric) is a count"
    }

    /// Why `bytes` cannot be an id (`account`, `object`): a control character (a NUL, a line
    /// break) has no place in an id column, a backslash no encoding in an Influx tag that every
    /// reader agrees on, and white space at either end would make `" a1 "` an account (or an
    /// object) apart from `a1`.
    private static func idProblem(_ bytes: UnsafeRawBufferPointer, field: String) -> String? {
        switch StoredID.problem(bytes) {
        case .controlCharacter:
            return "\"\(field)\" = \(quoted(bytes)) contains a control character"
        case .backslash:
            return backslashProblem(field, bytes)
        case nil:
            break
        }
        if StoredID.startsOrEndsWithSpace(bytes) {
            return "\"\(field)\" = \(quoted(bytes)) has white space at its start or end; write the id without it"
                + " (\" a1 \" would be stored apart from \"a1\")"
        }
        return nil
    }

    /// Why a line whose `field` contains the value of the `env` variable `variable` is refused
    /// (the value is never shown), and what to do.
    private static func secretProblem(_ field: String, _ variable: String) -> String {
        "\"\(field)\" contains the value of env \(variable) (not shown): the \(field) is stored in the data files as"
            + " printed, where a secret must never go, so the line was not stored; print the platform's"
            + " \(field == "metric" ? "metric name" : "id") there, not the secret (a variable named with TOKEN,"
            + " SECRET, COOKIE, KEY, SESSION … is taken for one)"
    }

    /// Why an id with a backslash is refused, and what to do.
    private static func backslashProblem(_ field: String, _ bytes: UnsafeRawBufferPointer) -> String {
        "\"\(field)\" = \(quoted(bytes)) contains a backslash, which Influx line protocol cannot carry in a"
            + " tag; print the platform's id, which has none (a backslash usually means the id was escaped twice)"
    }

    /// A validated metric name; the names seen so far are remembered (a command prints a few
    /// dozen distinct ones), so validation runs once per name.
    private mutating func metricName(_ bytes: UnsafeRawBufferPointer) -> KnownMetric? {
        for memo in metrics {
            if let known = memo.value(for: bytes) { return known }
        }
        // `xiaohongshu_<a hex token>` is a valid name: refused here, explained by the caller.
        guard secrets.variable(in: bytes) == nil else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard MetricName.isValid(text, for: platform) else { return nil }
        let name = MetricName(rawValue: text)
        let known = KnownMetric(name: name, range: name.valueRange)
        if metrics.count < 64 {
            var memo = BytesMemo<KnownMetric>()
            memo.remember(bytes, known)
            metrics.append(memo)
        }
        return known
    }

    /// A validated metric name with the values it admits.
    private typealias KnownMetric = (name: MetricName, range: MetricName.ValueRange)

    // MARK: - Helpers

    private static func matches(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        bytesEqual(bytes, UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// A JSON string value quoted for a message, cut at 60 bytes with `…`. The cut is on a
    /// character boundary, so the excerpt ends with the value's own characters: the start of a
    /// secret cut off there is what ``SecretRedactor`` recognises and hides.
    private static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count > 60 else { return "\"" + String(decoding: bytes, as: UTF8.self) + "\"" }
        var end = 60
        // Back off over UTF-8 continuation bytes (10xxxxxx) to the start of the character.
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return "\"" + String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self) + "…\""
    }

    private static func article(_ typeName: String) -> String {
        switch typeName {
        case "null": "null"
        case "integer", "array", "object": "an " + typeName
        default: "a " + typeName
        }
    }
}

/// The last bytes seen for a field and what they were turned into: consecutive lines of an
/// exec command mostly repeat their time and account.
private struct BytesMemo<Value> {
    private var bytes: [UInt8] = []
    private var value: Value?

    /// The value remembered for exactly these bytes, or nil.
    func value(for candidate: UnsafeRawBufferPointer) -> Value? {
        guard let value, candidate.count == bytes.count else { return nil }
        return bytes.withUnsafeBytes { stored in bytesEqual(stored, candidate) } ? value : nil
    }

    /// Remembers `value` for `candidate`.
    mutating func remember(_ candidate: UnsafeRawBufferPointer, _ value: Value) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: candidate)
        self.value = value
    }
}

/// Whether two byte ranges hold the same bytes (`memcmp`, which takes no null pointer).
private func bytesEqual(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
    guard left.count == right.count else { return false }
    guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return left.count == 0 }
    return memcmp(leftBase, rightBase, left.count) == 0
}
