#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Why an export file could not be imported (SPEC §1 `collector import`, `[[adapters.import]]`).
///
/// Every message names the file and, where one applies, the line, and says what to do. A
/// failure of the store while the rows are written is carried as ``underlying`` and flagged by
/// ``isStorageFailure``, so the command line can still exit 3 for it.
public struct ImportError: Error, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case unreadable, empty, malformed, oldExcel, passwordProtected, damagedArchive, unknownKind, kindMismatch
        case missingAccount
        case noImporter, storage, missingRegistry, missingObject, mappingMismatch, oversizedPart, otherUnits
        case roundedID, duplicateID, cutShort
    }

    private let code: Code
    /// The file concerned.
    public var file: String
    /// The 1-based line (CSV) or row (XLSX), when the problem sits on one.
    public var line: Int?
    /// What is wrong and what to do.
    public var message: String
    /// The store's own error, for ``isStorageFailure`` errors.
    public var underlying: (any Error)?

    private init(_ code: Code, file: String, line: Int? = nil, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
        self.underlying = underlying
    }

    /// The file cannot be opened or read; `errno` is the system's reason.
    public static func unreadable(_ file: String, operation: String, errno code: Int32) -> ImportError {
        ImportError(
            .unreadable,
            file: file,
            message: "cannot \(operation) the file: " + String(cString: strerror(code))
        )
    }

    /// The file has no rows at all.
    public static func empty(_ file: String) -> ImportError {
        ImportError(.empty, file: file, message: "the file is empty; export it again from the back office")
    }

    /// The file ends inside its header row, on `line`, with no line end: a download cut short
    /// there, whose last column name may be cut. A complete export ends its header line, a
    /// header-only one ("nothing in the period") too, so the file is refused whole.
    public static func cutShortHeader(_ file: String, line: Int) -> ImportError {
        ImportError(
            .cutShort,
            file: file,
            line: line,
            message: "the file ends inside its header row (no line end): it looks cut short, as by an interrupted "
                + "download, and its last column name may be cut; nothing was imported; download the export again "
                + "(or end the line if the header is complete)"
        )
    }

    /// The file's structure is broken at `line`: an unclosed quote, bad XML.
    public static func malformed(_ file: String, line: Int?, _ detail: String) -> ImportError {
        ImportError(.malformed, file: file, line: line, message: detail)
    }

    /// An old binary Excel workbook (`.xls`), which the collector does not read.
    /// A WPS `.et` workbook is the same binary format under WPS's own name, and is called so.
    public static func oldExcel(_ file: String) -> ImportError {
        let wps = file.lowercased().hasSuffix(".et") || file.lowercased().hasSuffix(".ett")
        return ImportError(
            .oldExcel,
            file: file,
            message: (wps ? "this is a WPS .et workbook" : "this is an old Excel .xls workbook")
                + ", which cannot be imported; re-save it as .xlsx (Excel: File > Save As > Excel Workbook, "
                + "文件 → 另存为 → Excel 工作簿; WPS: 文件 → 另存为 → Excel 文件 *.xlsx) and import that file"
        )
    }

    /// A workbook encrypted with a password (an OLE container holding an `EncryptedPackage`
    /// stream, which Excel and WPS write for 用密码进行加密): its sheets cannot be read, and
    /// saving it again, as `.xlsx` or otherwise, keeps the password.
    public static func passwordProtected(_ file: String) -> ImportError {
        ImportError(
            .passwordProtected,
            file: file,
            message: "the workbook is password-protected (encrypted), so it cannot be read, and saving it again keeps "
                + "the password; open it with the password, remove the password (Excel: 文件 → 信息 → 保护工作簿 → "
                + "用密码进行加密, clear the box and click 确定 (File > Info > Protect Workbook > Encrypt with Password); "
                + "WPS: 文件 → 文档加密 → 密码加密, clear the passwords), save it, and import it again"
        )
    }

    /// A `.xlsx` file whose ZIP archive or workbook parts cannot be read.
    public static func damagedArchive(_ file: String, _ detail: String) -> ImportError {
        ImportError(
            .damagedArchive,
            file: file,
            message: "the .xlsx workbook is damaged or truncated (\(detail)); download the export again"
        )
    }

    /// A part of a `.xlsx` workbook unpacks to more than the collector unpacks (a ZIP bomb, or a
    /// sheet too large for one workbook); `detail` names the part and the cap.
    public static func oversizedPart(_ file: String, _ detail: String) -> ImportError {
        ImportError(
            .oversizedPart,
            file: file,
            message: detail + "; nothing was imported: save the sheet as CSV UTF-8 "
                + "(Excel: File > Save As > CSV UTF-8) and import that, or split it into smaller workbooks"
        )
    }

    /// No export kind of the platform matches the file's headers; when the platform has one
    /// kind only (`any`: the self-report sheet), `missing` names the columns the file lacks for
    /// it, as the file's headers would name them (`日期 (date)`).
    public static func unknownKind(
        _ file: String,
        platform: Platform,
        headersFound: [String],
        kinds: [ExportKind],
        missing: [String] = [],
        readAsGB18030: Bool = false,
        cutShortAt cutLine: Int? = nil
    ) -> ImportError {
        let found = Self.describe(headersFound, readAsGB18030: readAsGB18030, cutShortAt: cutLine)
        // Each kind with where it is downloaded, so an operator who saved the wrong table
        // knows which one to fetch instead.
        let known = kinds.map {
            "\($0.name) (\($0.downloadedFrom); \($0.requiredColumnNames.joined(separator: ", ")), …)"
        }
        return ImportError(
            .unknownKind,
            file: file,
            message: "no known export kind matches; headers found: \(found); kinds known for \(platform): "
                + (known.isEmpty ? "none" : known.joined(separator: ", "))
                + (missing.isEmpty || kinds.count != 1
                    ? "" : "; for \(kinds[0].name) the file is missing \(missing.joined(separator: ", "))")
        )
    }

    /// `--kind` names no kind of the platform.
    public static func unknownKindName(_ name: String, platform: Platform, kinds: [ExportKind]) -> ImportError {
        ImportError(
            .unknownKind,
            file: "--kind",
            message: "\"\(name)\" is not an export kind of \(platform); use one of: "
                + kinds.map(\.name).joined(separator: ", ")
        )
    }

    /// The kind asked for with `--kind` (or a mapping's) does not match the file's headers: it
    /// lacks the `missing` columns, or has `unexpected` ones, which the kind never has
    /// (``ExportKind/absentColumns``).
    public static func kindMismatch(
        _ file: String,
        kind: ExportKind,
        missing: [String],
        unexpected: [String] = [],
        headersFound: [String],
        cutShortAt cutLine: Int? = nil
    ) -> ImportError {
        let found = Self.describe(headersFound, cutShortAt: cutLine)
        var reasons: [String] = []
        if !missing.isEmpty { reasons.append("missing \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty {
            reasons.append(
                "it has \(unexpected.joined(separator: ", ")), which a \(kind.name) export never has (absent_columns)"
            )
        }
        return ImportError(
            .kindMismatch,
            file: file,
            message: "the headers do not match kind \(kind.name): \(reasons.joined(separator: "; ")); "
                + "headers found: \(found)"
        )
    }

    /// The header spans two rows, `upper` over `lower` (group labels merged above the column
    /// names), which as one row would match `kind`; the importer reads a header of one row.
    /// Labelled `kindMismatch` when the kind was `requested` (`--kind`, a mapping), else
    /// `unknownKind`, as any header that matches no kind.
    public static func twoRowHeader(
        _ file: String,
        upper: TableRow,
        lower: TableRow,
        kind: String,
        requested: Bool
    ) -> ImportError {
        func cells(_ row: TableRow) -> String {
            describe(row.cells.map { $0.replacing("\n", with: " ") }.filter { !$0.allSatisfy(\.isWhitespace) })
        }
        return ImportError(
            requested ? .kindMismatch : .unknownKind,
            file: file,
            line: upper.number,
            message: "the header spans two rows (line \(upper.number): \(cells(upper)); line \(lower.number): "
                + "\(cells(lower))), likeliest group labels merged above the column names; as one row they would "
                + "match kind \(kind), but a header must be one row: make it one row, each column's name in its own "
                + "cell (unmerge the cells, move the names of the upper row down, delete what is left of the upper "
                + "row), and import the file again"
        )
    }

    /// The file does not say which account it belongs to, and none was given.
    public static func missingAccount(_ file: String) -> ImportError {
        ImportError(
            .missingAccount,
            file: file,
            message: "the file does not name its account; pass --account (or set account in [[adapters.import]])"
        )
    }

    /// No importer is registered for the platform.
    public static func noImporter(_ file: String, platform: Platform, known: [Platform]) -> ImportError {
        ImportError(
            .noImporter,
            file: file,
            message: "no importer reads \(platform) exports; importers exist for: "
                + (known.isEmpty ? "none" : known.map(\.rawValue).joined(separator: ", "))
                + "; read the file through a column mapping instead: --mapping FILE (samples/mappings has examples)"
        )
    }

    /// A self-report sheet, but no account registry to check its accounts against.
    public static func missingRegistry(_ file: String) -> ImportError {
        ImportError(
            .missingRegistry,
            file: file,
            message: "a self-report sheet is checked against the account registry; pass --registry accounts.csv, "
                + "or --config with registry set in [collector]"
        )
    }

    /// A self-report sheet imported as one unit's (`--unit`, `unit`) holds figures for `rows`
    /// rows of accounts that the registry gives to other units (`others`, in the order met):
    /// nothing of it is imported.
    public static func otherUnits(_ file: String, unit: String, rows: Int, others: [String]) -> ImportError {
        let named = others.prefix(5).joined(separator: ", ") + (others.count > 5 ? " and \(others.count - 5) more" : "")
        return ImportError(
            .otherUnits,
            file: file,
            message:
                "the sheet was imported as \(unit)'s (--unit), but \(rows) \(rows == 1 ? "row holds" : "rows hold") "
                + "figures for accounts of other units (\(named)); nothing of the file was imported: ask \(unit) for "
                + "a sheet of its own accounts, or, if the sheet was filled for several units (centrally), import it "
                + "without --unit"
        )
    }

    /// Cell `column` (its header) on `line` of a workbook holds an id as a number of 16 or more
    /// digits (`value`), which Excel has cut to 15 significant digits; `advice` says how to
    /// get the id back. Nothing of the file is imported.
    public static func roundedNumberID(
        _ file: String,
        line: Int,
        column: String,
        value: String,
        advice: String
    ) -> ImportError {
        ImportError(
            .roundedID,
            file: file,
            line: line,
            message: "column \(column) holds the id as the number \(value), not as text: Excel keeps 15 significant "
                + "digits, so an id of 16 or more digits stored as a number has lost its last digits and can no longer "
                + "tell contents or accounts apart (two would merge into one); nothing of the file was imported: "
                + advice
        )
    }

    /// Cell `column` (its header) on `line` repeats the id `id` of the row on `firstLine`,
    /// where `difference` says what else differs; `accountAndDay` when the id is an account's
    /// on a sheet of account figures (one row per account and day). For an id Excel may have
    /// rounded (``ExcelRoundedID/mayBeRounded(_:)``), two contents or accounts merged into one
    /// by Excel, likeliest, and `advice` says how to get the ids back; for any other id, the
    /// two rows are about the same content (or account and day) and disagree, and one must
    /// go. Nothing of the file is imported.
    public static func duplicateID(
        _ file: String,
        line: Int,
        column: String,
        id: String,
        firstLine: Int,
        difference: String,
        accountAndDay: Bool = false,
        advice: String
    ) -> ImportError {
        let explanation =
            if ExcelRoundedID.mayBeRounded(id) {
                "one id on two different rows means two contents or accounts merged into one, likeliest because "
                    + "Excel rounded long ids (it keeps 15 significant digits, and a column formatted as a number is "
                    + "saved as 5139990000000000); nothing of the file was imported: " + advice
            } else if accountAndDay {
                // Excel cannot have made this id out of another: the sheet itself says two things.
                "two rows of one account and day with different figures cannot both be right (a corrected row "
                    + "pasted under the old one?): keep the right one, delete the other and import the file again; "
                    + "nothing of the file was imported"
            } else {
                "the id names one content, so the two rows cannot both be right (two contents under one id, or a "
                    + "row edited by hand?): correct the id of the wrong row or delete it, and import the file again; "
                    + "nothing of the file was imported"
            }
        return ImportError(
            .duplicateID,
            file: file,
            line: line,
            message: "column \(column): the id \(id) is also on line \(firstLine), \(difference); " + explanation
        )
    }

    /// The file does not say which content it describes (WeChat 单篇详情).
    public static func missingObject(_ file: String, _ advice: String) -> ImportError {
        ImportError(.missingObject, file: file, message: advice)
    }

    /// The header row has the mapping's key columns but none of its metric columns.
    public static func mappingMismatch(
        _ file: String,
        line: Int,
        mapping: String,
        metricHeaders: [String],
        headersFound: [String]
    ) -> ImportError {
        ImportError(
            .mappingMismatch,
            file: file,
            line: line,
            message: "the header row has none of the metric columns of the mapping \(mapping) ("
                + metricHeaders.joined(separator: ", ") + "); headers found: " + Self.describe(headersFound)
        )
    }

    /// The headers found, for a message: at most 30, each cut at 40 characters (a file read in
    /// the wrong encoding can make one "header" of the whole file), with a hint: when the file
    /// ends inside line `cutLine` of them (no line end), that it looks cut short, which also
    /// explains a character cut in half; else when they may be mis-decoded: they hold
    /// replacement characters or question marks, or the file was read as GB18030, which Big5
    /// and other legacy encodings pass for without an error (into wrong but valid characters
    /// that only the operator can recognise).
    static func describe(_ headers: [String], readAsGB18030: Bool = false, cutShortAt cutLine: Int? = nil) -> String {
        guard !headers.isEmpty else { return "none" }
        var text = headers.prefix(30).map { $0.count > 40 ? $0.prefix(40) + "…" : $0 }.joined(separator: ", ")
        if headers.count > 30 { text += ", … (\(headers.count) in all)" }
        if let cutLine {
            text +=
                " (the file ends inside line \(cutLine), with no line end: it looks cut short, as by an interrupted"
                + " download, and its last header may be cut; download the export again)"
        } else if headers.contains(where: { $0.contains("\u{FFFD}") || $0.contains("?") }) {
            text +=
                " (these look mis-decoded: the file is damaged (bytes that are not valid text, shown as \u{FFFD}),"
                + " or in none of UTF-8, UTF-16 and GB18030; download it again, or save it as UTF-8 and import it again)"
        } else if readAsGB18030 {
            text +=
                " (read as GB18030: if these look garbled, the file is in another encoding such as Big5;"
                + " save it as UTF-8 and import it again)"
        }
        return text
    }

    /// The store failed while the file's rows were written.
    public static func storage(_ file: String, _ error: any Error) -> ImportError {
        ImportError(.storage, file: file, message: "writing the imported rows failed: \(error)", underlying: error)
    }

    /// Whether the failure came from the store (exit code 3), not from the file.
    public var isStorageFailure: Bool { code == .storage }

    /// A bounded label for summaries and self-metrics: `unknownKind`, `oldExcel`, ….
    public var label: String { code.rawValue }

    /// Whether two errors are of the same kind (for tests and error tables).
    public func hasSameKind(as other: ImportError) -> Bool { code == other.code }

    /// `exports/a.csv:12: a quoted field is never closed`.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
