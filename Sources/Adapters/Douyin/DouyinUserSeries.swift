import Collector

/// One account-level daily series of `data.external.user` (PLATFORMS.md §3.2, §3.5): the
/// endpoint, and which field of each `result_list` entry becomes which metric, stamped 00:00 of
/// the entry's `date`.
struct DouyinUserSeries: Sendable {
    /// How a field is read.
    enum Kind: Sendable {
        /// A count (never negative): through ``CountString``.
        case count
        /// A net change that may be negative (`new_fans`).
        case signed
    }

    /// A field and its metric.
    struct Field: Sendable {
        /// The member of each `result_list` entry.
        var name: String
        /// The metric it becomes.
        var metric: MetricName
        /// How it is read.
        var kind: Kind

        /// The value and quality in `entry`, or nil when it is `null` or a placeholder.
        func read(_ entry: JSONReader) throws(JSONFieldError) -> (SampleValue, Quality)? {
            switch kind {
            case .count: try DouyinValues.count(entry, name).map { ($0.sampleValue, $0.quality) }
            case .signed: try DouyinValues.signed(entry, name).map { (.integer($0), .exact) }
            }
        }
    }

    /// `new_fans` is written as this, not as `followers_new`: the platform's figure is the net
    /// change of `total_fans` (unfollows subtracted; it may be negative), PLATFORMS.md §3.5.
    static let netFollowers = MetricName(rawValue: "douyin_net_followers")

    /// The endpoint path.
    var endpoint: String
    /// The fields read from each entry.
    var fields: [Field]

    /// The six daily series, in the order they are requested.
    static let all: [DouyinUserSeries] = [
        DouyinUserSeries(
            endpoint: "/data/external/user/fans/",
            fields: [
                Field(name: "total_fans", metric: .followers, kind: .count),
                Field(name: "new_fans", metric: netFollowers, kind: .signed),
            ]
        ),
        DouyinUserSeries(
            endpoint: "/data/external/user/item/",
            fields: [
                Field(name: "total_issue", metric: .posts, kind: .count),
                Field(name: "new_issue", metric: .postsNew, kind: .count),
                Field(name: "new_play", metric: .views, kind: .count),
            ]
        ),
        DouyinUserSeries(
            endpoint: "/data/external/user/like/",
            fields: [Field(name: "new_like", metric: .likes, kind: .count)]
        ),
        DouyinUserSeries(
            endpoint: "/data/external/user/comment/",
            fields: [Field(name: "new_comment", metric: .comments, kind: .count)]
        ),
        DouyinUserSeries(
            endpoint: "/data/external/user/share/",
            fields: [Field(name: "new_share", metric: .shares, kind: .count)]
        ),
        DouyinUserSeries(
            endpoint: "/data/external/user/profile/",
            fields: [Field(name: "profile_uv", metric: .profileViews, kind: .count)]
        ),
    ]

    /// The samples of a response; entries or fields that cannot be read are noted in `problems`
    /// and skipped, the rest are kept.
    func samples(
        from response: JSONReader,
        account: String,
        calendar: PlatformCalendar,
        problems: inout DouyinFieldProblems
    ) -> [Sample] {
        var entries: [JSONReader] = []
        do throws(JSONFieldError) {
            // Absent is a changed response; `null` or `[]` is an empty window.
            guard response.value("data.result_list") != nil else {
                throw DouyinValues.missing(response, "data.result_list")
            }
            entries = try response.optionalArray("data.result_list") ?? []
        } catch {
            problems.note(error)
        }
        var samples: [Sample] = []
        samples.reserveCapacity(entries.count * fields.count)
        for entry in entries {
            do throws(JSONFieldError) {
                let day = try DouyinValues.day(entry, "date", calendar: calendar)
                for field in fields {
                    do throws(JSONFieldError) {
                        guard let (value, quality) = try field.read(entry) else { continue }
                        samples.append(
                            Sample(
                                time: day,
                                platform: .douyin,
                                account: account,
                                metric: field.metric,
                                value: value,
                                quality: quality,
                                source: .api
                            )
                        )
                    } catch {
                        problems.note(error)
                    }
                }
            } catch {
                problems.note(error)
            }
        }
        return samples
    }
}
