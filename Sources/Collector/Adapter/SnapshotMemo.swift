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
    }

    /// When the account's collection began: samples stamped from then on are snapshots.
    let since: Timestamp
    /// Whether the current attempt repeats an earlier one, whose observations then stand.
    var repeating = false
    private var observations: [Key: Observation] = [:]

    /// A memo for the collection of one account, begun at `since`.
    init(since: Timestamp) {
        self.since = since
    }

    /// `sample`, stamped with the time of an earlier attempt's observation of the same value
    /// when the current attempt repeats one; every snapshot is noted for the attempts after.
    mutating func stamp(_ sample: Sample) -> Sample {
        guard sample.time >= since else { return sample }
        let key = Key(account: sample.account, object: sample.object, metric: sample.metric)
        if repeating, let earlier = observations[key], earlier.value == sample.value,
            earlier.quality == sample.quality
        {
            var sample = sample
            sample.time = earlier.time
            return sample
        }
        observations[key] = Observation(time: sample.time, value: sample.value, quality: sample.quality)
        return sample
    }
}
