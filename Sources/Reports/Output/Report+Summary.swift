import Collector

extension Report {
    /// The sentences the top of the Markdown and HTML report gives before any table: what the
    /// figures rest on when a platform lacks an EII figure altogether. Each is also in the
    /// table it concerns; here they are said once, where a reader starts.
    func summaryNotes(_ style: TableStyle) -> [String] {
        uncollectedNotes(style)
    }
}
