import Collector
import Testing

/// Platform text in a log line or a summary line: escaped by Unicode scalar, so `"\r\n"` (one
/// `Character`), a lone CR, TAB, ESC and the C1 controls can neither start a forged line nor
/// reach a terminal raw.
@Suite struct LogTextTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("two words", "\"two words\""),
        ("", "\"\""),
        ("a=b", "\"a=b\""),
        ("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\""),
        ("bad\r\nlevel=error msg=forged", "\"bad\\r\\nlevel=error msg=forged\""),
        ("cr\rlf\ntab\t", "\"cr\\rlf\\ntab\\t\""),
        ("\u{1B}[31mred", "\"\\u{1B}[31mred\""),
        ("nul\u{0}del\u{7F}c1\u{85}", "\"nul\\u{00}del\\u{7F}c1\\u{85}\""),
        ("line\u{2028}para\u{2029}", "\"line\\u{2028}para\\u{2029}\""),
        ("粉丝数", "粉丝数"),
    ])
    func quotesLogfmtValuesByScalar(_ text: String, _ expected: String) {
        #expect(LogText.logfmt(text) == expected)
    }

    @Test func escapesControlsInHumanTextButKeepsQuotes() {
        #expect(LogText.escapingControls("msg \"x\" \\ ok") == "msg \"x\" \\ ok")
        #expect(LogText.escapingControls("a\r\nb\u{1B}c\td") == "a\\r\\nb\\u{1B}c\\td")
    }

    /// A summary line stays one line, whatever the platform or the section name held.
    @Test func aFailureIsOneLine() {
        let failure = CollectionFailure(
            adapter: "bili\nbili",
            account: "1",
            label: "schemaChanged",
            message: "answered \u{1B}]0;title\u{7}\r\nsummary: forged"
        )
        #expect(
            failure.description
                == "bili\\nbili/1: schemaChanged: answered \\u{1B}]0;title\\u{07}\\r\\nsummary: forged"
        )
        #expect(!failure.description.unicodeScalars.contains { $0.value < 0x20 })
    }
}
