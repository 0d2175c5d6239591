import Synchronization

/// A per-platform circuit breaker on anti-bot answers: when a platform's risk control answers
/// (``AdapterError/antiBot(_:platformCode:requestID:)``), the platform is left alone for the
/// instance's `cooldown`, in this run and in every later run within the period.
///
/// The open breaker is kept in `state_dir` as `circuit-<platform>` (replaced atomically), so
/// a `--once` run from a timer an hour later skips the platform with a clear report instead of
/// provoking the risk control again; every shard sharing the state folder sees it. Deleting
/// the file closes the breaker early, for a running service too: the file is read again at each
/// ``openTrip(for:at:)``, and a breaker whose file was there and is gone is closed.
///
/// Thread-safe: the breakers seen or tripped by this process are cached behind a mutex, which
/// also covers the reads and writes of their files; so a trip by another process counts, and a
/// trip whose file could not be written stays open in this process.
public final class CircuitBreaker: Sendable {
    /// An open breaker: which platform, until when, and what tripped it.
    public struct Trip: Sendable, Hashable {
        /// The platform left alone.
        public var platform: Platform
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
            platform: Platform,
            until: Timestamp,
            adapter: String,
            account: String,
            label: String,
            platformCode: String? = nil
        ) {
            self.platform = platform
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
    }

    /// The state folder holding the breaker files.
    public let state: StateStore
    private let trips = Mutex<[Platform: Known]>([:])

    /// A breaker over the state folder.
    public init(state: StateStore) {
        self.state = state
    }

    /// The state file of `platform`'s breaker.
    public static func fileName(_ platform: Platform) -> String { "circuit-\(platform.rawValue)" }

    /// The path of `platform`'s breaker file, for messages.
    public func path(for platform: Platform) -> String { state.path(Self.fileName(platform)) }

    /// The open breaker of `platform` at `now`, or nil when it is closed: the later of the trip
    /// in its file and the one this process knows of, except that a trip whose file was deleted
    /// is closed.
    public func openTrip(for platform: Platform, at now: Timestamp) -> Trip? {
        trips.withLock { trips in
            let file: [UInt8]?
            do {
                file = try state.read(Self.fileName(platform))
            } catch {
                // Unreadable (a permission changed): what this process knows stands.
                guard let known = trips[platform], known.trip.until > now else { return nil }
                return known.trip
            }
            if let file {
                // A file that does not parse is kept to: it was a breaker, and only deleting it
                // closes that.
                if let stored = Self.parse(file, platform),
                    stored.until > (trips[platform]?.trip.until ?? Timestamp(secondsSinceEpoch: Int64.min))
                {
                    trips[platform] = Known(trip: stored, isOnDisk: true)
                }
            } else if trips[platform]?.isOnDisk == true {
                // Its file was there and is gone: the operator closed the breaker early.
                trips[platform] = nil
            }
            guard let known = trips[platform], known.trip.until > now else { return nil }
            return known.trip
        }
    }

    /// Opens the breaker (or keeps it open until the later of the two times) and saves it.
    /// - Throws: ``StorageError`` when the state file cannot be written; the breaker is open in
    ///   this process all the same.
    public func trip(_ trip: Trip) throws(StorageError) {
        try trips.withLock { trips throws(StorageError) in
            if let current = trips[trip.platform], current.trip.until >= trip.until { return }
            // Not on disk until written: a file that could not be written is not one deleted.
            trips[trip.platform] = Known(trip: trip, isOnDisk: false)
            try state.write(Self.fileName(trip.platform), Array(Self.render(trip).utf8))
            trips[trip.platform]?.isOnDisk = !state.isReadOnly
        }
    }

    // MARK: - File

    private static func render(_ trip: Trip) -> String {
        var text = "open_until=\(trip.until.secondsSinceEpoch)\n"
        text += "adapter=\(oneLine(trip.adapter))\naccount=\(oneLine(trip.account))\nlabel=\(oneLine(trip.label))\n"
        if let code = trip.platformCode { text += "code=\(oneLine(code))\n" }
        return text
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }

    private static func parse(_ bytes: [UInt8], _ platform: Platform) -> Trip? {
        var fields: [Substring: Substring] = [:]
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[line[..<equals]] = line[line.index(after: equals)...]
        }
        guard let until = fields["open_until"].flatMap({ Int64($0) }) else { return nil }
        return Trip(
            platform: platform,
            until: Timestamp(secondsSinceEpoch: until),
            adapter: fields["adapter"].map(String.init) ?? "?",
            account: fields["account"].map(String.init) ?? "?",
            label: fields["label"].map(String.init) ?? "antiBot",
            platformCode: fields["code"].map(String.init)
        )
    }
}
