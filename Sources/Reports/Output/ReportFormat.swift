/// The output formats of a report.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// GitHub-flavoured Markdown tables.
    case markdown
    /// RFC 4180 CSV, UTF-8, LF line ends.
    case csv
    /// One self-contained HTML file with inline SVG charts.
    case html
}
