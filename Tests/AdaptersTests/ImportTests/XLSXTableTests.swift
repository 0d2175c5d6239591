import Adapters
import Collector
import Testing

struct XLSXTableTests {
    @Test func readsSharedAndInlineStringsFormulasTextNumbersAndDates() throws {
        var table = try XLSXTable(path: ImportFixtures.wechat("user_growth.xlsx"))
        #expect(table.sheetName == "用户增长")
        let rows = try allRows(&table)
        #expect(
            rows == [
                TableRow(number: 1, cells: ["公众号用户增长数据（2025-03-03 至 2025-03-07）"]),
                TableRow(number: 2, cells: ["时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数"]),
                TableRow(number: 3, cells: ["2025-03-03", "60", "3", "57", "182344"]),
                TableRow(number: 4, cells: ["2025-03-04", "71", "7", "64", "182408"]),
                TableRow(number: 5, cells: ["2025-03-05", "52", "9", "43", "182,451"]),
                TableRow(number: 6, cells: ["2025-03-06", "20", "38", "-18", "182433"]),
                TableRow(number: 7, cells: ["2025-03-07", "95", "8", "87", "182520"]),
            ]
        )
    }

    @Test func readsALargeSheetThroughATemporaryFile() throws {
        let path = ImportFixtures.wechat("user_growth.xlsx")
        var inMemory = try XLSXTable(path: path)
        var unpacked = try XLSXTable(path: path, inMemoryLimit: 0)
        #expect(try allRows(&unpacked) == allRows(&inMemory))
    }

    @Test func refusesATruncatedWorkbookNamingTheFile() throws {
        let path = ImportFixtures.wechat("user_growth_truncated.xlsx")
        let error = try #require(throws: ImportError.self) { try XLSXTable(path: path) }
        #expect(error.label == "damagedArchive")
        #expect(
            error.description
                == "\(path): the .xlsx workbook is damaged or truncated (its ZIP directory is missing, so the download "
                + "was probably cut off); download the export again"
        )
    }

    @Test func refusesAnUnknownSheetNameListingTheSheets() throws {
        let error = try #require(throws: ImportError.self) {
            try XLSXTable(path: ImportFixtures.wechat("user_growth.xlsx"), sheet: "Sheet9")
        }
        #expect(error.message == "the workbook has no sheet named \"Sheet9\"; its sheets are: 用户增长")
    }

    @Test(
        arguments: [
            ("45720", false, "2025-03-04"), ("45720.5", false, "2025-03-04 12:00:00"),
            ("45720.99998", false, "2025-03-04 23:59:58"), ("45720.999999", false, "2025-03-05"),
            ("1", false, "1900-01-01"), ("61", false, "1900-03-01"),
            ("44258", true, "2025-03-04"), ("-1", false, nil), ("x", false, nil),
            // Times without a day (mm:ss, h:mm:ss cells): durations, as the user sees them.
            ("0.0005555555555555556", false, "0:00:48"), ("0.03333333333333333", false, "0:48:00"),
            ("0.5", true, "12:00:00"), ("0", false, "0:00:00"),
        ] as [(String, Bool, String?)]
    )
    func rendersDateSerials(serial: String, uses1904Dates: Bool, text: String?) {
        #expect(XLSXTable.dateText(serial: serial, uses1904Dates) == text)
    }

    @Test func rendersAMidnightSerialWithItsTimeWhenTheFormatShowsOne() {
        #expect(XLSXTable.dateText(serial: "46327", false, showsTime: true) == "2026-11-01 00:00:00")
        #expect(XLSXTable.dateText(serial: "46327", false) == "2026-11-01")
        #expect(XLSXTable.dateText(serial: "46327.5", false, showsTime: false) == "2026-11-01 12:00:00")
    }

    @Test(arguments: [
        ("yyyy-mm-dd hh:mm:ss", true), ("yyyy/m/d h:mm", true), ("mm:ss", true), ("[h]:mm", true),
        ("[$-804]上午/下午h\"时\"mm\"分\"", true), ("yyyy/m/d", false), ("yyyy\"年\"m\"月\"d\"日\"", false),
        ("[$-804]yyyy-mm-dd", false), ("yyyy-mm-dd \"h\"", false),
    ])
    func tellsFormatsThatShowATimeOfDay(code: String, showsTime: Bool) {
        #expect(XLSXTable.showsTime(code) == showsTime)
    }

    @Test(arguments: [
        ("182408", "182408"), ("0.62350000000000005", "0.6235"), ("1.5E-2", "0.015"), ("-18", "-18"),
        ("182408.0", "182408"), ("abc", "abc"),
        // Formula results as Excel caches them (17 digits), shown with its 15.
        ("11299.999999999998", "11300"), ("0.30000000000000004", "0.3"), ("-0.30000000000000004", "-0.3"),
        ("1.2345678901234567", "1.23456789012346"), ("7.47654321098765e+18", "7476543210987650000"),
        ("12345678901234567", "12345678901234600"), ("5139990000000000", "5139990000000000"),
    ])
    func writesNumbersInPlainNotation(stored: String, text: String) {
        #expect(XLSXTable.plainNumber(stored) == text)
    }

    @Test(arguments: [
        ("yyyy/m/d", true), ("yyyy-mm-dd h:mm:ss", true), ("[$-804]yyyy\"年\"m\"月\"d\"日\"", true),
        ("0.00%", false), ("#,##0", false), ("General", false), ("\"day\"0", false), ("[Red]0.0", false),
        ("_(* #,##0_)", false),
    ])
    func tellsDateFormatsFromNumberFormats(code: String, isDate: Bool) {
        #expect(XLSXTable.isDateFormat(code) == isDate)
    }

    @Test(
        arguments: [
            ("yyyy\"年\"m\"月\"", .day), ("yyyy-mm", .day), ("mmm-yy", .day), ("[$-804]yyyy\"年\"m\"月\";@", .day),
            ("yyyy", .day), ("m\"月\"d\"日\"", .year), ("d-mmm", .year), ("mm-dd hh:mm", .year),
            ("yyyy/m/d", nil), ("yyyy-mm-dd hh:mm:ss", nil), ("[$-411]ge.m.d", nil), ("d/m/bb", nil),
            ("yyyy\"年\"m\"月\"d\"日\" dddd", nil), ("yyyy-mm \"d\"", .day), ("mm:ss", nil), ("h:mm AM/PM", nil),
        ] as [(String, XLSXTable.DatePart?)]
    )
    func tellsWhichPartOfTheDateAFormatLeavesOut(code: String, missing: XLSXTable.DatePart?) {
        #expect(XLSXTable.missingDatePart(code) == missing)
    }

    /// A date cell whose format (custom or built-in) shows no day or no year reads as what it
    /// shows, `2025年2月`, `03-04` or `3/4`, so that a date column refuses it as it refuses that
    /// text; its serial's day (the 1st of a typed month) is never read as the date, and a time
    /// of day the format does not show (`m/d`, built-in 58), or its seconds (`mm-dd hh:mm`), is
    /// left out of it, so that the message quotes what the sheet shows.
    @Test func readsADateCellAsThePartItsFormatShows() throws {
        var table = try XLSXTable(path: ImportFixtures.path("any/exports/self_report_date_formats.xlsx"))
        let dates = try allRows(&table).dropFirst().map { $0[cell: 3] }
        #expect(
            dates == [
                "2025年2月", "2025-02", "2025-02", "2025-02", "2025年2月", "3月4日", "3月4日", "03-04", "03-04 14:47",
                "2025-03-02", "2025-03-03", "2025-03-05", "2025-03-06 00:00:00", "2025-03-07", "3/4", "3月4日",
                "03-04 14:47:05",
            ]
        )
    }

    @Test(
        arguments: [("A1", 0), ("E7", 4), ("AA10", 26), ("XFD1", 16383), ("1", nil), ("XFE1", nil)] as [(String, Int?)]
    )
    func readsColumnLetters(reference: String, index: Int?) {
        #expect(XLSXTable.columnIndex(reference) == index)
    }

    @Test func turnsExcelControlEscapesBack() {
        #expect(XLSXTable.unescapeControlCharacters("a_x000D__x000A_b_x41") == "a\r\nb_x41")
    }
}
