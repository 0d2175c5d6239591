import Collector

/// A post as both Weibo adapters store it: a `status` of the open API or an `mblog` of
/// m.weibo.cn, which share their field names (`reposts_count`, `comments_count`,
/// `attitudes_count`, `created_at`, `text`, `bid`).
package struct WeiboPost: Sendable {
    /// The fields read as counts, in the order their rows are written.
    static let countFields: [(field: String, metric: MetricName)] = [
        ("reposts_count", .shares),
        ("comments_count", .comments),
        ("attitudes_count", .likes),
    ]

    /// The status id (`idstr`, else `id`): the samples' `object`.
    var id: String
    /// The author's uid, when the post names it.
    var authorID: String?
    /// The catalogue row.
    var object: ContentObject
    /// The counts that could be read; a placeholder such as `"--"` is left out.
    var counts: [(metric: MetricName, count: ParsedCount)]
    /// Fields that could not be read; the other counts are still stored.
    var problems: [JSONFieldError]

    /// Reads the post at `reader`.
    /// - Parameters:
    ///   - account: The configured uid, for the catalogue row and its URL.
    ///   - profile: How the source formats counts: ``CountProfile/weiboDisplay`` on m.weibo.cn.
    /// - Throws: ``JSONFieldError`` only when the post has no id, or one no stored file can hold
    ///   (``JSONReader/id(_:)``): nothing of it can be stored.
    static func read(_ reader: JSONReader, account: String, profile: CountProfile) throws(JSONFieldError) -> WeiboPost {
        // Read as an id: an empty `idstr` would store the post's counts as the account's own.
        let id = try reader.optionalString("idstr") != nil ? reader.id("idstr") : reader.id("id")
        var problems: [JSONFieldError] = []
        var counts: [(metric: MetricName, count: ParsedCount)] = []
        for (field, metric) in countFields {
            do throws(JSONFieldError) {
                if let count = try WeiboCount.read(reader, field, profile: profile) { counts.append((metric, count)) }
            } catch {
                problems.append(error)
            }
        }
        // Optional extras: a post without them is still worth its counts.
        let authorID = try? reader.optionalString("user.id")
        let bid = try? reader.optionalString("bid")
        let created = try? reader.optionalString("created_at")
        let text = try? reader.optionalString("text")
        let object = ContentObject(
            platform: .weibo,
            object: id,
            account: account,
            publishedAt: created.flatMap(WeiboDate.parse),
            title: text.map(title(of:)) ?? "",
            url: "https://weibo.com/\(account)/\(bid.flatMap { $0.isEmpty ? nil : $0 } ?? id)"
        )
        return WeiboPost(id: id, authorID: authorID, object: object, counts: counts, problems: problems)
    }

    /// The post's rows, observed at `time`.
    func samples(at time: Timestamp, account: String, source: Source) -> [Sample] {
        counts.map { metric, count in
            Sample(
                time: time,
                platform: .weibo,
                account: account,
                object: id,
                metric: metric,
                value: count.sampleValue,
                quality: count.quality,
                source: source
            )
        }
    }

    /// The first line of a post's text as plain text: m.weibo.cn sends HTML (`<br />`, links,
    /// emoticon images), the open API plain text with newlines.
    package static func title(of text: String) -> String {
        var line = Substring(text)
        if let end = line.firstRange(of: "<br") { line = line[..<end.lowerBound] }
        if let end = line.firstIndex(where: { $0 == "\n" || $0 == "\r" }) { line = line[..<end] }
        var plain = ""
        var inTag = false
        for character in line {
            switch character {
            case "<": inTag = true
            case ">" where inTag: inTag = false
            default: if !inTag { plain.append(character) }
            }
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            plain = plain.replacing(entity, with: character)
        }
        return String(plain.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
