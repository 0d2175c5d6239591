import Adapters
import Collector
import CollectorTesting
import Testing

/// JSON exports (SPEC §1: `collector import` reads CSV, XLSX and JSON): an array of records,
/// found at the top or inside an API answer's envelope.
struct JSONRecordsTableTests {
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory()
    }

    private func table(_ text: String) throws -> JSONRecordsTable {
        try JSONRecordsTable(path: "t.json", bytes: Array(text.utf8))
    }

    private func rows(_ text: String) throws -> [TableRow] {
        var table = try table(text)
        var rows: [TableRow] = []
        while let row = try table.nextRow() { rows.append(row) }
        return rows
    }

    private func error(_ text: String) -> ImportError? {
        ImportFixtures.importError { _ = try table(text) }
    }

    // MARK: - Detection

    @Test(
        arguments: [
            ("[{\"a\": 1}]", true), ("{\"list\": []}", true), ("\u{FEFF}\n  [ ]", true), ("{}", true),
            ("[[1, 2]]", true), ("[2025-03]\n1,2\n", false), ("{name},count\n", false), ("时间,累积关注人数\n", false),
            ("[", false),
        ] as [(String, Bool)]
    )
    func tellsJSONFromATableByItsFirstTwoSignificantBytes(head: String, isJSON: Bool) {
        #expect(JSONRecordsTable.looksLikeJSON(Array(head.utf8)) == isJSON)
    }

    // MARK: - Rows

    @Test func theHeaderIsEveryKeyInFirstUseOrderAndEachRecordARow() throws {
        let rows = try rows(
            """
            [
              {"id": "a", "views": 12, "meta": {"score": 0.5, "tags": ["x"]}, "ok": true},
              {"views": 3.0, "id": "b", "note": null, "extra": "1.2万"}
            ]
            """
        )
        #expect(rows.map(\.number) == [0, 1, 2])
        #expect(rows[0].cells == ["id", "views", "meta.score", "ok", "note", "extra"])
        #expect(rows[1].cells == ["a", "12", "0.5", "true", "", ""])
        #expect(rows[2].cells == ["b", "3", "", "", "", "1.2万"])
    }

    @Test func findsTheFirstNonEmptyArrayOfObjectsBreadthFirst() throws {
        let envelope = try table(#"{"code": 0, "data": {"empty": [], "page": {"n": 1}, "list": [{"a": 1}]}}"#)
        #expect(envelope.recordsPath == "data.list")
        #expect(try table(#"[{"a": 1}]"#).recordsPath == "")
        let shallowFirst = try table(#"{"deep": {"list": [{"a": 1}]}, "rows": [{"b": 2}]}"#)
        #expect(shallowFirst.recordsPath == "rows")
    }

    /// JSON Lines: one object per line, numbered by line (a blank line is skipped, not counted
    /// as a record); a later line that is not an object is named.
    @Test func readsJSONLinesNumberedByLine() throws {
        var table = try table("{\"a\": 1}\n\n{\"b\": \"x\", \"a\": 2}\n")
        #expect(table.format == "jsonl")
        var rows: [TableRow] = []
        while let row = try table.nextRow() { rows.append(row) }
        #expect(rows.map(\.number) == [0, 1, 3])
        #expect(rows.map(\.cells) == [["a", "b"], ["1", ""], ["2", "x"]])

        let array = try #require(error("{\"a\": 1}\n[1, 2]\n"))
        #expect(array.line == 2)
        #expect(array.message == "a JSON Lines record must be an object, not array")
        let torn = try #require(error("{\"a\": 1}\n{\"a\": \n"))
        #expect(torn.line == 2)
        #expect(torn.message.hasPrefix("not a JSON object on its own line (JSON Lines), column "))
        // Two documents where the first line is not one on its own: a broken document, as before.
        #expect(error("{\"a\":\n 1} {\"b\": 2}")?.message.hasPrefix("not valid JSON, column ") == true)
    }

    // MARK: - Errors

    @Test func namesAnAPIErrorAnswer() throws {
        let error = try #require(self.error(#"{"errcode": 40001, "errmsg": "invalid credential"}"#))
        #expect(error.label == "malformed")
        #expect(
            error.message
                == "this is an API error answer (code 40001: invalid credential), not an export; save the answer of a "
                + "successful call"
        )
    }

    @Test func namesTheTopLevelKeysWhenThereAreNoRecords() throws {
        let error = try #require(self.error(#"{"total": 3, "page": {"n": 1}, "ids": [1, 2]}"#))
        #expect(
            error.message == "the JSON holds no array of records (objects); its top-level keys are: total, page, ids"
        )
        let scalars = try #require(self.error("[1, 2, 3]"))
        #expect(scalars.message.hasPrefix("the JSON holds no array of records (objects)"))
    }

    @Test func anEmptyListIsAnEmptyFile() throws {
        #expect(error(#"{"list": []}"#)?.label == "empty")
    }

    @Test func pointsAtTheLineWhereTheJSONBreaks() throws {
        let error = try #require(self.error("{\n  \"list\": [\n    {\"a\": 1},\n    {\"a\": \n"))
        #expect(error.label == "malformed")
        #expect(error.line == 5)
        #expect(error.message.hasPrefix("not valid JSON, column "))
    }

    // MARK: - Through the import service

    @Test func importsAWeChatExportSavedAsJSONRecords() throws {
        let path = ImportFixtures.wechat("json/user_growth_records.json")
        let (report, sink, batch) = try ImportFixtures.importFile(path)
        #expect(report.kind == "user_growth")
        #expect(report.format == "json (records at data.list)")
        #expect(
            sink.samples.map { ImportFixtures.line($0) } == [
                "2025-03-03T00:00:00+08:00,wechat,gh_test,,followers,182344,exact,import",
                "2025-03-03T00:00:00+08:00,wechat,gh_test,,followers_new,12,exact,import",
                "2025-03-03T00:00:00+08:00,wechat,gh_test,,followers_lost,3,exact,import",
                "2025-03-04T00:00:00+08:00,wechat,gh_test,,followers,182408,exact,import",
                "2025-03-05T00:00:00+08:00,wechat,gh_test,,followers,182451,exact,import",
            ]
        )
        // The third record's bad cell is reported with the record's number.
        let failure = try #require(batch.failures.first)
        #expect(failure.message.hasPrefix("\(path):3: column 新关注人数: \"many\" is not a count"))
    }

    @Test func readsASavedAPIAnswerThroughAMapping() throws {
        let mappingPath = try temporary.write(
            "kind = \"cumulate\"\ntime_stamp = \"time\"\n[columns]\n\"ref_date\" = \"time\"\n"
                + "\"cumulate_user\" = \"metric:followers\"\n",
            to: "cumulate.toml"
        )
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let report = try ImportService.importFile(
            path: ImportFixtures.wechat("json/getusercumulate_answer.json"),
            platform: .wechat,
            options: ImportOptions(
                account: "gh_api",
                mapping: try ColumnMapping.load(path: mappingPath, platform: .wechat)
            ),
            calendar: ImportFixtures.calendar,
            importers: ImportAdapter.importers,
            into: batch
        )
        try batch.commit()
        #expect(report.format == "json (records at list)")
        #expect(sink.samples.count == 7)
        #expect(
            sink.samples.first.map { ImportFixtures.line($0) }
                == "2025-03-03T00:00:00+08:00,wechat,gh_api,,followers,182344,exact,import"
        )
    }

    @Test func refusesASavedErrorAnswerWithItsCode() throws {
        let path = ImportFixtures.wechat("json/error_40001_answer.json")
        let error = try #require(ImportFixtures.importError { _ = try ImportFixtures.importFile(path) })
        #expect(error.message.hasPrefix("this is an API error answer (code 40001: invalid credential"))
    }
}
