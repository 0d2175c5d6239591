/// The snapshots observed while one account is collected, so that an attempt that collects the
/// account again does not write an unchanged value a second time under a new time.
///
/// A snapshot is a sample stamped when it was observed (SPEC §3): one whose time is not before
/// the account's collection began. A repeated attempt observes the same followers, the same
/// video's plays, seconds or minutes later; as a row of its own each would say the account was
/// observed twice. The memo gives such a sample the time of the earlier observation instead,
/// which makes it the duplicate it is (the store skips a key and value it holds); a value that
/// changed in between is a new observation and keeps its own time. Samples stamped before the
/// collection began (a platform day, an export's date) are left alone: the same day's value is
/// a duplicate of itself already.
///
/// The first attempt only notes its snapshots in a list, whose room the next account reuses: most
/// accounts are collected once, and a keyed table per account cost a polling run about 2 % of
/// its CPU (hashing three strings per sample). The table is built when an attempt repeats.
struct SnapshotMemo {
    private struct Key: Hashable {
        var account: String
        var object: String
        var metric: MetricName
    }

    private struct Observation {
        var time: Timestamp
        var value: SampleValue
        var quality: Quality

        init(_ sample: Sample) {
            time = sample.time
            value = sample.value
            quality = sample.quality
        }
    }

    /// When the account's collection began: samples stamped from then on are snapshots.
    private(set) var since: Timestamp
    /// Whether the current attempt repeats an earlier one, whose observations then stand.
    var repeating = false
    /// The snapshots of the first attempt, in the order observed.
    private var noted: [Sample] = []
    /// The latest observation of each key, once an attempt repeats.
    private var observations: [Key: Observation]?

    /// A memo for the collection of one account, begun at `since`.
    init(since: Timestamp) {
        self.since = since
    }

    /// Starts over for the collection of the next account, begun at `since`, keeping the room.
    mutating func begin(since: Timestamp) {
        self.since = since
        repeating = false
        noted.removeAll(keepingCapacity: true)
        observations = nil
    }

    /// `sample`, stamped with the time of an earlier attempt's observation of the same value
    /// when the current attempt repeats one; every snapshot is noted for the attempts after.
    mutating func stamp(_ sample: Sample) -> Sample {
        guard sample.time >= since else { return sample }
        guard repeating else {
            if observations == nil {
                noted.append(sample)
            } else {
                observations?[Self.key(sample)] = Observation(sample)
            }
            return sample
        }
        var table = observations ?? Self.table(noted)
        observations = nil
        defer { observations = table }
        let key = Self.key(sample)
        if let earlier = table[key], earlier.value == sample.value, earlier.quality == sample.quality {
            var sample = sample
            sample.time = earlier.time
            return sample
        }
        table[key] = Observation(sample)
        return sample
    }

    private static func key(_ sample: Sample) -> Key {
        Key(account: sample.account, object: sample.object, metric: sample.metric)
    }

    /// The latest observation of each key among `samples`.
    private static func table(_ samples: [Sample]) -> [Key: Observation] {
        var table: [Key: Observation] = [:]
        for sample in samples { table[key(sample)] = Observation(sample) }
        return table
    }
}
