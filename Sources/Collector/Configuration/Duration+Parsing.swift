extension Duration {
    /// Parses a configuration duration: `30s`, `5m`, `6h`, `1d`, or `500ms` (SPEC §2).
    public init?(configurationText text: String) {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "5ms" also ends in "s": only accept the suffix when the rest is a plain number.
            guard let value = Int64(number), value >= 0 else { continue }
            self = .milliseconds(value * milliseconds)
            return
        }
        return nil
    }

    /// Whole seconds, rounded down.
    public var wholeSeconds: Int64 { components.seconds }

    /// Seconds as a `Double`.
    public var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
