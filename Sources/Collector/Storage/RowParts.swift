/// The eight fields of one row (SPEC §3) as raw UTF-8 bytes, the form every encoder takes and
/// every decoder produces, so that neither writing nor reading builds a `String` per row.
///
/// The buffers are borrowed: they are valid only inside the closure that handed the value out.
struct RowParts {
    /// When the value was observed.
    var time: Timestamp
    /// The platform name.
    var platform: UnsafeRawBufferPointer
    /// The account id.
    var account: UnsafeRawBufferPointer
    /// The content id, empty at account level.
    var object: UnsafeRawBufferPointer
    /// The metric name.
    var metric: UnsafeRawBufferPointer
    /// The value.
    var value: StoredValue
    /// How exact the value is.
    var quality: Quality
    /// Where it came from.
    var source: Source

    /// The hash of the row's key for ``KeyIndex``.
    @inline(__always)
    var keyHash: UInt64 {
        KeyIndex.hash(
            time: time.secondsSinceEpoch,
            platform: platform,
            account: account,
            object: object,
            metric: metric
        )
    }

    /// The row as a ``Sample``, building its strings.
    var sample: Sample {
        Sample(
            time: time,
            platform: Platform(rawValue: String(decoding: platform, as: UTF8.self)),
            account: String(decoding: account, as: UTF8.self),
            object: String(decoding: object, as: UTF8.self),
            metric: MetricName(rawValue: String(decoding: metric, as: UTF8.self)),
            value: value.sampleValue,
            quality: quality,
            source: source
        )
    }
}

extension Sample {
    /// Calls `body` with this sample's fields as ``RowParts``, without copying its strings.
    @inline(__always)
    func withRowParts<Result>(_ body: (RowParts) throws -> Result) rethrows -> Result {
        try withUTF8(platform.rawValue) { platform in
            try withUTF8(account) { account in
                try withUTF8(object) { object in
                    try withUTF8(metric.rawValue) { metric in
                        try body(
                            RowParts(
                                time: time,
                                platform: platform,
                                account: account,
                                object: object,
                                metric: metric,
                                value: StoredValue(value),
                                quality: quality,
                                source: source
                            )
                        )
                    }
                }
            }
        }
    }
}
