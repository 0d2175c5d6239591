import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What the storage tests need of a ``TemporaryDirectory`` beyond writing and reading bytes.
extension TemporaryDirectory {
    /// Settings whose data and state folders live in this directory, in Beijing time.
    func settings(instance: String = "main", formats: [OutputFormat] = [.csv]) -> CollectorSettings {
        var settings = CollectorSettings()
        settings.dataDirectory = path + "/data"
        settings.stateDirectory = path + "/state"
        settings.instance = instance
        settings.formats = formats
        settings.calendar = .beijing
        return settings
    }

    /// The text of a file under this directory, or nil when it cannot be read.
    func text(_ relative: String) -> String? {
        (try? read(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes a file under this directory, creating its folders; a test that cannot write its
    /// own temporary folder fails at its next expectation.
    func write(_ relative: String, _ text: String) {
        _ = try? write(text, to: relative)
    }

    /// Whether a file or folder exists under this directory.
    func exists(_ relative: String) -> Bool {
        access(path(relative), F_OK) == 0
    }

    /// Runs `body` with a file descriptor open on a new file, then returns the file's text.
    func capture(_ body: (Int32) throws -> Void) throws -> String {
        let name = "output-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(path(name), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        try body(fd)
        return text(name) ?? ""
    }
}

/// A time from its RFC 3339 text.
func time(_ text: String) -> Timestamp {
    guard let time = PlatformCalendar.parseRFC3339(text) else { preconditionFailure("bad test time \(text)") }
    return time
}

/// A sample with test defaults.
func sample(
    _ timeText: String = "2025-03-04T00:00:00+08:00",
    platform: Platform = .wechat,
    account: String = "gh_0123456789ab",
    object: String = "",
    metric: MetricName = .followers,
    value: SampleValue = .integer(182408),
    quality: Quality = .exact,
    source: Source = .api
) -> Sample {
    Sample(
        time: time(timeText),
        platform: platform,
        account: account,
        object: object,
        metric: metric,
        value: value,
        quality: quality,
        source: source
    )
}

/// The SPEC §3 CSV header line.
let csvHeader = "time,platform,account,object,metric,value,quality,source\n"
