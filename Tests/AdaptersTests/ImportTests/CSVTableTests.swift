import Collector
import Testing

struct CSVTableTests {
    /// Every RFC 4180 difficulty at once; parsed with every chunk size below, so that each
    /// row, cell, quote and line break straddles a chunk boundary somewhere.
    private static let tricky =
        "a,b,c\r\n"
        + "\"x, y\",\"say \"\"hi\"\"\",plain\r\n"
        + "\"two\nlines\",\"crlf\r\ninside\",\"\"\n"
        + "\n"
        + "trailing,comma,\r"
        + "lone cr,\"quote\"after,end\n"
        + "\r\n"
        + "中文,\"引号\"\"内\",最后"

    private static let expected = [
        TableRow(number: 1, cells: ["a", "b", "c"]),
        TableRow(number: 2, cells: ["x, y", "say \"hi\"", "plain"]),
        TableRow(number: 3, cells: ["two\nlines", "crlf\r\ninside", ""]),
        TableRow(number: 7, cells: ["trailing", "comma", ""]),
        TableRow(number: 8, cells: ["lone cr", "quoteafter", "end"]),
        TableRow(number: 10, cells: ["中文", "引号\"内", "最后"]),
    ]

    @Test(arguments: [1, 2, 3, 5, 7, 16, 64, 1 << 20])
    func parsesQuotesLineBreaksAndLineNumbersAcrossChunks(chunkSize: Int) throws {
        let reader = TextReader(bytes: Array(Self.tricky.utf8), name: "tricky.csv", chunkSize: chunkSize)
        var table = CSVTable(reader: reader)
        let rows = try allRows(&table)
        #expect(rows == Self.expected)
        #expect(try table.nextRow() == nil)
        #expect(table.delimiter == UInt8(ascii: ","))
    }

    @Test func keepsAFinalDelimiterAsAnEmptyCell() throws {
        var table = CSVTable(reader: TextReader(bytes: Array("a,b,".utf8), name: "t.csv"))
        #expect(try allRows(&table) == [TableRow(number: 1, cells: ["a", "b", ""])])
    }

    @Test func readsAnEmptyFileAsNoRows() throws {
        var table = CSVTable(reader: TextReader(bytes: [], name: "empty.csv"))
        #expect(try allRows(&table).isEmpty)
    }

    @Test func detectsTabSeparatedText() throws {
        let text = "名称\t数量\n\"a, b\"\t1,234\n"
        var table = CSVTable(reader: TextReader(bytes: Array(text.utf8), name: "t.tsv"))
        #expect(
            try allRows(&table) == [
                TableRow(number: 1, cells: ["名称", "数量"]), TableRow(number: 2, cells: ["a, b", "1,234"]),
            ]
        )
        #expect(table.delimiter == UInt8(ascii: "\t"))
    }

    @Test(arguments: [1, 4, 1 << 20])
    func reportsAnUnclosedQuoteWithItsLine(chunkSize: Int) throws {
        let text = "a,b\n1,2\n3,\"never\nclosed\n"
        var table = CSVTable(reader: TextReader(bytes: Array(text.utf8), name: "cut.csv", chunkSize: chunkSize))
        #expect(try table.nextRow()?.number == 1)
        #expect(try table.nextRow()?.number == 2)
        let error = try #require(throws: ImportError.self) { try table.nextRow() }
        #expect(error.description.hasPrefix("cut.csv:3: a quoted cell that starts on this line is never closed"))
        #expect(error.label == "malformed")
    }

    /// A last row after a line end that the file ends inside of is withheld when asked (an
    /// import, after the header), whatever the chunks; by default it is read as it is.
    @Test(arguments: [1, 4, 1 << 20])
    func withholdsALastRowTheFileEndsInside(chunkSize: Int) throws {
        let cases: [(text: String, rows: [Int], cut: CSVTable.CutShortRow?)] = [
            ("a,b\r\n1,2\r\n3,4", [1, 2], .noLineEnd(line: 3)),
            ("a,b\n1,2\n3,4\n", [1, 2, 3], nil),
            ("a,b\r1,2\r3,4\r", [1, 2, 3], nil),
            ("a,b\n\"x\ny\",2\n\"z\nw\",4", [1, 2], .noLineEnd(line: 4)),
            ("a,b\n1,2\n\"open\nstill", [1, 2], .unclosedQuote(line: 3)),
            ("a,b\n1,2\n  ", [1, 2, 3], nil),
            ("a,b", [1], nil),
        ]
        for (text, lines, cut) in cases {
            var table = CSVTable(reader: TextReader(bytes: Array(text.utf8), name: "t.csv", chunkSize: chunkSize))
            table.withholdsCutShortRow = true
            #expect(try allRows(&table).map(\.number) == lines, "\(text.debugDescription)")
            #expect(table.cutShortRow == cut, "\(text.debugDescription)")
            #expect(try table.nextRow() == nil)
        }
        var plain = CSVTable(
            reader: TextReader(bytes: Array("a,b\r\n1,2\r\n3,4".utf8), name: "t.csv", chunkSize: chunkSize)
        )
        #expect(try allRows(&plain).last == TableRow(number: 3, cells: ["3", "4"]))
        #expect(plain.cutShortRow == nil)
    }

    @Test func readsAFileFromDisk() throws {
        var table = try CSVTable(path: ImportFixtures.wechat("export_user_growth.csv"), chunkSize: 10)
        let rows = try allRows(&table)
        #expect(rows.count == 6)
        #expect(rows[0].cells == ["时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数"])
        #expect(rows[5] == TableRow(number: 6, cells: ["2025-03-07", "95", "8", "87", "182520"]))
        #expect(table.encoding == .utf8)
    }

    @Test func namesTheFileAndReasonWhenItCannotBeOpened() throws {
        let error = try #require(throws: ImportError.self) { try CSVTable(path: "/nonexistent/export.csv") }
        #expect(error.description == "/nonexistent/export.csv: cannot open the file: No such file or directory")
        #expect(error.label == "unreadable")
    }
}
