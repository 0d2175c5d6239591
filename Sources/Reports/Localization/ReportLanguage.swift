/// The language of a report's human text: headings, notes, column names, status and category
/// names, charts. CSV keeps its machine-readable column keys and codes in every language.
public enum ReportLanguage: String, Sendable, Hashable, CaseIterable {
    /// English: the documented column keys and codes (`NOT_MET`, `city_bureau`) as they are.
    case en
    /// Simplified Chinese, for the education departments that read the report.
    case zh
}
