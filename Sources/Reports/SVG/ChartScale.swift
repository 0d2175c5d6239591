#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A linear scale from data values to pixels, with "nice" round ticks (1, 2, 5 × 10ⁿ).
struct ChartScale {
    let lower: Double
    let upper: Double
    let ticks: [Double]
    private let pixelStart: Double
    private let pixelEnd: Double

    /// A scale covering `values`, extended to round ticks, mapped onto `pixelStart…pixelEnd`.
    init(covering values: [Double], pixelStart: Double, pixelEnd: Double, tickCount: Int = 5, includeZero: Bool = false)
    {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if includeZero {
            low = min(low, 0)
            high = max(high, 0)
        }
        if high == low {
            let pad = high == 0 ? 1 : high.magnitude * 0.05
            low -= pad
            high += pad
        }
        let step = ChartScale.niceStep((high - low) / Double(max(tickCount, 1)))
        let first = (low / step).rounded(.down) * step
        let last = (high / step).rounded(.up) * step
        var ticks: [Double] = []
        var tick = first
        while tick <= last + step / 2 {
            ticks.append(tick)
            tick += step
        }
        self.lower = first
        self.upper = last
        self.ticks = ticks
        self.pixelStart = pixelStart
        self.pixelEnd = pixelEnd
    }

    /// The pixel position of `value`.
    func position(_ value: Double) -> Double {
        guard upper > lower else { return pixelStart }
        return pixelStart + (value - lower) / (upper - lower) * (pixelEnd - pixelStart)
    }

    /// The smallest of 1, 2, 5 × 10ⁿ at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * magnitude >= raw * (1 - 1e-9) { return factor * magnitude }
        return 10 * magnitude
    }

    /// `850000` → `85万`, `1200` → `1200`: short axis labels in the notation of the platforms.
    static func shortLabel(_ value: Double) -> String {
        if value.magnitude >= 100_000_000 { return NumberFormat.plain((value / 1_000_000).rounded() / 100) + "亿" }
        if value.magnitude >= 10_000 { return NumberFormat.plain((value / 100).rounded() / 100) + "万" }
        return NumberFormat.plain(value)
    }
}
