/// Renders times in the configured calendar, remembering the last two: the rows of a batch
/// mostly share a handful of stamps (00:00 of a day, the time of one poll), and an exec
/// command's lines alternate between two of them (a poll's time and 00:00 of its day).
struct TimeRenderer {
    /// The calendar times are written in.
    let calendar: PlatformCalendar
    private var lastSeconds = Int64.min
    private var lastText: [UInt8] = []
    private var lastMonth: Int32 = 0
    private var previousSeconds = Int64.min
    private var previousText: [UInt8] = []
    private var previousMonth: Int32 = 0

    /// Creates a renderer for `calendar`.
    init(calendar: PlatformCalendar) {
        self.calendar = calendar
        lastText.reserveCapacity(32)
        previousText.reserveCapacity(32)
    }

    /// Appends the RFC 3339 text of `time` (`2025-03-04T00:00:00+08:00`).
    @inline(__always)
    mutating func append(_ time: Timestamp, to bytes: inout [UInt8]) {
        if time.secondsSinceEpoch != lastSeconds { remember(time) }
        bytes.append(contentsOf: lastText)
    }

    /// Calls `body` with the RFC 3339 text of `time`.
    @inline(__always)
    mutating func withText<Result>(of time: Timestamp, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if time.secondsSinceEpoch != lastSeconds { remember(time) }
        return lastText.withUnsafeBytes(body)
    }

    /// The month of `time` in the calendar, as `year * 12 + month - 1`: the partition key.
    @inline(__always)
    mutating func monthNumber(of time: Timestamp) -> Int32 {
        if time.secondsSinceEpoch != lastSeconds { remember(time) }
        return lastMonth
    }

    private mutating func remember(_ time: Timestamp) {
        swap(&lastSeconds, &previousSeconds)
        swap(&lastText, &previousText)
        swap(&lastMonth, &previousMonth)
        guard time.secondsSinceEpoch != lastSeconds else { return }
        let local = calendar.localTime(of: time)
        lastText.removeAll(keepingCapacity: true)
        local.appendRFC3339(to: &lastText)
        lastMonth = Int32(local.date.year * 12 + local.date.month - 1)
        lastSeconds = time.secondsSinceEpoch
    }
}
