import Collector

/// The works of one account that the API catalogued (objects.csv), by title and publishing
/// minute, for an export without the platform's id of a work to use it (PLATFORMS.md §3.5:
/// match the Douyin 作品名称 and 发布时间 against objects.csv; the same holds for a mapped export
/// of Toutiao or Kuaishou works without an id column), so that an account fed by the API and by
/// exports counts each work once.
///
/// A work matches when exactly one catalogued work has the same title (first line, trimmed:
/// the catalogue keeps the API title's first line, an export's title cell may hold title and
/// body) and was published in the same minute, Beijing time (Excel drops the seconds; the API's
/// `create_time` has them), or on the same day when the export gives only the day. No match, or
/// two works with the same title in the same minute, leaves the derived id (``DerivedObjectID``).
/// Catalogue rows whose id is itself derived (an earlier import) are not candidates, with one
/// exception: a work published at 00:00 whose `.xlsx` import before session 12 stored it under
/// a day-only id (`20261101_…`, the reader dropped a midnight time) keeps that id, so that a
/// newer download of it, now read as `2026-11-01 00:00:00`, does not count it a second time.
struct CataloguedWorks {
    private var ids: [String: [String]] = [:]
    /// The derived ids of the catalogue without a time (`20261101_7102f4e6`).
    private var dayOnlyDerived: Set<String> = []

    /// An index of `objects`; empty when there are none.
    init(_ objects: [ContentObject]) {
        // `YYYYMMDD_` and eight hex digits: 17 bytes.
        for object in objects where object.object.utf8.count == 17 && DerivedObjectID.isDerived(object.object) {
            dayOnlyDerived.insert(object.object)
        }
        for object in objects where !DerivedObjectID.isDerived(object.object) {
            guard let published = object.publishedAt else { continue }
            let title = ContentObject.title(from: object.title)
            guard !title.isEmpty else { continue }
            let seconds = published.secondsSinceEpoch
            let day = PlatformCalendar.beijing.civilDate(of: published)
            for key in [Self.minuteKey(seconds, title), Self.dayKey(day, title)] {
                if ids[key]?.contains(object.object) != true { ids[key, default: []].append(object.object) }
            }
        }
    }

    /// The catalogued id of the work published at `published` with the export's `title` cell,
    /// when exactly one work matches.
    func id(published: DateTimeCell, title: String) -> String? {
        if !ids.isEmpty {
            let firstLine = ContentObject.title(from: title)
            let key =
                published.hasTime
                ? Self.minuteKey(published.timestamp(calendar: .beijing).secondsSinceEpoch, firstLine)
                : Self.dayKey(published.date, firstLine)
            if let matches = ids[key], matches.count == 1 { return matches[0] }
        }
        guard published.hasTime && published.secondOfDay == 0 && !dayOnlyDerived.isEmpty else { return nil }
        var day = published
        day.hasTime = false
        let earlier = DerivedObjectID.make(published: day, title: title)
        return dayOnlyDerived.contains(earlier) ? earlier : nil
    }

    private static func minuteKey(_ seconds: Int64, _ title: String) -> String {
        // Floor division: a time before 1970 still falls in its own minute.
        let minute = seconds >= 0 ? seconds / 60 : (seconds - 59) / 60
        return "m\(minute)\u{0}\(title)"
    }

    private static func dayKey(_ day: CivilDate, _ title: String) -> String { "d\(day)\u{0}\(title)" }
}
