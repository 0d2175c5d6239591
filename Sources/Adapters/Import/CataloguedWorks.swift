import Collector

/// The works of one account in the catalogue (objects.csv), for an export without the
/// platform's id of a work to find the id it already has there, so that each work is counted
/// once (PLATFORMS.md §3.5: match the Douyin 作品名称 and 发布时间 against objects.csv; the same
/// holds for a mapped export of Toutiao or Kuaishou works without an id column).
///
/// A row's work is, in this order (``work(published:title:)``):
/// 1. **The API's id**: exactly one work the API catalogued (its id not derived) has the same
///    title (first line, trimmed: the catalogue keeps the API title's first line, an export's
///    title cell may hold title and body) and was published in the same minute, Beijing time
///    (Excel drops the seconds; the API's `create_time` has them), or on the same day when the
///    export gives only the day. Two such works (the same title twice in one minute) match
///    neither.
/// 2. **The derived id** (``DerivedObjectID``), when the catalogue has it (an earlier import of
///    the same title).
/// 3. **A midnight work an earlier workbook import stored by its day**: a work published at
///    00:00 whose `.xlsx` import before session 12 stored it under a day-only id
///    (`20261101_…`, the reader dropped a midnight time) keeps that id, so that a newer
///    download of it, now read as `2026-11-01 00:00:00`, does not count it a second time.
/// 4. **Across an Excel re-save**: when the derived id is not catalogued and the title has a
///    `?` or a character code page 936 cannot hold, exactly one catalogued work of the same
///    minute (or day) whose title equals this one once every run of such characters and of `?`
///    counts as one `?` (``CodePage936/folded(_:)``): the same work before or after Excel wrote
///    `期末加油🎉💪` as `期末加油??`. Its title in the catalogue keeps the characters: the title
///    that lost them is not stored over it.
/// 5. Otherwise the derived id.
struct CataloguedWorks {
    /// The API's works (rule 1), by minute or day and title.
    private var apiIDs: [String: [String]] = [:]
    /// Every catalogued id, derived ones included.
    private var catalogued: Set<String> = []
    /// Every catalogued work by minute and by day, with its title (rule 4).
    private var byMoment: [String: [(id: String, title: String)]] = [:]

    /// An index of `objects`; empty when there are none.
    init(_ objects: [ContentObject]) {
        for object in objects {
            catalogued.insert(object.object)
            guard let published = object.publishedAt else { continue }
            let title = ContentObject.title(from: object.title)
            guard !title.isEmpty else { continue }
            let minute = Self.minute(published.secondsSinceEpoch)
            let day = Self.day(PlatformCalendar.beijing.civilDate(of: published))
            for moment in [minute, day] {
                if byMoment[moment]?.contains(where: { $0.id == object.object }) != true {
                    byMoment[moment, default: []].append((object.object, title))
                }
                guard !DerivedObjectID.isDerived(object.object) else { continue }
                let key = moment + "\u{0}" + title
                if apiIDs[key]?.contains(object.object) != true { apiIDs[key, default: []].append(object.object) }
            }
        }
    }

    /// The id to store the work published at `published` with the export's `title` cell under,
    /// and its title for the catalogue (the cell's first line, or the catalogued title when
    /// the cell's lost characters in a re-save).
    func work(published: DateTimeCell, title cell: String) -> (id: String, title: String) {
        let title = ContentObject.title(from: cell)
        let derived = DerivedObjectID.make(published: published, title: cell)
        guard !catalogued.isEmpty else { return (derived, title) }
        let moment =
            published.hasTime
            ? Self.minute(published.timestamp(calendar: .beijing).secondsSinceEpoch) : Self.day(published.date)
        if !apiIDs.isEmpty, let matches = apiIDs[moment + "\u{0}" + title], matches.count == 1 {
            return (matches[0], title)
        }
        // A work imported before, the usual case of an export imported again, stops here.
        if catalogued.contains(derived) { return (derived, title) }
        if published.hasTime && published.secondOfDay == 0 {
            var day = published
            day.hasTime = false
            let earlier = DerivedObjectID.make(published: day, title: cell)
            if catalogued.contains(earlier) { return (earlier, title) }
        }
        guard let candidates = byMoment[moment],
            CodePage936.mayDifferAcrossResave(cell)
        else { return (derived, title) }
        let folded = CodePage936.folded(title)
        let matches = candidates.filter { CodePage936.folded($0.title) == folded }
        guard matches.count == 1 else { return (derived, title) }
        // The title that GBK holds whole is the one that lost characters, if one did.
        let lost = CodePage936.holdsAll(title) && !CodePage936.holdsAll(matches[0].title)
        return (matches[0].id, lost ? matches[0].title : title)
    }

    private static func minute(_ seconds: Int64) -> String {
        // Floor division: a time before 1970 still falls in its own minute.
        "m\(seconds >= 0 ? seconds / 60 : (seconds - 59) / 60)"
    }

    private static func day(_ day: CivilDate) -> String { "d\(day)" }
}
