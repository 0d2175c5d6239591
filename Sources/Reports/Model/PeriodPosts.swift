public import Collector

/// The content objects that may be posts of a period: what a report needs of the rows stamped
/// after the period's last day.
///
/// A post's reads keep growing after the period ends: its value at the fixed age (day 7) and its
/// latest read count (10万+) are stamped later, up to the report's `now` (docs/reports.md §4.1,
/// §7). Account rows stamped then (followers, follower flows, `posts_new`) belong to later
/// periods, and the content rows of older or later posts are not needed, so a reader of the
/// store loads the rows up to the period's end in full and, after it, only the content rows
/// of these objects.
public struct PeriodPosts: Sendable {
    private struct Key: Hashable {
        var platform: Platform
        var account: String
        var object: String
    }

    private var keys: Set<Key> = []

    /// The objects of `objects` published on a day of `period`, and those that a sample of
    /// `samples` names on a day of `period` (an object without `published_at` counts from the
    /// first time a sample names it, docs/reports.md §3). A superset of the period's posts: the
    /// report itself decides which of them are.
    public init(samples: [Sample], objects: [ContentObject], period: ReportPeriod, calendar: PlatformCalendar) {
        for object in objects {
            guard let published = object.publishedAt, period.contains(calendar.civilDate(of: published)) else {
                continue
            }
            keys.insert(Key(platform: object.platform, account: object.account, object: object.object))
        }
        for sample in samples where !sample.object.isEmpty {
            guard period.contains(calendar.civilDate(of: sample.time)) else { continue }
            keys.insert(Key(platform: sample.platform, account: sample.account, object: sample.object))
        }
    }

    /// Whether `sample` is a content row of one of the objects: account rows never are.
    public func includes(_ sample: Sample) -> Bool {
        !sample.object.isEmpty
            && keys.contains(Key(platform: sample.platform, account: sample.account, object: sample.object))
    }
}
