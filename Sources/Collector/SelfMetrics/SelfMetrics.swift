import Synchronization

/// The collector's own metrics (STYLE §11), kept apart from the data: requests and errors by
/// platform and code, samples written, skipped and dropped, how long collections took, when
/// each adapter last succeeded.
///
/// ``write(to:)`` renders them in the Prometheus text format (replaced atomically), meant for
/// `state_dir/collector-<instance>.prom` where a node_exporter textfile collector can read it.
/// Counters carry on from the previous file (``carryOver(_:configured:)``), so they only grow
/// across `--once` runs; gauges keep their last value for adapters this run did not touch. The
/// series of an adapter instance no longer in the configuration are dropped, so a renamed or
/// removed section does not leave a frozen `collector_last_success_timestamp_seconds` behind.
///
/// Every series of the file carries `collector_instance`, the collector instance the file
/// belongs to (`main`, `main-shard-0`): shards and instances sharing a state folder write one
/// file each, and a textfile collector reading them all keeps only one of two series with the
/// same name and labels (silently), so each file's series must differ from every other's. The
/// label is added when the file is rendered and taken off when it is carried over, so series
/// inside are keyed without it.
///
/// Labels are bounded: platforms, adapter instance names, HTTP status codes and the bounded
/// failure labels (``AdapterError/label``, ``HTTPError/metricLabel``), never messages or URLs.
///
/// Thread-safe: one mutex guards the series.
public final class SelfMetrics: Sendable {
    /// A family: its name (without `_total`), type and help.
    struct Family {
        var name: String
        var isCounter: Bool
        var help: String
    }

    private struct Series: Hashable {
        var family: String
        /// `{name="value",…}`, already escaped, or empty.
        var labels: String
    }

    /// Counters of one adapter instance, kept as numbers while the run records accounts and
    /// turned into labelled series only by ``snapshot()``: recording an account then costs one
    /// dictionary update, not a label string per family.
    private struct AccountTally {
        var written = 0
        var duplicates = 0
        var outranked = 0
        var collected = 0
        var lastSuccess: Int64?
        /// Failures by error label.
        var errors: [String: Int] = [:]

        mutating func add(_ counts: WriteCounts) {
            written += counts.written
            duplicates += counts.duplicates
            outranked += counts.outranked
        }

        mutating func add(failures: [CollectionFailure], succeededAt time: Int64?) {
            for failure in failures { errors[failure.label, default: 0] += failure.occurrences }
            if let time {
                collected += 1
                lastSuccess = max(lastSuccess ?? time, time)
            }
        }
    }

    private struct InstanceKey: Hashable {
        var adapter: String
        var platform: Platform
    }

    private struct State {
        /// Gauges, and counters carried over from the previous file.
        var values: [Series: Double] = [:]
        /// This process's requests, by platform, then by code.
        var requests: [String: [String: Int]] = [:]
        /// This process's accounts, by adapter instance.
        var accounts: [InstanceKey: AccountTally] = [:]
    }

    static let requests = Family(
        name: "collector_http_requests",
        isCounter: true,
        help: "HTTP requests sent, by platform and HTTP status (or transport error)."
    )
    static let errors = Family(
        name: "collector_collect_errors",
        isCounter: true,
        help: "Failures reported, by adapter, platform and error label."
    )
    static let written = Family(
        name: "collector_samples_written",
        isCounter: true,
        help: "Rows appended to the data files, by platform and format."
    )
    static let duplicates = Family(
        name: "collector_samples_duplicate",
        isCounter: true,
        help: "Samples skipped because the same key and value were already stored."
    )
    static let dropped = Family(
        name: "collector_samples_dropped",
        isCounter: true,
        help: "Samples not stored, by reason (outranked: an approximate value over an exact one)."
    )
    static let collected = Family(
        name: "collector_accounts_collected",
        isCounter: true,
        help: "Accounts collected without a failure."
    )
    static let accountsFailed = Family(
        name: "collector_accounts_failed",
        isCounter: false,
        help: "Accounts that failed in the adapter's last pass."
    )
    static let collectDuration = Family(
        name: "collector_collect_duration_seconds",
        isCounter: false,
        help: "How long the adapter's last pass took."
    )
    static let lastSuccess = Family(
        name: "collector_last_success_timestamp_seconds",
        isCounter: false,
        help: "When an account of the adapter was last collected without a failure (0: not yet, after a failed pass)."
    )
    static let circuitOpen = Family(
        name: "collector_circuit_open_until_timestamp_seconds",
        isCounter: false,
        help: "Until when the service is left alone after an anti-bot answer."
    )
    static let runDuration = Family(
        name: "collector_run_duration_seconds",
        isCounter: false,
        help: "How long the last run took (a --once run, or a service's life so far)."
    )
    static let lastRun = Family(
        name: "collector_last_run_timestamp_seconds",
        isCounter: false,
        help: "When the last run ended (or, for a service, last wrote this file)."
    )

    static let families: [Family] = [
        requests, errors, written, duplicates, dropped, collected, accountsFailed, collectDuration, lastSuccess,
        circuitOpen, runDuration, lastRun,
    ]

    /// The label every series of the file carries, naming the collector instance. Not
    /// `instance`: Prometheus sets that one on each scrape (the node_exporter's address), and
    /// a series' own `instance` would be renamed to `exported_instance`.
    public static let instanceLabel = "collector_instance"

    /// The formats samples are written in: `collector_samples_written_total` counts each.
    public let formats: [OutputFormat]
    /// The collector instance, with its `-shard-K` suffix: the value of ``instanceLabel``.
    public let instance: String
    /// `collector_instance="…"`, escaped: put in front of every series' labels by render().
    private let instancePair: String
    private let state = Mutex(State())

    /// Creates empty metrics.
    /// - Parameters:
    ///   - instance: The collector instance whose file these are, as it names the file
    ///     (`main`, `main-shard-0` under `--shard 0/N`).
    ///   - formats: The configured output formats.
    public init(instance: String, formats: [OutputFormat]) {
        self.instance = instance
        self.instancePair = "\(Self.instanceLabel)=\"\(Self.escaped(instance))\""
        self.formats = formats.isEmpty ? [.csv] : formats
    }

    // MARK: - Recording

    /// Counts one HTTP request of `platform` that ended with `code` (a status, or a transport
    /// error label such as `timeout`).
    public func recordRequest(platform: Platform, code: String) {
        state.withLock { state in
            state.requests[platform.rawValue, default: [:]][code, default: 0] += 1
        }
    }

    /// Records what one account's collection did; its rows are counted by
    /// ``recordWrites(adapter:platform:counts:)`` when they reach the store.
    /// - Parameters:
    ///   - adapter: The adapter instance.
    ///   - platform: Its platform.
    ///   - failures: Every failure reported for the account (whole-account and partial).
    ///   - succeeded: Whether the account was collected without a whole-account failure.
    ///   - at: When the collection ended.
    public func recordAccount(
        adapter: String,
        platform: Platform,
        failures: [CollectionFailure],
        succeeded: Bool,
        at time: Timestamp
    ) {
        state.withLock { state in
            state.accounts[InstanceKey(adapter: adapter, platform: platform), default: AccountTally()].add(
                failures: failures,
                succeededAt: succeeded ? time.secondsSinceEpoch : nil
            )
        }
    }

    /// Records rows an adapter instance handed to the store: written and skipped. The runner
    /// hands the rows of many accounts over at once, at each group sync.
    public func recordWrites(adapter: String, platform: Platform, counts: WriteCounts) {
        guard counts != WriteCounts() else { return }
        state.withLock { state in
            state.accounts[InstanceKey(adapter: adapter, platform: platform), default: AccountTally()].add(counts)
        }
    }

    /// Records a pass over an adapter instance's accounts: how long it took and how many failed.
    ///
    /// A pass with a failed account gives the instance a `collector_last_success_timestamp_seconds`
    /// of 0 when it has none yet. A section that has never succeeded (a wrong token from day
    /// one) would otherwise have no such series, and the staleness alert `time() - … > 2 *
    /// interval` never fires for it: PromQL compares nothing. Not every configured section from
    /// the start: a section with no account in this shard never succeeds here, and its 0 would
    /// fire the alert for good.
    public func recordPass(adapter: String, platform: Platform, duration: Duration, accountsFailed: Int) {
        let labels = Self.labels(["adapter": adapter, "platform": platform.rawValue])
        state.withLock { state in
            state.values[Series(family: Self.collectDuration.name, labels: labels)] = duration.secondsValue
            state.values[Series(family: Self.accountsFailed.name, labels: labels)] = Double(accountsFailed)
            let lastSuccess = Series(family: Self.lastSuccess.name, labels: labels)
            if accountsFailed > 0 && state.values[lastSuccess] == nil {
                // snapshot() takes this process's successes over it.
                state.values[lastSuccess] = 0
            }
        }
    }

    /// Records an open circuit breaker: labelled with its platform and service (two services of
    /// one platform, `weibo` and `weibo_web`, have a breaker each).
    public func recordCircuit(_ service: CircuitBreaker.Service, openUntil: Timestamp) {
        let labels = Self.labels(["platform": service.platform.rawValue, "service": service.name])
        state.withLock { state in
            state.values[Series(family: Self.circuitOpen.name, labels: labels)] = Double(openUntil.secondsSinceEpoch)
        }
    }

    /// Records the run's duration and end.
    public func recordRun(duration: Duration, endedAt: Timestamp) {
        state.withLock { state in
            state.values[Series(family: Self.runDuration.name, labels: "")] = duration.secondsValue
            state.values[Series(family: Self.lastRun.name, labels: "")] = Double(endedAt.secondsSinceEpoch)
        }
    }

    // MARK: - Reading

    /// The value of a series, for tests and summaries: `value(of: "collector_http_requests_total",
    /// labels: ["platform": "bilibili", "code": "200"])`; nil when the series does not exist.
    public func value(of name: String, labels: [String: String] = [:]) -> Double? {
        let family = name.hasSuffix("_total") ? String(name.dropLast("_total".count)) : name
        let series = Series(family: family, labels: Self.labels(labels))
        return snapshot()[series]
    }

    /// This process's requests, as `bilibili 2000 requests (429: 3, timeout: 1)` per platform,
    /// or nil when none was sent.
    public var requestSummary: String? {
        let requests = state.withLock { $0.requests }
        guard !requests.isEmpty else { return nil }
        let parts = requests.keys.sorted().map { platform -> String in
            let codes = requests[platform] ?? [:]
            let total = codes.values.reduce(0, +)
            let unusual = codes.filter { !($0.key.hasPrefix("2") && $0.key.count == 3) }.sorted { $0.key < $1.key }
            var text = "\(platform) \(total)"
            if !unusual.isEmpty {
                text += " (" + unusual.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
            }
            return text
        }
        return "requests: " + parts.joined(separator: "; ")
    }

    // MARK: - File

    /// Takes over the counters and gauges of a previous file written by ``render()``: counters
    /// continue from their value, gauges keep it until this run sets them. Unknown lines are
    /// ignored. The ``instanceLabel`` is taken off (render() puts this file's back), so a file
    /// written before the label existed carries over the same.
    ///
    /// Series labelled with an adapter instance that is not in `configured` are dropped: a
    /// section renamed or removed from the configuration is never collected again, so its
    /// `collector_last_success_timestamp_seconds` would stay frozen (and a staleness alert fire
    /// for good) and its `collector_accounts_failed` keep its last value. Series without an
    /// adapter label (requests, samples by platform) are kept, except a circuit breaker's
    /// gauge without the `service` label of an earlier version's file.
    /// - Parameters:
    ///   - previous: The previous file's bytes.
    ///   - configured: Every configured adapter instance, by name, with its platform (all of
    ///     them, not only those this run collects: `--only` and not-due instances keep theirs).
    public func carryOver(_ previous: [UInt8], configured: [String: Platform]) {
        let known = Dictionary(uniqueKeysWithValues: Self.families.map { ($0.name, $0) })
        let text = String(decoding: previous, as: UTF8.self)
        let kept = Self.escapedSections(configured)
        var carried: [Series: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            let series = line[..<space]
            let nameEnd = series.firstIndex(of: "{") ?? series.endIndex
            var name = String(series[..<nameEnd])
            if let family = known[String(name.dropLast("_total".count))], family.isCounter, name.hasSuffix("_total") {
                name = family.name
            } else if known[name]?.isCounter != false {
                continue
            }
            let labels = Self.removing(Self.instanceLabel, from: series[nameEnd...])
            guard Self.isConfigured(labels[...], kept) else { continue }
            // A breaker's gauge from before breakers were kept per service has no `service`
            // label: this version writes the same breaker's gauge with one, so the old series
            // would stay beside it, frozen, and an alert on it fire twice, for good.
            if name == Self.circuitOpen.name, !Self.labelPairs(labels[...]).contains(where: { $0.name == "service" }) {
                continue
            }
            carried[Series(family: name, labels: labels)] = value
        }
        state.withLock { state in
            for (series, value) in carried {
                state.values[series, default: 0] += value
            }
        }
    }

    /// Drops the series of adapter instances not in `configured` (by name, with the platform),
    /// as ``carryOver(_:configured:)`` does for the previous file: a service that reloads its
    /// configuration without a section stops reporting that section's frozen series.
    public func forgetSections(notIn configured: [String: Platform]) {
        let kept = Self.escapedSections(configured)
        state.withLock { state in
            state.values = state.values.filter { Self.isConfigured($0.key.labels[...], kept) }
            // This process's tallies of the section render the same series.
            state.accounts = state.accounts.filter { configured[$0.key.adapter] == $0.key.platform }
        }
    }

    /// The sections of `configured` (by name, with the platform) that a self-metrics file holds
    /// series of, sorted: the file of another instance name that collected them
    /// (``OtherInstanceState``).
    /// - Parameter file: A file ``write(to:)`` wrote.
    public static func sections(in file: [UInt8], of configured: [String: Platform]) -> [String] {
        let kept = escapedSections(configured)
        let names = Dictionary(uniqueKeysWithValues: configured.keys.map { (escaped($0), $0) })
        var found = Set<String>()
        for line in String(decoding: file, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let open = line.firstIndex(of: "{"), let adapter = labelValue("adapter", in: line[open...]),
                let name = names[String(adapter)], isConfigured(line[open...], kept)
            else { continue }
            found.insert(name)
        }
        return found.sorted()
    }

    /// The label values of `configured` as render() escapes them, so that a series compares as
    /// written.
    private static func escapedSections(_ configured: [String: Platform]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: configured.map { (escaped($0.key), escaped($0.value.rawValue)) })
    }

    /// Whether series `labels` belong to a configured section (by its adapter and platform
    /// labels), or to none (no adapter label: requests, samples by platform).
    private static func isConfigured(_ labels: Substring, _ kept: [String: String]) -> Bool {
        guard let adapter = labelValue("adapter", in: labels) else { return true }
        return kept[String(adapter)] == labelValue("platform", in: labels).map(String.init)
    }

    /// The Prometheus text format (0.0.4): each family with `# HELP` and `# TYPE` under the
    /// name its samples carry (`collector_http_requests_total` for a counter), samples sorted
    /// by labels, each with the ``instanceLabel`` first. Not OpenMetrics: node_exporter's
    /// textfile collector and `promtool check metrics` read the classic format, where an
    /// OpenMetrics counter family (`# TYPE collector_http_requests counter` above
    /// `collector_http_requests_total` samples) reads as an untyped family without help. (The
    /// data export, `export --format openmetrics`, is OpenMetrics: Prometheus' TSDB tools want
    /// that.)
    public func render() -> String {
        let values = snapshot()
        var grouped: [String: [(labels: String, value: Double)]] = [:]
        for (series, value) in values { grouped[series.family, default: []].append((series.labels, value)) }
        var text = ""
        for family in Self.families {
            guard let samples = grouped[family.name], !samples.isEmpty else { continue }
            let sampleName = family.isCounter ? family.name + "_total" : family.name
            text += "# HELP \(sampleName) \(family.help)\n"
            text += "# TYPE \(sampleName) \(family.isCounter ? "counter" : "gauge")\n"
            for sample in samples.sorted(by: { $0.labels < $1.labels }) {
                let labels =
                    sample.labels.isEmpty ? "{\(instancePair)}" : "{\(instancePair)," + sample.labels.dropFirst()
                text += "\(sampleName)\(labels) \(Self.number(sample.value))\n"
            }
        }
        return text
    }

    /// Writes ``render()`` to `path` atomically (mode 0644, so a textfile collector running
    /// as another user may read it).
    /// - Throws: ``StorageError`` when the file cannot be written.
    public func write(to path: String) throws(StorageError) {
        do throws(StorageError) {
            try FileSystem.writeAtomically(path, Array(render().utf8), mode: 0o644)
        } catch {
            throw error.about(.state)
        }
    }

    // MARK: - Helpers

    /// Every series: the carried-over and gauge values plus this process's requests and
    /// accounts, rendered with their labels.
    private func snapshot() -> [Series: Double] {
        let (values, requests, accounts) = state.withLock { ($0.values, $0.requests, $0.accounts) }
        var series = values
        func add(_ family: Family, _ labels: [String: String], _ value: Double) {
            series[Series(family: family.name, labels: Self.labels(labels)), default: 0] += value
        }
        for (platform, codes) in requests {
            for (code, count) in codes { add(Self.requests, ["platform": platform, "code": code], Double(count)) }
        }
        for (key, tally) in accounts {
            let platform = key.platform.rawValue
            for format in formats {
                add(Self.written, ["platform": platform, "format": format.rawValue], Double(tally.written))
            }
            add(Self.duplicates, ["platform": platform], Double(tally.duplicates))
            if tally.outranked > 0 {
                add(Self.dropped, ["platform": platform, "reason": "outranked"], Double(tally.outranked))
            }
            for (label, count) in tally.errors {
                add(Self.errors, ["adapter": key.adapter, "platform": platform, "error_code": label], Double(count))
            }
            let instance = ["adapter": key.adapter, "platform": platform]
            if tally.collected > 0 { add(Self.collected, instance, Double(tally.collected)) }
            if let lastSuccess = tally.lastSuccess {
                let last = Series(family: Self.lastSuccess.name, labels: Self.labels(instance))
                series[last] = max(series[last] ?? 0, Double(lastSuccess))
            }
        }
        return series
    }

    /// `{a="x",b="y"}` with the names sorted and the values escaped; empty for no labels.
    private static func labels(_ pairs: [String: String]) -> String {
        guard !pairs.isEmpty else { return "" }
        let rendered = pairs.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escaped($0.value))\"" }
        return "{" + rendered.joined(separator: ",") + "}"
    }

    /// The value of label `name` in `{a="x",b="y"}` as written (still escaped), nil when absent.
    private static func labelValue(_ name: String, in labels: Substring) -> Substring? {
        labelPairs(labels).first { $0.name == name }?.value
    }

    /// `labels` (`{a="x",b="y"}`) without label `name`, in the form ``labels(_:)`` writes:
    /// empty when no label is left.
    private static func removing(_ name: String, from labels: Substring) -> String {
        let pairs = labelPairs(labels)
        guard pairs.contains(where: { $0.name == name }) else { return String(labels) }
        let rest = pairs.filter { $0.name != name }.map { "\($0.name)=\"\($0.value)\"" }
        return rest.isEmpty ? "" : "{" + rest.joined(separator: ",") + "}"
    }

    /// The labels of `{a="x",b="y"}` in order, their values as written (still escaped).
    private static func labelPairs(_ labels: Substring) -> [(name: Substring, value: Substring)] {
        var pairs: [(name: Substring, value: Substring)] = []
        var rest = labels.dropFirst()  // "{"
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals]
            var cursor = rest.index(equals, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex
            let start = cursor
            // The value ends at the first quote not escaped by a backslash.
            while cursor < rest.endIndex, rest[cursor] != "\"" {
                if rest[cursor] == "\\" {
                    cursor = rest.index(cursor, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex
                } else {
                    cursor = rest.index(after: cursor)
                }
            }
            pairs.append((key, rest[start..<min(cursor, rest.endIndex)]))
            guard cursor < rest.endIndex else { break }
            rest = rest[rest.index(after: cursor)...].drop { $0 == "," }
        }
        return pairs
    }

    /// `\`, `"` and LF escaped, by the same code as the label values of `collector export`.
    private static func escaped(_ value: String) -> String {
        var bytes: [UInt8] = []
        var value = value
        value.withUTF8 { OpenMetricsFormat.appendLabelValue(UnsafeRawBufferPointer($0), to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
