import Collector

/// Reads Weibo's count fields, which may be integers, numeric strings or display strings
/// (`"123.4万"`, `"100万+"`), through ``CountString`` so the quality follows the text.
enum WeiboCount {
    /// The count in `field` of `reader`.
    /// - Returns: The count, or nil for a placeholder such as `"--"` (a hidden value: no row, never 0).
    /// - Throws: ``JSONFieldError`` when the field is absent (the response changed shape) or
    ///   holds something that is not a count.
    static func read(
        _ reader: JSONReader,
        _ field: String,
        profile: CountProfile
    ) throws(JSONFieldError) -> ParsedCount? {
        let path = reader.path(field)
        guard let value = reader.value(field) else {
            throw JSONFieldError(
                kind: .missing,
                path: path,
                origin: reader.origin,
                problem: "is missing (the platform may have changed its response)"
            )
        }
        switch CountString.parse(json: value, profile: profile) {
        case .count(let count):
            return count
        case .missing:
            return nil
        case .rejected(let reason):
            throw JSONFieldError(
                kind: .wrongType,
                path: path,
                origin: reader.origin,
                problem: "is not a count: \(reason)"
            )
        }
    }

    /// The account's followers, following and posts from a user object, one sample each; a
    /// hidden count (`"--"`) gives no sample.
    /// - Parameters:
    ///   - user: The user object (`users/show`'s, or m.weibo.cn's `userInfo`).
    ///   - followingField: `friends_count` in the official API, `follow_count` on the web.
    ///   - profile: How display strings are read.
    /// - Throws: ``JSONFieldError`` when a field is absent or not a count.
    static func accountSamples(
        from user: JSONReader,
        followingField: String,
        profile: CountProfile,
        account: String,
        time: Timestamp,
        source: Source
    ) throws(JSONFieldError) -> [Sample] {
        let fields: [(MetricName, String)] = [
            (.followers, "followers_count"), (.following, followingField), (.posts, "statuses_count"),
        ]
        var samples: [Sample] = []
        for (metric, field) in fields {
            guard let count = try read(user, field, profile: profile) else { continue }
            samples.append(
                Sample(
                    time: time,
                    platform: .weibo,
                    account: account,
                    metric: metric,
                    value: count.sampleValue,
                    quality: count.quality,
                    source: source
                )
            )
        }
        return samples
    }
}
