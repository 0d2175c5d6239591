/// How the cells of a column are read.
public enum ValueKind: String, Sendable, Hashable, CaseIterable {
    /// A count through ``CountString``: `1,234`, `1.2万` (approx), `10万+` (lower bound).
    case count
    /// A rate through ``MeasureString/fraction(_:)``: `18.42%` or `0.1842` → 0.1842.
    case rate
    /// A duration through ``MeasureString/seconds(_:)``: `13.77秒`, `0:48`, `1分02秒` → seconds.
    case seconds

    /// The kind a metric's name implies (``MetricName/takesDecimals``): a name with the word
    /// `seconds` is a duration, one with `rate` or `ctr` a rate, everything else counts.
    public static func implied(by metric: MetricName) -> ValueKind {
        guard metric.takesDecimals else { return .count }
        return metric.rawValue.split(separator: "_").contains("seconds") ? .seconds : .rate
    }
}

/// A cell read as a value: missing (no sample, never 0), a value with its quality, or bad.
package enum CellValue: Sendable, Hashable {
    /// `-`, `--`, `—`, `暂无`, empty: no sample.
    case missing
    /// The value and its quality (`1.2万` is approx).
    case value(SampleValue, Quality)
    /// Not readable; `reason` quotes the cell and says why (COUNTS_AND_TARGETS.md §1).
    case bad(reason: String)
}

/// Reads export cells through the one count parser and the measure parser, so that every
/// importer reads `1,234`, `1.2万`, `-`, `18.42%` and `13.77秒` alike.
package enum CellReader {
    /// Reads `text` as `kind`; counts use `profile`. `unit`, the unit the column's header
    /// names (``HeaderUnit/reading(header:as:)``), applies to a number without a unit of its
    /// own: `12` under `播放量(万)` is 120000 approx, `0.85` under `完播率(%)` is 0.0085.
    package static func read(
        _ text: String,
        as kind: ValueKind,
        profile: CountProfile = .default,
        unit: HeaderUnit? = nil
    ) -> CellValue {
        switch kind {
        case .count:
            let headerUnit: CountUnit? = if case .count(let scale)? = unit { scale } else { nil }
            switch CountString.parse(text, profile: profile, headerUnit: headerUnit) {
            case .count(let count): return .value(count.sampleValue, count.quality)
            case .missing: return .missing
            case .rejected(let reason): return .bad(reason: reason)
            }
        case .rate:
            return measure(MeasureString.fraction(text, percentHeader: unit == .percent))
        case .seconds:
            let headerUnit: DurationUnit? = if case .duration(let time)? = unit { time } else { nil }
            return measure(MeasureString.seconds(text, headerUnit: headerUnit))
        }
    }

    /// Reads `text` as `kind` for `metric`, whose ``MetricName/valueRange`` is `range`: a value
    /// the metric cannot hold (a rate of `123%`, a negative rate) is bad, its reason quoting
    /// the cell as written, so that an import reports it with file, line and column like any
    /// bad cell, and not as a sample the batch refuses (``SampleBatch``), whose message is
    /// written for an adapter reading an API.
    package static func read(
        _ text: String,
        as kind: ValueKind,
        for metric: MetricName,
        range: MetricName.ValueRange,
        profile: CountProfile = .default,
        unit: HeaderUnit? = nil
    ) -> CellValue {
        let cell = read(text, as: kind, profile: profile, unit: unit)
        guard case .value(let value, _) = cell, metric.valueProblem(of: value, in: range) != nil else { return cell }
        return .bad(reason: outOfRange(text, value: value, metric: metric, range: range))
    }

    /// Reads a cell's UTF-8 bytes as `kind` for `metric` (``read(_:as:for:range:profile:unit:)``).
    package static func read(
        _ bytes: UnsafeBufferPointer<UInt8>,
        as kind: ValueKind,
        for metric: MetricName,
        range: MetricName.ValueRange,
        profile: CountProfile = .default,
        unit: HeaderUnit? = nil
    ) -> CellValue {
        // Cells of up to 15 bytes make a String without allocating.
        read(
            String(decoding: bytes, as: UTF8.self),
            as: kind,
            for: metric,
            range: range,
            profile: profile,
            unit: unit
        )
    }

    /// Why the cell `text`, read as `value`, is no value of `metric`.
    private static func outOfRange(
        _ text: String,
        value: SampleValue,
        metric: MetricName,
        range: MetricName.ValueRange
    ) -> String {
        let shown = "\"\(text.count > 60 ? String(text.prefix(60)) + "…" : text)\""
        let negative =
            switch value {
            case .integer(let number): number < 0
            case .decimal(let decimal): decimal.mantissa < 0
            }
        if range.isFraction {
            return negative
                ? "\(shown) is negative, but \(metric) is a share from 0 to 100 %: correct the cell"
                : "\(shown) is more than 100 %, but \(metric) is a share from 0 to 100 % (a typo, or another "
                    + "column's figure?): correct the cell"
        }
        return "\(shown) " + (metric.valueProblem(of: value, in: range) ?? "is no value of \(metric)")
    }

    /// Reads a cell's UTF-8 bytes as `kind`.
    package static func read(
        _ bytes: UnsafeBufferPointer<UInt8>,
        as kind: ValueKind,
        profile: CountProfile = .default,
        unit: HeaderUnit? = nil
    ) -> CellValue {
        // Cells of up to 15 bytes make a String without allocating.
        read(String(decoding: bytes, as: UTF8.self), as: kind, profile: profile, unit: unit)
    }

    private static func measure(_ result: MeasureParseResult) -> CellValue {
        switch result {
        case .value(let value): .value(.decimal(value), .exact)
        case .missing: .missing
        case .rejected(let reason): .bad(reason: reason)
        }
    }
}
