import Synchronization

/// A per-service circuit breaker on anti-bot answers: when a service's risk control answers
/// (``AdapterError/antiBot(_:platformCode:requestID:)``), the service is left alone for the
/// instance's `cooldown`, in this run and in every later run within the period.
///
/// Keyed by ``Service``, not by platform: the official API and the login-cookie endpoints of
/// one platform answer with risk controls of their own, so a 432 from m.weibo.cn does not stop
/// api.weibo.com. Every instance of one service shares its breaker.
///
/// The open breaker is kept in `state_dir` as `circuit-<service>` (replaced atomically), so
/// a `--once` run from a timer an hour later skips the service with a clear report instead of
/// provoking the risk control again; every shard sharing the state folder sees it. Deleting
/// the file closes the breaker early, for a running service too: the file is read again at each
/// ``openTrip(for:at:)``, and a breaker whose file was there and is gone is closed.
///
/// A `circuit-<platform>` file without a `service=` line was written by a version that kept
/// one breaker per platform: it holds every service of that platform until it closes, as it
/// did when it was written, so an upgrade loses no open breaker.
///
/// Thread-safe: the breakers seen or tripped by this process are cached behind a mutex, which
/// also covers the reads and writes of their files; so a trip by another process counts, and a
/// trip whose file could not be written stays open in this process.
public final class CircuitBreaker: Sendable {
    /// An open breaker: which service, until when, and what tripped it.
    public struct Trip: Sendable, Hashable {
        /// The service left alone: the breaker whose file holds the trip.
        public var service: Service
        /// When the breaker closes again.
        public var until: Timestamp
        /// The adapter instance whose request was refused.
        public var adapter: String
        /// The account being collected then.
        public var account: String
        /// The failure's bounded label (`antiBot`).
        public var label: String
        /// The platform's own code (`-412`, `http-412`), when it sent one.
        public var platformCode: String?

        /// Creates a trip.
        public init(
            service: Service,
            until: Timestamp,
            adapter: String,
            account: String,
            label: String,
            platformCode: String? = nil
        ) {
            self.service = service
            self.until = until
            self.adapter = adapter
            self.account = account
            self.label = label
            self.platformCode = platformCode
        }

        /// `antiBot (code -412) on bilibili/208259`.
        public var cause: String {
            var text = label
            if let platformCode { text += " (code \(platformCode))" }
            return text + " on \(adapter)/\(account)"
        }
    }

    /// An open breaker this process knows of, and whether its file holds it: only then does a
    /// missing file mean that someone deleted it to close the breaker.
    private struct Known {
        var trip: Trip
        var isOnDisk: Bool
        /// Whether the file has no `service=` line: written by a version with one breaker per
        /// platform, it holds every service of the platform.
        var holdsWholePlatform = false
    }

    /// The state folder holding the breaker files.
    public let state: StateStore
    /// The known breakers, by file name.
    private let trips = Mutex<[String: Known]>([:])

    /// A breaker over the state folder.
    public init(state: StateStore) {
        self.state = state
    }

    /// The path of `service`'s breaker file, for messages.
    public func path(for service: Service) -> String { state.path(service.fileName) }

    /// The open breaker of `service` at `now`, or nil when it is closed: the later of the trip
    /// in its file and the one this process knows of, except that a trip whose file was deleted
    /// is closed. A service not named after its platform is also held by a platform-wide
    /// breaker file of an earlier version (see the type's summary).
    public func openTrip(for service: Service, at now: Timestamp) -> Trip? {
        trips.withLock { trips in
            var open = Self.current(service, in: state, &trips)?.trip
            if !service.isNamedAfterPlatform,
                let platformWide = Self.current(Service(platform: service.platform), in: state, &trips),
                platformWide.holdsWholePlatform, platformWide.trip.until > (open?.until ?? now)
            {
                open = platformWide.trip
            }
            guard let open, open.until > now else { return nil }
            return open
        }
    }

    /// The breaker of `service` as its file and this process know it.
    private static func current(_ service: Service, in state: StateStore, _ trips: inout [String: Known]) -> Known? {
        let name = service.fileName
        let file: [UInt8]?
        do {
            file = try state.read(name)
        } catch {
            // Unreadable (a permission changed): what this process knows stands.
            return trips[name]
        }
        if let file {
            // A file that does not parse is kept to: it was a breaker, and only deleting it
            // closes that.
            if let stored = parse(file, service),
                stored.trip.until > (trips[name]?.trip.until ?? Timestamp(secondsSinceEpoch: Int64.min))
            {
                trips[name] = stored
            }
        } else if trips[name]?.isOnDisk == true {
            // Its file was there and is gone: the operator closed the breaker early.
            trips[name] = nil
        }
        return trips[name]
    }

    /// Opens the breaker (or keeps it open until the later of the two times) and saves it.
    /// - Throws: ``StorageError`` when the state file cannot be written; the breaker is open in
    ///   this process all the same.
    public func trip(_ trip: Trip) throws(StorageError) {
        try trips.withLock { trips throws(StorageError) in
            let name = trip.service.fileName
            if let current = trips[name], current.trip.until >= trip.until { return }
            // Not on disk until written: a file that could not be written is not one deleted.
            trips[name] = Known(trip: trip, isOnDisk: false)
            try state.write(name, Array(Self.render(trip).utf8))
            trips[name]?.isOnDisk = !state.isReadOnly
        }
    }

    // MARK: - File

    private static func render(_ trip: Trip) -> String {
        var text = "open_until=\(trip.until.secondsSinceEpoch)\nservice=\(oneLine(trip.service.name))\n"
        text += "adapter=\(oneLine(trip.adapter))\naccount=\(oneLine(trip.account))\nlabel=\(oneLine(trip.label))\n"
        if let code = trip.platformCode { text += "code=\(oneLine(code))\n" }
        return text
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }

    /// The trip in `service`'s file; whether the file holds the whole platform (no `service=`).
    private static func parse(_ bytes: [UInt8], _ service: Service) -> Known? {
        var fields: [Substring: Substring] = [:]
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[line[..<equals]] = line[line.index(after: equals)...]
        }
        guard let until = fields["open_until"].flatMap({ Int64($0) }) else { return nil }
        let trip = Trip(
            service: service,
            until: Timestamp(secondsSinceEpoch: until),
            adapter: fields["adapter"].map(String.init) ?? "?",
            account: fields["account"].map(String.init) ?? "?",
            label: fields["label"].map(String.init) ?? "antiBot",
            platformCode: fields["code"].map(String.init)
        )
        return Known(trip: trip, isOnDisk: true, holdsWholePlatform: fields["service"] == nil)
    }
}
