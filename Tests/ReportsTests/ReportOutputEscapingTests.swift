import Collector
import Reports
import Testing

/// Names from the registry reach the CSV and Markdown reports as data, never as formulas or
/// HTML: a cell of a text column that a spreadsheet would run starts with `'`, and `<`, `>`
/// and `&` become entities in Markdown.
struct ReportOutputEscapingTests {
    /// A report of one unit whose unit, city and account name are `name`.
    private static func report(named name: String) throws -> Report {
        let entry = RegistryEntry(
            unit: name,
            category: "undergraduate",
            city: name,
            students: 20000,
            platform: .wechat,
            account: "gh_1",
            name: name,
            main: true,
            line: 2
        )
        return TestData.report([entry], [TestData.followers("gh_1", 1234)], rules: try TestData.shandong())
    }

    /// The cells of `column` in the CSV table `table`.
    private static func cells(_ report: Report, table: String, column: String) throws -> [String] {
        let file = try #require(report.csvFiles().first { $0.name == table + ".csv" })
        let records = FixtureReader.records(file.text)
        let index = try #require(records.first?.firstIndex(of: column))
        return records.dropFirst().map { $0[index] }
    }

    static let formulas = [
        "=HYPERLINK(\"http://example.invalid\",\"open\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
        "\tindented", "\rreturn",
    ]

    @Test(arguments: formulas)
    func csvNeutralisesAFormulaInANameWithAQuote(name: String) throws {
        let report = try Self.report(named: name)
        for (table, column) in [
            ("units", "unit"), ("units", "city"), ("attainment", "unit"), ("attainment", "name"),
            ("activity", "name"), ("ranking", "unit"),
        ] {
            #expect(try Self.cells(report, table: table, column: column) == ["'" + name], "\(table).\(column)")
        }
        // The one-text rendering goes through the same cells.
        #expect(!report.render(.csv).contains("\n" + name + ","))
    }

    /// Plain names, and names that are plain numbers (no formula), pass as they are; so do the
    /// numbers of the number columns.
    @Test(arguments: ["临沂市教育局", "-12", "+3.5", "a=b", "O'Brien @ home"])
    func csvLeavesOtherNamesAlone(name: String) throws {
        let report = try Self.report(named: name)
        #expect(try Self.cells(report, table: "units", column: "unit") == [name])
        #expect(try Self.cells(report, table: "attainment", column: "name") == [name])
        #expect(try Self.cells(report, table: "attainment", column: "followers") == ["1234"])
    }

    @Test func markdownEscapesHTMLAndPipesInNames() throws {
        let name = "<script>alert(1)</script> & <img src=x onerror=alert(2)> | co"
        let markdown = try Self.report(named: name).render(.markdown)
        #expect(!markdown.contains("<script>"))
        #expect(!markdown.contains("<img"))
        #expect(
            markdown.contains(
                "| &lt;script>alert(1)&lt;/script> & &lt;img src=x onerror=alert(2)> \\| co |"
            )
        )
    }
}
