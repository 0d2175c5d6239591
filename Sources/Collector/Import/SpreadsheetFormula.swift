/// Text cells of a CSV meant for a spreadsheet, kept from running as formulas (CSV injection).
///
/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a `'`
/// before it, as OWASP recommends: Excel and LibreOffice would otherwise run a unit or account
/// name such as `=HYPERLINK(…)` as a formula. A plain number (`-12`, `+3.5`) is no formula and
/// is left as it is. `collector report --format csv` (docs/reports.md §5) and the self-report
/// template (`collector template`) write their text cells through ``neutralised(_:)``; the
/// self-report import reads them back through ``restored(_:)``, so names and ids round-trip.
public enum SpreadsheetFormula {
    /// `text` with a `'` before it when a spreadsheet would read it as a formula.
    public static func neutralised(_ text: String) -> String {
        isFormula(text) ? "'" + text : text
    }

    /// `text` without the `'` that ``neutralised(_:)`` put before it: a cell that starts with
    /// `'` followed by what a spreadsheet would read as a formula. Any other text, including
    /// one that starts with `'` for another reason (`'s Hertogenbosch`), is left as it is.
    public static func restored(_ text: String) -> String {
        guard text.hasPrefix("'") else { return text }
        let rest = String(text.dropFirst())
        return isFormula(rest) ? rest : text
    }

    /// Whether a spreadsheet would read `text` as a formula: it starts with `=`, `+`, `-`, `@`,
    /// a tab or a carriage return and is not a plain number.
    private static func isFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return false }
        return !isPlainNumber(text)
    }

    /// `-12`, `+3.5`: an optional sign, digits, and an optional fraction.
    private static func isPlainNumber(_ text: String) -> Bool {
        var digits = text.utf8.dropFirst()
        if let dot = digits.firstIndex(of: UInt8(ascii: ".")) {
            let fraction = digits[digits.index(after: dot)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ (48...57).contains($0) }) else { return false }
            digits = digits[..<dot]
        }
        return !digits.isEmpty && digits.allSatisfy { (48...57).contains($0) }
    }
}
