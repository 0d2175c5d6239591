import Collector

extension SelfReportImporter {
    /// Headers that do not say what time their count covers, by the column they were once read
    /// as (until session 15), with the header to write instead and what it holds. In Chinese
    /// reporting `发文数` is the posts of a period (a monthly sheet's, and collector's own report
    /// uses it so), while the sheet's `posts` is the running total to the row's day; `阅读量` may
    /// be the reads of a day, a month or all time, while `views` is the reads of that day alone.
    /// Read as the sheet's figures, a month's counts would be stored as totals or as one day's.
    static let ambiguousHeaders: [(column: String, headers: [String], wanted: String, holds: String, readAs: String)] =
        [
            (
                "posts", periodPosts, "发文总数",
                "the running total to that day (截至该日累计)",
                "the posts of a period (a month's, as collector's own report uses 发文数)"
            ),
            (
                "views", periodViews, "当日阅读量",
                "the reads or plays of that day alone (该日一天)",
                "the reads of a day, of a period or of all time"
            ),
        ]

    /// The posts headers that say no time (``ambiguousHeaders``).
    static let periodPosts = ["发文数", "发文量", "发布数", "发布量", "作品数", "作品量"]

    /// The views headers that say no time (``ambiguousHeaders``).
    static let periodViews = ["阅读量", "阅读数", "播放量", "播放数"]

    /// The headers read as `posts`, the running total: the 总数 ones, and each header of
    /// ``periodPosts`` said to be a total (`累计发文数`, `发文数(累计)`), so that every way of
    /// saying it is read, not only the spelling the template uses (until session 15
    /// `累计发文量` was read as nothing).
    static let postsHeaders =
        ["发文总数", "作品总数", "发布总数"] + periodPosts.flatMap { ["累计" + $0, $0 + "(累计)"] }

    /// The headers read as `views`, the reads or plays of that day: each header of
    /// ``periodViews`` said to be of that day (`当日阅读数`, `当天播放量`, `阅读量(当日)`; until
    /// session 15 only 当日阅读量 and 当日播放量 were read, and `当日阅读数` only named in a
    /// notice), and the template's 当日阅读/播放量 (session 16), also written 当日阅读量/播放量.
    static let viewsHeaders: [String] =
        ["当日", "当天"].flatMap { (day: String) -> [String] in
            periodViews.map { day + $0 } + [day + "阅读/播放量", day + "阅读量/播放量"]
        }
        + periodViews.flatMap { ["\($0)(当日)", "\($0)(当天)"] }

    /// What the header of a sheet says about its columns, once per sheet, from the header
    /// alone (the rows pay nothing): an `ambiguousColumn` failure for each header of
    /// ``ambiguousHeaders`` whose column the sheet does not have under a clear name (the
    /// column is not read), and one `columnNotRead` notice naming every other column that
    /// nothing reads, so that a sheet whose posts or 10万+ counts were left out does not pass
    /// as imported whole.
    static func columnFindings(
        _ header: MatchedHeader,
        file: String
    ) -> (failures: [CollectionFailure], notice: CollectionFailure?) {
        let cells = header.cells.map(HeaderMatcher.normalize)
        var handled = Set(header.columns.values)
        var failures: [CollectionFailure] = []
        for ambiguous in ambiguousHeaders where header.index(of: ambiguous.column) == nil {
            let names = ExportColumn(ambiguous.headers[0], aliases: Array(ambiguous.headers.dropFirst()))
            for (_, cell) in HeaderMatcher.namesPresent(of: names, in: cells) where handled.insert(cell).inserted {
                let title = header.title(ofCell: cell)
                failures.append(
                    CollectionFailure(
                        adapter: "import",
                        account: file,
                        object: "line \(header.line)",
                        label: "ambiguousColumn",
                        message: "\(file):\(header.line): column \(title) was not imported: the self-report "
                            + "sheet's \(ambiguous.column) is \(ambiguous.wanted), \(ambiguous.holds), and \(title) "
                            + "is read as \(ambiguous.readAs), which the sheet cannot import: if the column holds "
                            + "\(ambiguous.holds), name it \(ambiguous.wanted) and import the sheet again; otherwise "
                            + "delete the column"
                    )
                )
            }
        }
        let unread = cells.indices.filter { !handled.contains($0) && !cells[$0].isEmpty }.map(header.title(ofCell:))
        guard !unread.isEmpty else { return (failures, nil) }
        let notice = CollectionFailure(
            adapter: "import",
            account: file,
            object: "line \(header.line)",
            label: "columnNotRead",
            message: "\(file):\(header.line): \(unread.count == 1 ? "column" : "columns") not read: "
                + unread.joined(separator: ", ") + " (a self-report sheet holds one day's figures per account and "
                + "reads only the columns of `collector template`: " + headers.joined(separator: ", ")
                + "; counts of a month or another period, such as the posts or 10万+ articles of a month, cannot be "
                + "imported from it); the other columns were read"
        )
        return (failures, notice)
    }

    /// For a `drop` of `posts`: the column is a running total, so a count of one period (the
    /// monthly `发文数` of a sheet kept by hand) falls below the total before it; empty for
    /// other metrics.
    static func totalsOnly(_ metric: MetricName) -> String {
        guard metric == .posts else { return "" }
        return "; posts is the running total to that day (发文总数, 截至该日累计), and a count of one period, such "
            + "as a month's posts, is not a total"
    }
}
