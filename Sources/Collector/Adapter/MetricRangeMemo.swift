/// The value ranges of the metrics a batch has seen (``MetricName/valueRange``), so that
/// checking a sample's value costs a comparison of names, not a reading of the name's words:
/// a collection writes a few dozen distinct metrics, millions of times over.
///
/// Names are compared with `==`, which for the usual metric name (15 bytes or fewer, stored in
/// the string itself) compares two machine words, and for a longer one taken from a `static
/// let` (the adapters' way) finds the same storage: no allocation either way.
struct MetricRangeMemo {
    /// At most this many names are kept; a metric beyond them has its range worked out each
    /// time, which is correct, only slower.
    static let capacity = 64

    private var names: [MetricName] = []
    private var ranges: [MetricName.ValueRange] = []
    /// Where the last lookup matched: an adapter writes its metrics in the same order for each
    /// object, so the next lookup mostly matches the entry after it.
    private var last = 0

    /// The range of `metric`, remembered from an earlier call or worked out now.
    mutating func range(of metric: MetricName) -> MetricName.ValueRange {
        let count = names.count
        if count > 0 {
            var index = last
            for _ in 0..<count {
                if names[index] == metric {
                    last = index + 1 == count ? 0 : index + 1
                    return ranges[index]
                }
                index = index + 1 == count ? 0 : index + 1
            }
        }
        let range = metric.valueRange
        if count < Self.capacity {
            names.append(metric)
            ranges.append(range)
        }
        return range
    }
}
