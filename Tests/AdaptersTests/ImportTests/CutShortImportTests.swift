import Adapters
import Collector
import CollectorTesting
import Testing

/// Files cut short by an interrupted download, and rows with fewer cells than the header: the
/// rows that cannot be trusted are reported with file and line and not imported, the others are
/// (docs/imports.md, "Rules for every file").
struct CutShortImportTests {
    private let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory(prefix: "collector-cut-short")
    }

    private static let growthHeader = "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数"

    /// Imports `text` written to `name` in the temporary folder: the report, the samples as
    /// SPEC §3 lines, and the failure messages (the folder written `DIR`).
    private func importText(
        _ text: String,
        name: String = "t4.csv",
        platform: Platform = .wechat,
        account: String = "gh_t4"
    ) throws -> (report: ImportReport, samples: [String], failures: [String]) {
        try importBytes(Array(text.utf8), name: name, platform: platform, account: account)
    }

    private func importBytes(
        _ bytes: [UInt8],
        name: String,
        platform: Platform = .wechat,
        account: String = "gh_t4"
    ) throws -> (report: ImportReport, samples: [String], failures: [String]) {
        let path = try temporary.write(bytes, to: name)
        let (report, sink, batch) = try ImportFixtures.importFile(path, platform: platform, account: account)
        return (
            report,
            sink.samples.map { ImportFixtures.line($0) },
            batch.failures.map { $0.message.replacing(temporary.path, with: "DIR") }
        )
    }

    // MARK: - A last row without a line end

    /// The operator's file: a total of `182408` cut to `18` must not be stored as exact.
    @Test(arguments: ["\r\n", "\n"])
    func skipsAndReportsALastRowTheFileEndsInside(lineEnd: String) throws {
        let text = [Self.growthHeader, "2025-05-03,60,3,57,182344", "2025-05-04,71,7,64,18"]
            .joined(separator: lineEnd)
        let (report, samples, failures) = try importText(text)
        #expect(
            samples == [
                "2025-05-03T00:00:00+08:00,wechat,gh_t4,,followers,182344,exact,import",
                "2025-05-03T00:00:00+08:00,wechat,gh_t4,,followers_new,60,exact,import",
                "2025-05-03T00:00:00+08:00,wechat,gh_t4,,followers_lost,3,exact,import",
            ]
        )
        #expect(
            failures == [
                "DIR/t4.csv:3: the file ends inside this row (no line end): it looks cut short, as by an interrupted "
                    + "download; the row was not imported; download the export again (or end the line if the row is "
                    + "complete)"
            ]
        )
        #expect(report.rows == 1)
        #expect(report.failures == 1)
    }

    @Test func importsEveryRowOfAFileWhoseLastLineEnds() throws {
        let text = Self.growthHeader + "\r\n2025-05-03,60,3,57,182344\r\n2025-05-04,71,7,64,182408\r\n"
        let (report, samples, failures) = try importText(text)
        #expect(samples.count == 6)
        #expect(samples.contains("2025-05-04T00:00:00+08:00,wechat,gh_t4,,followers,182408,exact,import"))
        #expect(failures.isEmpty)
        #expect(report.failures == 0)
    }

    /// The ambiguous case follows the same rule: the header line ends, so the file ends inside
    /// its only data row.
    @Test func skipsTheOnlyDataRowWhenTheFileEndsInsideIt() throws {
        let (report, samples, failures) = try importText(Self.growthHeader + "\r\n2025-05-04,71,7,64,18")
        #expect(samples.isEmpty)
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix("DIR/t4.csv:2: the file ends inside this row (no line end)") == true)
        #expect(report.rows == 0)
    }

    /// A header alone with its line end has no row to lose; nor has a last line of blank cells.
    @Test(
        arguments: [
            growthHeader + "\n", growthHeader + "\n2025-05-03,60,3,57,182344\n  ",
            growthHeader + "\n2025-05-03,60,3,57,182344\n,,,,",
        ]
    )
    func aLastLineWithNoDataWithoutLineEndIsNoFailure(text: String) throws {
        let (_, samples, failures) = try importText(text)
        #expect(failures.isEmpty)
        #expect(samples.count == (text.contains("2025-05-03") ? 3 : 0))
    }

    /// A quoted cell with line breaks: the row is numbered by the line it starts on, whether the
    /// file ends after its last cell or inside the quoted cell.
    @Test func reportsACutRowWithAQuotedMultiLineCellByItsFirstLine() throws {
        let header = "视频描述,视频ID,发布时间,完播率,平均播放时长,播放量,推荐,喜欢,评论量,分享量,关注量"
        let first = "\"开学第一课｜校长寄语\n#开学季 #教育\",export/AAA,2025/03/03,18.42%,13.77秒,12860,211,540,37,402,58"
        let whole = "\"实验室开放日\n回顾\",export/BBB,2025/03/06,9.05%,8.10秒,3041,35,122,6,58,11"
        func channels(
            _ lines: [String],
            _ name: String
        ) throws -> (
            report: ImportReport, samples: [String], failures: [String]
        ) {
            try importText(lines.joined(separator: "\r\n"), name: name, platform: .channels)
        }
        let reference = try channels([header, first, ""], "ref.csv")
        #expect(reference.samples.count == 8)

        let complete = try channels([header, first, whole, ""], "c.csv")
        #expect(complete.failures.isEmpty)
        #expect(complete.samples.count == 16)

        // The file ends after the last cell: the play count 3041 may be cut.
        let afterCells = try channels([header, first, whole], "a.csv")
        #expect(afterCells.samples == reference.samples)
        #expect(
            afterCells.failures == [
                "DIR/a.csv:4: the file ends inside this row (no line end): it looks cut short, as by an interrupted "
                    + "download; the row was not imported; download the export again (or end the line if the row is "
                    + "complete)"
            ]
        )

        // The file ends inside the quoted cell: the rows before it are imported all the same.
        let insideQuote = try channels([header, first, "\"实验室开放日\n回"], "q.csv")
        #expect(insideQuote.samples == reference.samples)
        #expect(
            insideQuote.failures == [
                "DIR/q.csv:4: a quoted cell that starts on this line is never closed, so the rest of the file is "
                    + "inside it: the file looks cut short, as by an interrupted download; the row was not imported; "
                    + "download the export again (or close the quote if the row is complete)"
            ]
        )
    }

    /// The articles importer reads rows as bytes (``Table/nextRow(into:)``): the same rules.
    @Test func cutsShortTheByteRowsOfTheArticlesImporter() throws {
        let header = "内容标题,发表日期,阅读人数,分享人数,阅读后关注人数,送达人数,阅读完成率,内容url"
        let one = "通知,2025-03-04,15320,1203,41,181002,62.35%,https://mp.weixin.qq.com/s?mid=2247501234&idx=1"
        let two = "指南,2025-03-06,8871,640,19,181455,55.10%,https://mp.weixin.qq.com/s?mid=2247501240&idx=1"
        let reference = try importText([header, one, ""].joined(separator: "\n"), name: "ref.csv")
        let cut = try importText(
            [header, one, "短行,2025-03-05,99", two, String(two.dropLast(3))].joined(separator: "\n"),
            name: "n.csv"
        )
        #expect(cut.samples.count == reference.samples.count * 2)
        #expect(cut.samples.starts(with: reference.samples))
        #expect(
            cut.failures == [
                "DIR/n.csv:3: the row has 3 cells, the header has 8: cells are missing, so its values cannot be matched "
                    + "to their columns; the row was not imported; download the export again (or delete the line if "
                    + "it is a note, not data)",
                "DIR/n.csv:5: the file ends inside this row (no line end): it looks cut short, as by an interrupted "
                    + "download; the row was not imported; download the export again (or end the line if the row is "
                    + "complete)",
            ]
        )
    }

    // MARK: - Hostile files (session 14)

    /// A header without its line end is a download cut inside its header (its last column
    /// name may be cut): refused whole, as `cutShort`, so it stays out of the ledger.
    @Test(arguments: [growthHeader, "导出时间：2025-05-04\n" + growthHeader])
    func refusesAFileThatEndsInsideItsHeader(text: String) throws {
        let path = try temporary.write(Array(text.utf8), to: "h.csv")
        let error = ImportFixtures.importError { _ = try ImportFixtures.importFile(path, account: "gh_t4") }
        #expect(error?.label == "cutShort")
        #expect(
            error?.description.replacing(temporary.path, with: "DIR")
                == "DIR/h.csv:\(text.contains("导出") ? 2 : 1): the file ends inside its header row (no line end): "
                + "it looks cut short, as by an interrupted download, and its last column name may be cut; nothing "
                + "was imported; download the export again (or end the line if the header is complete)"
        )
    }

    /// A cut that falls inside the header's last character: the advice says the file was cut,
    /// not that it is in another encoding (it was read as GB18030 before).
    @Test func aHeaderCutInsideACharacterIsCalledCutNotMisDecoded() throws {
        let bytes = Array(Self.growthHeader.utf8.dropLast(2))
        let path = try temporary.write(bytes, to: "g.csv")
        let error = ImportFixtures.importError { _ = try ImportFixtures.importFile(path, account: "gh_t4") }
        let message = error?.description ?? ""
        #expect(error?.label == "unknownKind")
        #expect(message.contains("headers found: 时间, 新关注人数, 取消关注人数, 净增关注人数, 累积关注人\u{FFFD}"))
        #expect(message.contains("(the file ends inside line 1, with no line end: it looks cut short"))
        #expect(!message.contains("GB18030"))
        #expect(!message.contains("mis-decoded"))
    }

    private static let channelsHeader = "视频描述,视频ID,发布时间,播放量"

    /// Imports a Channels export of `bytes`: the catalogue titles, the samples' objects and the
    /// failure messages.
    private func importChannels(
        _ bytes: [UInt8],
        name: String
    ) throws -> (
        titles: [String], objects: [String], failures: [String], format: String?
    ) {
        let path = try temporary.write(bytes, to: name)
        let (report, sink, batch) = try ImportFixtures.importFile(path, platform: .channels, account: "ch1")
        return (
            sink.objects.map(\.title),
            Array(Set(sink.samples.map(\.object))).sorted(),
            batch.failures.map { $0.message.replacing(temporary.path, with: "DIR") },
            report.format
        )
    }

    /// A UTF-8 export without BOM cut inside a Chinese character is UTF-8 (it was decoded whole
    /// as GB18030, and the complete rows stored with garbled titles).
    @Test func aUTF8FileCutInsideACharacterStaysUTF8() throws {
        let text = [Self.channelsHeader, "开学第一课校长寄语,export/A1,2025/03/03,500", "实验室开放日回顾"]
            .joined(separator: "\n")
        let cut = Array(text.utf8.dropLast(2))  // inside 顾
        let (titles, objects, failures, format) = try importChannels(cut, name: "cut.csv")
        #expect(titles == ["开学第一课校长寄语"])
        #expect(objects == ["export/A1"])
        #expect(format == "csv (UTF-8)")
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix("DIR/cut.csv:3: the file ends inside this row (no line end)") == true)
    }

    /// A UTF-8 file with a stray byte is UTF-8 with that byte reported by its line, not
    /// GB18030 with every title garbled; the title keeps U+FFFD, an id refuses it.
    @Test func aStrayByteInUTF8IsReportedByLine() throws {
        var bytes = Array((Self.channelsHeader + "\n开学第一课校长寄语,export/A1,2025/03/03,500\n实验室").utf8)
        bytes.append(0xA0)
        bytes += Array("开放日回顾,export/A2,2025/03/06,700\n实验,export/A3".utf8)
        bytes.append(0xFF)
        bytes += Array(",2025/03/07,900\n".utf8)
        let (titles, objects, failures, format) = try importChannels(bytes, name: "stray.csv")
        #expect(format == "csv (UTF-8)")
        #expect(titles == ["开学第一课校长寄语", "实验室\u{FFFD}开放日回顾"])
        #expect(objects == ["export/A1", "export/A2"])
        #expect(
            failures == [
                "DIR/stray.csv:4: column 视频ID: \"export/A3\u{FFFD}\" is not valid text: the file holds bytes here that "
                    + "its encoding cannot read (shown as \u{FFFD}), and the id would be a new, wrong one; the file looks "
                    + "damaged: download the export again; the row was skipped",
                "DIR/stray.csv:3: the file holds 2 bytes that are not valid UTF-8 text, the first on this line (read as "
                    + "\u{FFFD}): the file looks damaged; a row whose id holds one was not imported, a title keeps "
                    + "\u{FFFD}; download the export again",
            ]
        )
    }

    /// Invalid UTF-8 after a byte order mark (and past the first MiB) is checked too: an id
    /// holding it is refused, not stored as a new id with U+FFFD.
    @Test(arguments: [1, 1 << 20])
    func invalidUTF8InAnIDAfterABOMIsRefused(chunkSize: Int) throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((Self.channelsHeader + "\na,export/AAA").utf8)
        bytes += [0xFF, 0xFE, 0xC3, 0x28]
        bytes += Array("BBB,2025/03/03,100\nb,export/CCC,2025/03/03,200\n".utf8)
        let path = try temporary.write(bytes, to: "bom.csv")
        let reader = TextReader(bytes: bytes, name: "bom.csv", chunkSize: chunkSize)
        var table = CSVTable(reader: reader)
        _ = try allRows(&table)
        #expect(reader.invalidSequences == 3)
        #expect(table.firstInvalidLine == 2)
        let (_, sink, batch) = try ImportFixtures.importFile(path, platform: .channels, account: "ch1")
        #expect(Set(sink.samples.map(\.object)) == ["export/CCC"])
        #expect(batch.failures.map(\.label) == ["badCell", "invalidText"])
        #expect(
            batch.failures.first?.message.contains(
                "column 视频ID: \"export/AAA\u{FFFD}\u{FFFD}\u{FFFD}(BBB\" is not valid text"
            ) == true
        )
    }

    /// SPEC §5's rule for exec ids holds for imported ids: a control character (C0, DEL, C1,
    /// U+2028/U+2029) or a backslash refuses the row as a bad cell; the other rows go on.
    @Test(arguments: [
        ("export/AAA\u{00}BBB", "holds a control character"),
        ("export/DDD\u{2028}EEE", "holds a control character"),
        ("export/FFF\u{1B}[31mRED", "holds a control character"),
        ("export/GGG\u{85}", "holds a control character"),
        ("export/CCC\\", "holds a backslash"),
    ])
    func refusesAnIDNoStoredFileCanHold(id: String, reason: String) throws {
        let text = [Self.channelsHeader, "a,\(id),2025/03/03,100", "b,export/OK,2025/03/03,200", ""]
            .joined(separator: "\n")
        let (titles, objects, failures, _) = try importChannels(Array(("\u{FEFF}" + text).utf8), name: "ids.csv")
        #expect(objects == ["export/OK"])
        #expect(titles == ["b"])
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix("DIR/ids.csv:2: column 视频ID: \"") == true)
        #expect(failures.first?.contains("\" \(reason)") == true)
        #expect(failures.first?.contains("which no stored id may hold") == true)
        #expect(failures.first?.hasSuffix("; the row was skipped") == true)
        #expect(
            failures.first?.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{85}" } == false
        )
    }

    // MARK: - Rows with fewer cells than the header

    @Test func skipsAndReportsARowWithFewerCellsThanTheHeader() throws {
        let text = [
            "公众号用户增长数据（2025-04-03 至 2025-04-05）", "", Self.growthHeader, "2025-04-03,60,3,57,182344",
            "2025-04-04,71,7", "", ",,,,", "2025-04-05,52,9,43,182451", "合计,183", "数据来源：微信公众平台", "",
        ].joined(separator: "\r\n")
        let (report, samples, failures) = try importText(text)
        #expect(report.headerLine == 3)
        #expect(
            samples == [
                "2025-04-03T00:00:00+08:00,wechat,gh_t4,,followers,182344,exact,import",
                "2025-04-03T00:00:00+08:00,wechat,gh_t4,,followers_new,60,exact,import",
                "2025-04-03T00:00:00+08:00,wechat,gh_t4,,followers_lost,3,exact,import",
                "2025-04-05T00:00:00+08:00,wechat,gh_t4,,followers,182451,exact,import",
                "2025-04-05T00:00:00+08:00,wechat,gh_t4,,followers_new,52,exact,import",
                "2025-04-05T00:00:00+08:00,wechat,gh_t4,,followers_lost,9,exact,import",
            ]
        )
        // The blank lines and the short 合计 row are no data; the note is reported, as before
        // (its first cell is no date), now by what is wrong with it.
        #expect(
            failures == [
                "DIR/t4.csv:5: the row has 3 cells, the header has 5: cells are missing, so its values cannot be "
                    + "matched to their columns; the row was not imported; download the export again (or delete the "
                    + "line if it is a note, not data)",
                "DIR/t4.csv:10: the row has 1 cell, the header has 5: cells are missing, so its values cannot be "
                    + "matched to their columns; the row was not imported; download the export again (or delete the "
                    + "line if it is a note, not data)",
            ]
        )
        #expect(report.failures == 2)
    }

    /// Empty header cells at the end (a title row wider than the table) are no columns; extra
    /// cells past the header are left alone, as before.
    @Test func countsTheHeaderToItsLastTitledCellAndIgnoresExtraCells() throws {
        let text = [Self.growthHeader + ",,", "2025-04-03,60,3,57,182344", "2025-04-04,71,7,64,182408,,note", ""]
            .joined(separator: "\n")
        let (_, samples, failures) = try importText(text)
        #expect(failures.isEmpty)
        #expect(samples.count == 6)
    }

    @Test func listsAHundredShortRowsAndCountsTheRest() throws {
        let rows = (1...130).map { "2025-01-\($0 % 20 + 10),1" }
        let text = ([Self.growthHeader] + rows + ["2025-04-05,52,9,43,182451", ""]).joined(separator: "\n")
        let (report, samples, failures) = try importText(text)
        #expect(samples.count == 3)
        #expect(failures.count == 101)
        #expect(failures.first?.hasPrefix("DIR/t4.csv:2: the row has 2 cells, the header has 5") == true)
        #expect(
            failures.last
                == "DIR/t4.csv: 130 rows had fewer cells than the header and were not imported; 30 more than the 100 "
                + "listed"
        )
        #expect(report.failures == 101)
    }

    // MARK: - XLSX and JSON cut short

    /// A workbook cut anywhere loses its ZIP directory (at the end of the file): refused whole.
    @Test(arguments: [1, 22, 300, 2000])
    func refusesAWorkbookWithItsLastBytesCutOff(cut: Int) throws {
        let whole = try #require(try FileSystem.readFileIfPresent(ImportFixtures.wechat("user_growth.xlsx")))
        let path = try temporary.write(Array(whole.dropLast(cut)), to: "cut\(cut).xlsx")
        let error = try #require(ImportFixtures.importError { _ = try ImportFixtures.importFile(path) })
        #expect(error.label == "damagedArchive")
        #expect(error.description.hasPrefix("\(path): the .xlsx workbook is damaged or truncated ("))
        #expect(error.description.hasSuffix("); download the export again"))
    }

    /// JSON Lines cut in the middle of its last line: refused, naming the line.
    @Test func refusesJSONLinesCutInsideTheLastLine() throws {
        let text = #"{"时间": "2025-05-03", "累积关注人数": 182344}"# + "\n" + #"{"时间": "2025-05-04", "累积关注人数": 18"#
        let path = try temporary.write(text, to: "growth.jsonl")
        let error = try #require(ImportFixtures.importError { _ = try ImportFixtures.importFile(path) })
        #expect(error.label == "malformed")
        #expect(error.line == 2)
        #expect(error.description.hasPrefix("\(path):2: not a JSON object on its own line (JSON Lines), column "))
        #expect(error.message.hasSuffix("the JSON ends early, after 49 bytes (a truncated response?)"))
    }
}
