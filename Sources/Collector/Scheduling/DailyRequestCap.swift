import Synchronization

/// An ``HTTPFetching`` that counts each request of one adapter instance against a daily cap and
/// sends none beyond it: the `daily_requests` of a section that reads a platform's unofficial
/// web endpoints (PLATFORMS.md §8, "a daily cap").
///
/// The count is kept per instance and per day of Beijing time, the platforms' day, in the state
/// file `daily-requests-<instance>.json` (`{"day":"2026-11-27","requests":412}`), so that
/// separate `run --once` invocations from cron, the service and `collector test` add up, and
/// the next day starts from 0. Each request is counted before it is sent, the file replaced
/// atomically: a run killed in between has counted one request it did not send, never sent
/// one it did not count. The file is read again before each request, so that another process
/// of the same instance adds its requests too.
///
/// Placed below the request budgets and above the self-metrics and libcurl, so that every
/// request that is sent is counted: a retry and a redirect hop that go through the budget as
/// well. A request beyond the cap is not sent, nor one whose count cannot be read or written
/// (a damaged file, a full disk): ``HTTPError/dailyCap(_:_:until:)``, which stops the instance
/// for the run; its accounts stay due. A cap used up gives its reset (``HTTPError/refusedUntil``),
/// for which the service waits instead of asking again each interval. Sections without a cap get no such client, so their
/// requests cost nothing more.
public struct DailyRequestCap: HTTPFetching {
    /// The client that performs the requests.
    public let base: any HTTPFetching
    /// The instance whose requests are counted.
    public let instance: String
    /// The most requests the instance sends per day.
    public let limit: Int
    /// Where the count is kept; must not be read-only, or nothing is counted.
    public let state: StateStore
    /// How to change the cap or stay within it, for the message of a refused request.
    private let advice: String
    private let now: @Sendable () -> Timestamp

    /// One count at a time in this process: the instance's accounts may run side by side on a
    /// loopback simulator, and a read-modify-write must not lose one of them. Requests of
    /// capped sections are few (one every 3 s at most against a platform), so one lock is enough.
    private static let lock = Mutex(())

    /// Creates a client.
    /// - Parameters:
    ///   - base: The client that performs the requests.
    ///   - instance: The instance name: the state file's and the messages'.
    ///   - limit: The most requests per day of Beijing time.
    ///   - state: The state folder, writable.
    ///   - advice: What the operator may do, appended to the message of a refused request.
    ///   - now: The wall clock.
    public init(
        base: any HTTPFetching,
        instance: String,
        limit: Int,
        state: StateStore,
        advice: String,
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.base = base
        self.instance = instance
        self.limit = limit
        self.state = state
        self.advice = advice
        self.now = now
    }

    /// Counts `request`, then performs it.
    /// - Throws: ``HTTPError/dailyCap(_:_:until:)`` when the day's cap is used up or the count cannot
    ///   be kept (the request is not sent); else the base client's ``HTTPError``.
    public func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        try count(request)
        return try await base.fetch(request)
    }

    /// The state file of `instance`'s count.
    public static func fileName(instance: String) -> String { "daily-requests-\(instance).json" }

    /// Why the count could not be read: said in the message of the refused request.
    private struct CountError: Error, CustomStringConvertible {
        var description: String
    }

    private func count(_ request: HTTPRequest) throws(HTTPError) {
        let time = now()
        let beijing = PlatformCalendar.beijing
        let day = beijing.civilDate(of: time)
        let name = Self.fileName(instance: instance)
        let path = state.path(name)
        try Self.lock.withLock { _ throws(HTTPError) in
            let sent: Int
            do {
                sent = try Self.read(instance: instance, state: state, day: day)
            } catch {
                // Counting from 0 could send a whole second day's worth: refused until the
                // operator decides.
                throw .dailyCap(
                    request,
                    "not sent: the count of \(instance)'s requests today cannot be read (\(error)), so the daily"
                        + " cap of \(limit) cannot be kept; delete \(path) to count from 0 again"
                )
            }
            guard sent < limit else {
                let reset = beijing.startOfDay(day.adding(days: 1))
                throw .dailyCap(
                    request,
                    "not sent: \(instance) has sent \(sent) requests today (\(day), Beijing time; counted in \(path)),"
                        + " and its daily cap is \(limit), so it sends nothing more until \(beijing.render(reset)); the"
                        + " accounts not collected stay due and are collected from then; \(advice)",
                    until: reset
                )
            }
            let json = JSONValue.object([
                JSONMember("day", .string(day.description)), JSONMember("requests", .integer(Int64(sent + 1))),
            ])
            do {
                try state.write(name, Array(json.serialized().utf8))
            } catch {
                throw .dailyCap(
                    request,
                    "not sent: the request could not be counted against \(instance)'s daily cap of \(limit) (\(error))"
                )
            }
        }
    }

    private static func read(instance: String, state: StateStore, day: CivilDate) throws(CountError) -> Int {
        let bytes: [UInt8]?
        do {
            bytes = try state.read(fileName(instance: instance))
        } catch {
            throw CountError(description: "\(error)")
        }
        guard let bytes else { return 0 }
        guard let json = try? JSONValue.parse(bytes), let text = json["day"]?.stringValue,
            let written = CivilDate(parsing: text), let requests = json["requests"]?.int64Value, requests >= 0
        else {
            throw CountError(
                description:
                    "\(state.path(fileName(instance: instance))) is not {\"day\":\"YYYY-MM-DD\",\"requests\":N}"
            )
        }
        return written == day ? Int(clamping: requests) : 0
    }
}
