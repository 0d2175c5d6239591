package import Collector
import Foundation
import ZIPFoundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The rows of one sheet of an `.xlsx` workbook, read as text (with ``XLSXWriter``, the only
/// files that touch ZIPFoundation, STYLE §5).
///
/// Cells come back as the back office meant them: shared and inline strings as written (so a
/// number stored as text, `1,234`, stays text), numbers in plain decimal notation (`0.6235`,
/// never `6.235E-1`), formula cells as their cached value, booleans as `TRUE`/`FALSE`, and
/// numbers whose cell style is a date format as `2025-03-04` (or `2025-03-04 14:47:18` when the
/// serial has a time, or the format shows one: `yyyy-mm-dd hh:mm` at midnight is
/// `2025-03-04 00:00:00`). Rows keep their sheet row numbers; a cell missing from a sparse row is
/// the empty string. Merged title cells above the header are ordinary short rows that the
/// header search passes over.
///
/// The sheet part is scanned a chunk at a time. A part that unpacks to more than
/// ``inMemoryLimit`` is first unpacked into an unlinked temporary file, because ZIPFoundation
/// only pushes the inflated bytes; memory then stays flat whatever the sheet's size. Shared
/// strings are held in memory, as every spreadsheet reader must.
///
/// Workbooks come from outside (units send in self-report sheets), so every part is unpacked
/// under ``XLSXLimits``: a part whose ZIP entry declares more than its cap, or more than
/// ``XLSXLimits/ratio`` times its packed size, is refused before a byte is inflated, and the
/// inflated bytes are counted, so a part that unpacks to more than it declares is stopped there.
package struct XLSXTable: Table {
    /// Sheet parts up to this size are unpacked into memory; larger ones into a temporary file.
    package static let inMemoryLimit: UInt64 = 32 << 20

    /// The workbook file, for messages; ``ImportService`` adds the sheet's name when it imports
    /// several sheets of one workbook (`作品数据.xlsx [sheet 11月]`).
    package var name: String
    /// The sheet being read.
    package let sheetName: String
    /// Every sheet of the workbook, in workbook order, hidden ones included.
    package var sheetNames: [String] { parts.sheets.map(\.name) }
    /// The sheets Excel does not show (`state="hidden"` or `"veryHidden"`: a template, an old
    /// copy), in workbook order; none when every sheet is hidden, which Excel does not allow.
    package var hiddenSheetNames: [String] {
        let hidden = parts.sheets.filter(\.hidden)
        return hidden.count == parts.sheets.count ? [] : hidden.map(\.name)
    }
    /// The sheets Excel shows, in workbook order.
    package var visibleSheetNames: [String] {
        let hidden = hiddenSheetNames
        return sheetNames.filter { !hidden.contains($0) }
    }
    private let path: String
    private let parts: Parts
    private var scanner: XMLPullScanner
    private let sharedStrings: [String]
    private let numberFormats: [NumberFormat]
    private let uses1904Dates: Bool
    private var lastRow = 0
    private var finished = false
    /// The columns of the row last read whose cell is a number of 16 or more integer digits as
    /// stored (``hasLostDigits(_:)``), for the check of id columns (``IDColumnCheck``).
    package private(set) var longNumberColumns: [Int] = []

    /// The parts every sheet of a workbook shares, read once per file however many of its
    /// sheets are opened (``sheet(_:)``): the shared strings alone may take seconds to parse.
    private struct Parts {
        var workbook: Workbook
        var relationships: [String: String]
        var sharedStrings: [String]
        var numberFormats: [NumberFormat]
        var inMemoryLimit: UInt64
        var limits: XLSXLimits

        var sheets: [Workbook.Sheet] { workbook.sheets }
    }

    /// Opens the sheet named `sheet` of the workbook at `path`, or its first sheet that is not
    /// hidden; a sheet part larger than `inMemoryLimit` is unpacked into a temporary file. No
    /// part is unpacked beyond `limits` (tests pass small ones).
    package init(
        path: String,
        sheet: String? = nil,
        inMemoryLimit: UInt64 = XLSXTable.inMemoryLimit,
        limits: XLSXLimits = .standard
    ) throws(ImportError) {
        let archive = try XLSXTable.openArchive(path)
        guard let workbookPart = try XLSXTable.part("xl/workbook.xml", of: archive, file: path, limits: limits) else {
            throw ImportError.damagedArchive(path, "it is a ZIP file without xl/workbook.xml, so not an Excel workbook")
        }
        let workbook = try XLSXTable.parseWorkbook(workbookPart, file: path)
        let relationships =
            try XLSXTable.part("xl/_rels/workbook.xml.rels", of: archive, file: path, limits: limits)
            .map { bytes throws(ImportError) in try XLSXTable.parseRelationships(bytes, file: path) } ?? [:]
        let sharedStrings =
            try XLSXTable.part("xl/sharedStrings.xml", of: archive, file: path, limits: limits)
            .map { bytes throws(ImportError) in try XLSXTable.parseSharedStrings(bytes, file: path) } ?? []
        let numberFormats =
            try XLSXTable.part("xl/styles.xml", of: archive, file: path, limits: limits)
            .map { bytes throws(ImportError) in try XLSXTable.parseNumberFormats(bytes, file: path) } ?? []
        let parts = Parts(
            workbook: workbook,
            relationships: relationships,
            sharedStrings: sharedStrings,
            numberFormats: numberFormats,
            inMemoryLimit: inMemoryLimit,
            limits: limits
        )
        try self.init(path: path, sheet: sheet, parts: parts, archive: archive)
    }

    /// The sheet named `name` of the same workbook, positioned on its first row; the parts
    /// the sheets share are not read again.
    package func sheet(_ name: String) throws(ImportError) -> XLSXTable {
        try XLSXTable(path: path, sheet: name, parts: parts, archive: try XLSXTable.openArchive(path))
    }

    private init(path: String, sheet: String?, parts: Parts, archive: Archive) throws(ImportError) {
        let sheets = parts.sheets
        let chosen: Workbook.Sheet?
        if let sheet {
            guard let match = sheets.first(where: { $0.name == sheet }) else {
                throw ImportError.malformed(
                    path,
                    line: nil,
                    "the workbook has no sheet named \"\(sheet)\"; its sheets are: "
                        + sheets.map(\.name).joined(separator: ", ")
                )
            }
            chosen = match
        } else {
            // The first sheet Excel shows: a hidden first sheet is a template or an old copy.
            chosen = sheets.first { !$0.hidden } ?? sheets.first
        }
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let chosen, let target = parts.relationships[chosen.relationship] { sheetPath = XLSXTable.resolve(target) }
        guard let sheetEntry = XLSXTable.entry(sheetPath, in: archive) else {
            throw ImportError.damagedArchive(path, "the sheet part \(sheetPath) is missing")
        }

        self.name = path
        self.path = path
        self.sheetName = chosen?.name ?? "sheet1"
        self.parts = parts
        // Copies share the arrays' storage with `parts`.
        self.sharedStrings = parts.sharedStrings
        self.numberFormats = parts.numberFormats
        self.uses1904Dates = parts.workbook.uses1904Dates
        let sheetSize = try parts.limits.checked(
            part: sheetEntry.path,
            declared: sheetEntry.uncompressedSize,
            packed: sheetEntry.compressedSize,
            destination: .sheet,
            file: path
        )
        if sheetSize <= parts.inMemoryLimit {
            let bytes = try XLSXTable.extract(sheetEntry, of: archive, file: path, size: sheetSize)
            self.scanner = XMLPullScanner(bytes: bytes, name: path)
        } else {
            let fd = try XLSXTable.unpackToTemporaryFile(sheetEntry, of: archive, file: path, size: sheetSize)
            self.scanner = XMLPullScanner(fileDescriptor: fd, name: path)
        }
    }

    private static func openArchive(_ path: String) throws(ImportError) -> Archive {
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw XLSXTable.damaged(path, error)
        }
    }

    /// The next non-empty sheet row, or nil after the last.
    package mutating func nextRow() throws(ImportError) -> TableRow? {
        guard !finished else { return nil }
        while let event = try scanner.next() {
            switch event {
            case .start(let tag) where tag.name == "row":
                let number = tag.attribute("r").flatMap { Int($0) } ?? lastRow + 1
                lastRow = number
                if tag.isSelfClosing { return TableRow(number: number, cells: []) }
                return TableRow(number: number, cells: try readCells())
            case .end("sheetData"):
                finished = true
                return nil
            default:
                continue
            }
        }
        finished = true
        return nil
    }

    // MARK: - Cells

    private mutating func readCells() throws(ImportError) -> [String] {
        var cells: [String] = []
        var nextColumn = 0
        longNumberColumns.removeAll(keepingCapacity: true)
        while let event = try scanner.next() {
            switch event {
            case .start(let tag) where tag.name == "c":
                let column = tag.attribute("r").flatMap(XLSXTable.columnIndex) ?? nextColumn
                nextColumn = column + 1
                let type = tag.attribute("t") ?? "n"
                let (stored, value) =
                    tag.isSelfClosing
                    ? ("", "") : try readCell(type: type, style: tag.attribute("s").flatMap { Int($0) } ?? 0)
                // The number as stored, not as shown: showing rounds to 15 digits.
                if type == "n" && XLSXTable.hasLostDigits(stored) { longNumberColumns.append(column) }
                if column < cells.count {
                    cells[column] = value
                } else {
                    cells.append(contentsOf: repeatElement("", count: column - cells.count))
                    cells.append(value)
                }
            case .end("row"):
                return cells
            default:
                continue
            }
        }
        throw ImportError.damagedArchive(name, "row \(lastRow) of the sheet is cut off")
    }

    /// The cell's stored `<v>` value and its text.
    private mutating func readCell(type: String, style: Int) throws(ImportError) -> (stored: String, text: String) {
        var value = ""
        var inlineText = ""
        var inValue = false
        var inText = false
        var phoneticDepth = 0
        while let event = try scanner.next() {
            switch event {
            case .start(let tag):
                guard !tag.isSelfClosing else { continue }
                switch tag.name {
                case "v": inValue = true
                case "t": inText = true
                case "rPh": phoneticDepth += 1
                default: break
                }
            case .end(let tagName):
                switch tagName {
                case "v": inValue = false
                case "t": inText = false
                case "rPh": phoneticDepth -= 1
                case "c": return (value, try render(type: type, style: style, value: value, inlineText: inlineText))
                default: break
                }
            case .text(let text):
                if inValue {
                    value += text
                } else if inText && phoneticDepth == 0 {
                    inlineText += text
                }
            }
        }
        throw ImportError.damagedArchive(name, "a cell in row \(lastRow) of the sheet is cut off")
    }

    private func render(type: String, style: Int, value: String, inlineText: String) throws(ImportError) -> String {
        switch type {
        case "s":
            guard let index = Int(value), sharedStrings.indices.contains(index) else {
                throw ImportError.damagedArchive(
                    name,
                    "row \(lastRow) refers to shared string \(value), which is missing"
                )
            }
            return sharedStrings[index]
        case "inlineStr":
            return XLSXTable.unescapeControlCharacters(inlineText)
        case "b":
            return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
        case "str", "e", "d":
            return value
        default:
            guard !value.isEmpty else { return "" }
            guard style < numberFormats.count else { return XLSXTable.plainNumber(value) }
            let format = numberFormats[style]
            guard format != .number,
                let date = XLSXTable.dateText(serial: value, uses1904Dates, showsTime: format.showsTime)
            else { return XLSXTable.plainNumber(value) }
            guard case .partialDate(let shown) = format else { return date }
            return XLSXTable.shownPart(of: date, as: shown)
        }
    }

    /// `B12` → 1; nil for a malformed or out-of-range reference.
    package static func columnIndex(_ reference: String) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
            default:
                guard letters > 0, letters <= 3, column <= 16384 else { return nil }
                return column - 1
            }
            letters += 1
        }
        guard letters > 0, letters <= 3, column <= 16384 else { return nil }
        return column - 1
    }

    /// Whether `text`, a number cell's value (`5139990000000000`, `5.13999E+15`), has 16 or more
    /// digits before its decimal point: Excel keeps 15 significant digits, so such a number has
    /// lost digits, and as an id (a 16-digit 微博ID, a 19-digit 作品ID) it is no longer the id.
    /// A date cell's text (`2025-03-04`) is no match.
    package static func hasLostDigits(_ text: String) -> Bool {
        // Checked for every number cell: 16 digits written out, or an exponent, or no match.
        // The counts, nearly all of them, are too short to be parsed at all.
        guard
            text.utf8.count >= 16 || text.utf8.contains(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }),
            let number = Double(text)
        else { return false }
        return number.magnitude >= 1e15
    }

    /// A number as Excel stores it (`0.62350000000000005`, `1.5E-2`, `11299.999999999998`) as
    /// Excel shows it: rounded to 15 significant digits, in plain notation (`0.6235`, `0.015`,
    /// `11300`).
    ///
    /// A formula's cached result keeps the binary noise of its arithmetic (`=1.13*10000` is
    /// `11299.999999999998`, `=0.1+0.2` is `0.30000000000000004`), which Excel never shows: read
    /// as stored, the count would be refused as not whole and the rate carry the noise.
    package static func plainNumber(_ text: String) -> String {
        // Nearly every count: an integer of up to 15 digits is shown as it is.
        if text.utf8.count <= 15, Int64(text) != nil { return text }
        if let double = Double(text), let decimal = DecimalValue(double) {
            return excelPrecision(decimal).description
        }
        return text
    }

    /// `value` rounded to the 15 significant digits Excel shows, half away from zero.
    private static func excelPrecision(_ value: DecimalValue) -> DecimalValue {
        let magnitude = value.mantissa.magnitude
        var digits = 0
        var rest = magnitude
        while rest > 0 {
            rest /= 10
            digits += 1
        }
        guard digits > 15 else { return value }
        let dropped = digits - 15
        var divisor: UInt64 = 1
        for _ in 0..<dropped { divisor *= 10 }
        var kept = magnitude / divisor
        if magnitude % divisor >= divisor / 2 { kept += 1 }
        // Back to `kept × 10^dropped × 10^-scale`: digits dropped before the point come back as zeros.
        let scale = Int(value.scale)
        var newScale = scale - dropped
        while newScale < 0 {
            let (times10, overflow) = kept.multipliedReportingOverflow(by: 10)
            guard !overflow else { return value }
            kept = times10
            newScale += 1
        }
        guard let mantissa = Int64(exactly: kept) else { return value }
        return DecimalValue(mantissa: value.mantissa < 0 ? -mantissa : mantissa, scale: UInt8(newScale))
    }

    /// The date (and time) of a spreadsheet serial number: days since 1899-12-30 (1900 system,
    /// whose fictitious 1900-02-29 only shifts serials below 61) or since 1904-01-01.
    ///
    /// A serial below 1 has no day: it is a time (a `mm:ss` or `h:mm:ss` cell, such as a 快手
    /// 平均观看时长 typed as `0:48`), and comes back as `h:mm:ss` (`0:00:48`), which a duration
    /// column reads and a message shows as the user sees it, not as 1899-12-31 00:00:48.
    ///
    /// A serial without a time of day is a date (`2025-03-04`), unless `showsTime` (the cell's
    /// format has hours or seconds): a work published at 00:00 is then `2025-03-04 00:00:00`,
    /// as the CSV download of the same export writes it, so both give the same derived id.
    package static func dateText(serial text: String, _ uses1904Dates: Bool, showsTime: Bool = false) -> String? {
        guard let serial = Double(text), serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int64(serial.rounded(.down))
        var seconds = Int64(((serial - Double(days)) * 86400).rounded())
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : String(value) }
        if days == 0 && seconds < 86400 {
            return "\(seconds / 3600):\(two(seconds % 3600 / 60)):\(two(seconds % 60))"
        }
        if seconds >= 86400 {
            days += 1
            seconds -= 86400
        }
        let epoch: CivilDate?
        if uses1904Dates {
            epoch = CivilDate(year: 1904, month: 1, day: 1)
        } else {
            epoch = days >= 61 ? CivilDate(year: 1899, month: 12, day: 30) : CivilDate(year: 1899, month: 12, day: 31)
        }
        guard let epoch else { return nil }
        let date = CivilDate(daysSinceEpoch: epoch.daysSinceEpoch + days)
        guard seconds > 0 || showsTime else { return date.description }
        return "\(date) \(two(seconds / 3600)):\(two(seconds % 3600 / 60)):\(two(seconds % 60))"
    }

    /// Excel writes control characters in strings as `_x000D_`; turn them back.
    package static func unescapeControlCharacters(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: "_x") {
            result += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let hex = after.prefix(4)
            if hex.count == 4, after.dropFirst(4).first == "_", let code = UInt32(hex, radix: 16),
                let scalar = Unicode.Scalar(code)
            {
                result.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                result += "_x"
                rest = after
            }
        }
        return result + rest
    }

    // MARK: - Workbook parts

    private struct Workbook {
        struct Sheet {
            var name: String
            var relationship: String
            /// `state="hidden"` or `"veryHidden"`: Excel does not show the sheet.
            var hidden: Bool
        }

        var sheets: [Sheet] = []
        var uses1904Dates = false
    }

    private static func parseWorkbook(_ bytes: [UInt8], file: String) throws(ImportError) -> Workbook {
        var scanner = XMLPullScanner(bytes: bytes, name: file)
        var workbook = Workbook()
        while let event = try scanner.next() {
            guard case .start(let tag) = event else { continue }
            if tag.name == "workbookPr", let flag = tag.attribute("date1904") {
                workbook.uses1904Dates = flag == "1" || flag == "true"
            } else if tag.name == "sheet" {
                let state = tag.attribute("state")
                workbook.sheets.append(
                    Workbook.Sheet(
                        name: tag.attribute("name") ?? "",
                        relationship: tag.attribute("id") ?? "",
                        hidden: state == "hidden" || state == "veryHidden"
                    )
                )
            }
        }
        return workbook
    }

    private static func parseRelationships(_ bytes: [UInt8], file: String) throws(ImportError) -> [String: String] {
        var scanner = XMLPullScanner(bytes: bytes, name: file)
        var targets: [String: String] = [:]
        while let event = try scanner.next() {
            guard case .start(let tag) = event, tag.name == "Relationship",
                let id = tag.attribute("Id"), let target = tag.attribute("Target")
            else { continue }
            targets[id] = target
        }
        return targets
    }

    private static func parseSharedStrings(_ bytes: [UInt8], file: String) throws(ImportError) -> [String] {
        var scanner = XMLPullScanner(bytes: bytes, name: file)
        var strings: [String] = []
        var current = ""
        var inText = false
        var phoneticDepth = 0
        while let event = try scanner.next() {
            switch event {
            case .start(let tag):
                guard !tag.isSelfClosing else {
                    if tag.name == "si" { strings.append("") }
                    continue
                }
                switch tag.name {
                case "si": current = ""
                case "t": inText = true
                case "rPh": phoneticDepth += 1
                default: break
                }
            case .end(let tagName):
                switch tagName {
                case "si": strings.append(unescapeControlCharacters(current))
                case "t": inText = false
                case "rPh": phoneticDepth -= 1
                default: break
                }
            case .text(let text):
                if inText && phoneticDepth == 0 { current += text }
            }
        }
        return strings
    }

    // MARK: - Archive access

    private static func resolve(_ target: String) -> String {
        var components: [Substring] = target.hasPrefix("/") ? [] : ["xl"]
        for component in target.split(separator: "/") {
            if component == ".." {
                _ = components.popLast()
            } else if component != "." {
                components.append(component)
            }
        }
        return components.joined(separator: "/")
    }

    private static func entry(_ path: String, in archive: Archive) -> Entry? {
        if let entry = archive[path] { return entry }
        let wanted = path.lowercased()
        return archive.first { $0.path.lowercased() == wanted }
    }

    /// A part read whole into memory (workbook, relationships, styles, shared strings), after
    /// its declared size has passed `limits`.
    private static func part(
        _ path: String,
        of archive: Archive,
        file: String,
        limits: XLSXLimits
    ) throws(ImportError) -> [UInt8]? {
        guard let entry = entry(path, in: archive) else { return nil }
        let size = try limits.checked(
            part: entry.path,
            declared: entry.uncompressedSize,
            packed: entry.compressedSize,
            destination: .memory,
            file: file
        )
        return try extract(entry, of: archive, file: file, size: size)
    }

    /// Unpacks `entry` into memory, stopping as soon as more than `size` bytes (its declared
    /// size, already checked against the caps) come out.
    private static func extract(
        _ entry: Entry,
        of archive: Archive,
        file: String,
        size: UInt64
    ) throws(ImportError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(min(size, inMemoryLimit)))
        do {
            _ = try archive.extract(entry) { data in
                guard UInt64(bytes.count) + UInt64(data.count) <= size else { throw Overflow() }
                bytes.append(contentsOf: data)
            }
        } catch is Overflow {
            throw ImportError.oversizedPart(file, XLSXLimits.overflowDetail(entry.path, declared: size))
        } catch {
            throw damaged(file, error)
        }
        return bytes
    }

    private struct WriteFailure: Error {
        var code: Int32
    }

    /// A part unpacks to more than its ZIP entry declares.
    private struct Overflow: Error {}

    /// Unpacks `entry` into a temporary file that is unlinked at once, and returns its
    /// descriptor positioned at the start; stops as soon as more than `size` bytes (its declared
    /// size, already checked against the caps) come out, so the disk never takes more.
    private static func unpackToTemporaryFile(
        _ entry: Entry,
        of archive: Archive,
        file: String,
        size: UInt64
    ) throws(ImportError)
        -> Int32
    {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((directory + "/collector-xlsx-XXXXXX").utf8CString)
        // The template is a non-empty C string.
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ImportError.unreadable(file, operation: "unpack (temporary file)", errno: errno) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        var unpacked: UInt64 = 0
        do {
            _ = try archive.extract(entry) { data in
                unpacked += UInt64(data.count)
                guard unpacked <= size else { throw Overflow() }
                let failure = data.withUnsafeBytes { bytes -> Int32 in
                    var offset = 0
                    while offset < bytes.count {
                        // Inside the loop the chunk is not empty.
                        let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                        if written < 0 {
                            if errno == EINTR { continue }
                            return errno
                        }
                        offset += written
                    }
                    return 0
                }
                if failure != 0 { throw WriteFailure(code: failure) }
            }
        } catch let failure as WriteFailure {
            close(fd)
            throw ImportError.unreadable(file, operation: "unpack (temporary file)", errno: failure.code)
        } catch is Overflow {
            close(fd)
            throw ImportError.oversizedPart(file, XLSXLimits.overflowDetail(entry.path, declared: size))
        } catch {
            close(fd)
            throw damaged(file, error)
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }

    private static func damaged(_ file: String, _ error: any Error) -> ImportError {
        switch error {
        case Archive.ArchiveError.missingEndOfCentralDirectoryRecord:
            ImportError.damagedArchive(file, "its ZIP directory is missing, so the download was probably cut off")
        case Archive.ArchiveError.invalidCRC32:
            ImportError.damagedArchive(file, "a part fails its checksum")
        case Archive.ArchiveError.unreadableArchive:
            ImportError.damagedArchive(file, "the ZIP archive cannot be read")
        default:
            ImportError.damagedArchive(file, "\(error)")
        }
    }
}
