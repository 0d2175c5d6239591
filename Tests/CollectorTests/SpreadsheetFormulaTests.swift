import Collector
import Testing

/// Text cells kept from running as formulas in a spreadsheet, and read back.
struct SpreadsheetFormulaTests {
    @Test(
        arguments: [
            ("=HYPERLINK(\"http://evil/\",\"A校\")", "'=HYPERLINK(\"http://evil/\",\"A校\")"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("+86 531", "'+86 531"),
            ("-gh_a", "'-gh_a"),
            ("\tx", "'\tx"),
            ("-12", "-12"),
            ("+3.5", "+3.5"),
            ("济南市教育局", "济南市教育局"),
            ("'s-Hertogenbosch", "'s-Hertogenbosch"),
            ("", ""),
        ]
    )
    func neutralisesAFormulaAndRestoresIt(text: String, written: String) {
        #expect(SpreadsheetFormula.neutralised(text) == written)
        #expect(SpreadsheetFormula.restored(written) == text)
    }

    /// A `'` that the writer did not put there (before text that is no formula) stays.
    @Test func keepsAQuoteBeforeTextThatIsNoFormula() {
        #expect(SpreadsheetFormula.restored("'-12") == "'-12")
        #expect(SpreadsheetFormula.restored("'abc") == "'abc")
        #expect(SpreadsheetFormula.restored("'") == "'")
    }
}
