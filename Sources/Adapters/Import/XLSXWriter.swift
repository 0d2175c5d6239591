package import Collector
import Foundation
import ZIPFoundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes a minimal valid `.xlsx` workbook with one sheet, row by row (and optionally a second,
/// small sheet of text, such as instructions): the self-report template, and large test sheets
/// (the second file, with ``XLSXTable``, that touches ZIPFoundation).
///
/// Text cells are inline strings (no shared-string table to hold in memory); a column may be
/// given the text number format (`@`) so that Excel keeps what a user types there (account
/// ids with leading zeros, long numbers) as text. The sheet's XML goes to an unlinked
/// temporary file as rows come, so memory stays flat however many rows are written; the
/// workbook is then packed into a temporary file next to `path` and renamed over it.
package final class XLSXWriter {
    /// One cell.
    package enum Cell: Sendable, Hashable {
        /// Text, written as an inline string.
        case text(String)
        /// A number, written as it is (`12860`, `0.1842`).
        case number(String)
        /// Nothing.
        case empty
    }

    private let path: String
    private let sheetName: String
    private let fd: Int32
    private var pending: [UInt8] = []
    private var size: Int64 = 0
    private var rowNumber = 0
    private let textColumns: Set<Int>
    private var finished = false

    /// A second sheet after the first, held in memory (a few rows of text: the instructions of
    /// a template), with its column widths; set it before ``finish()``.
    package var secondSheet: (name: String, rows: [[String]], widths: [Int])?

    /// Starts a workbook at `path` whose only sheet is `sheetName`; `widths` sets column widths
    /// in characters, `textColumns` the columns formatted as text.
    package init(path: String, sheetName: String, widths: [Int] = [], textColumns: Set<Int> = []) throws(StorageError) {
        self.path = path
        self.sheetName = sheetName
        self.textColumns = textColumns
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((directory + "/collector-xlsx-write-XXXXXX").utf8CString)
        // The template is a non-empty C string.
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw StorageError(path: directory, operation: "create a temporary file", errno: errno) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        var head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        head += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        if !widths.isEmpty || !textColumns.isEmpty {
            head += "<cols>"
            for column in 0..<max(widths.count, (textColumns.max() ?? -1) + 1) {
                let width = column < widths.count ? widths[column] : 12
                let style = textColumns.contains(column) ? #" style="1""# : ""
                head += #"<col min="\#(column + 1)" max="\#(column + 1)" width="\#(width)" customWidth="1"\#(style)/>"#
            }
            head += "</cols>"
        }
        head += "<sheetData>"
        pending.append(contentsOf: head.utf8)
    }

    deinit {
        close(fd)
    }

    /// Appends a row.
    package func append(_ cells: [Cell]) throws(StorageError) {
        rowNumber += 1
        pending.append(contentsOf: #"<row r="\#(rowNumber)">"#.utf8)
        for (column, cell) in cells.enumerated() {
            let reference = XLSXWriter.columnName(column) + String(rowNumber)
            let style = textColumns.contains(column) ? #" s="1""# : ""
            switch cell {
            case .empty:
                continue
            case .number(let value):
                pending.append(contentsOf: #"<c r="\#(reference)"\#(style)><v>"#.utf8)
                XLSXWriter.appendEscaped(value, to: &pending)
                pending.append(contentsOf: "</v></c>".utf8)
            case .text(let value):
                pending.append(
                    contentsOf: #"<c r="\#(reference)"\#(style) t="inlineStr"><is><t xml:space="preserve">"#.utf8
                )
                XLSXWriter.appendEscaped(value, to: &pending)
                pending.append(contentsOf: "</t></is></c>".utf8)
            }
        }
        pending.append(contentsOf: "</row>".utf8)
        if pending.count >= 1 << 20 { try writePending() }
    }

    /// Closes the sheet and writes the workbook to `path`, replacing it.
    package func finish() throws(StorageError) {
        guard !finished else { return }
        finished = true
        pending.append(contentsOf: "</sheetData></worksheet>".utf8)
        try writePending()
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        do {
            let archive = try Archive(url: URL(fileURLWithPath: temporary), accessMode: .create)
            var parts = XLSXWriter.parts(sheetName: sheetName, secondSheet: secondSheet?.name)
            if let secondSheet {
                parts.append(
                    (
                        "xl/worksheets/sheet2.xml",
                        XLSXWriter.smallSheet(rows: secondSheet.rows, widths: secondSheet.widths)
                    )
                )
            }
            for (name, text) in parts {
                let data = Data(text.utf8)
                try archive.addEntry(
                    with: name,
                    type: .file,
                    uncompressedSize: Int64(data.count),
                    compressionMethod: .deflate,
                    provider: { position, count in data.subdata(in: Int(position)..<Int(position) + count) }
                )
            }
            let fd = self.fd
            try archive.addEntry(
                with: "xl/worksheets/sheet1.xml",
                type: .file,
                uncompressedSize: size,
                compressionMethod: .deflate,
                provider: { position, count in
                    var chunk = Data(count: count)
                    let read = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(position)) }
                    guard read == count else { throw StorageError(path: "sheet", operation: "read back", errno: errno) }
                    return chunk
                }
            )
        } catch {
            unlink(temporary)
            if let failure = error as? StorageError { throw failure }
            throw StorageError(path: path, operation: "write the workbook", detail: "\(error)")
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw StorageError(path: path, operation: "rename", errno: code)
        }
    }

    private func writePending() throws(StorageError) {
        let failure = pending.withUnsafeBytes { bytes -> StorageError? in
            do throws(StorageError) {
                try FileSystem.writeAll(fd, bytes, path: path)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        size += Int64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    /// `0` → `A`, `26` → `AA`.
    package static func columnName(_ index: Int) -> String {
        var index = index + 1
        var name: [Character] = []
        while index > 0 {
            let remainder = (index - 1) % 26
            name.insert(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(remainder))), at: 0)
            index = (index - 1) / 26
        }
        return String(name)
    }

    /// Appends `text` escaped for XML character data; control characters XML 1.0 forbids are left out.
    package static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case 0x09, 0x0A, 0x0D: bytes.append(byte)
            case 0..<0x20: continue
            default: bytes.append(byte)
            }
        }
    }

    /// A sheet of text cells, whole, with its column widths; text wraps (style 2), so long
    /// explanations stay readable in a column of fixed width.
    private static func smallSheet(rows: [[String]], widths: [Int]) -> String {
        var bytes = Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#.utf8) + [0x0A]
        bytes += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#.utf8
        if !widths.isEmpty {
            bytes += "<cols>".utf8
            for (column, width) in widths.enumerated() {
                bytes += #"<col min="\#(column + 1)" max="\#(column + 1)" width="\#(width)" customWidth="1"/>"#.utf8
            }
            bytes += "</cols>".utf8
        }
        bytes += "<sheetData>".utf8
        for (index, cells) in rows.enumerated() {
            bytes += #"<row r="\#(index + 1)">"#.utf8
            for (column, cell) in cells.enumerated() where !cell.isEmpty {
                let reference = columnName(column) + String(index + 1)
                bytes += #"<c r="\#(reference)" s="2" t="inlineStr"><is><t xml:space="preserve">"#.utf8
                appendEscaped(cell, to: &bytes)
                bytes += "</t></is></c>".utf8
            }
            bytes += "</row>".utf8
        }
        bytes += "</sheetData></worksheet>".utf8
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The parts besides the sheets' data: content types, relationships, the workbook, the
    /// styles (style 1 is the text format `@`, style 2 wrapped text).
    private static func parts(sheetName: String, secondSheet: String?) -> [(String, String)] {
        let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"
        let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        var name: [UInt8] = []
        appendEscaped(sheetName, to: &name)
        var second: (type: String, sheet: String, relationship: String) = ("", "", "")
        if let secondSheet {
            var escaped: [UInt8] = []
            appendEscaped(secondSheet, to: &escaped)
            second = (
                #"<Override PartName="/xl/worksheets/sheet2.xml" ContentType="\#(contentType).worksheet+xml"/>"#,
                #"<sheet name="\#(String(decoding: escaped, as: UTF8.self))" sheetId="2" r:id="rId3"/>"#,
                #"<Relationship Id="rId3" Type="\#(officeRelationships)/worksheet" Target="worksheets/sheet2.xml"/>"#
            )
        }
        return [
            (
                "[Content_Types].xml",
                declaration + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                    + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                    + #"<Default Extension="xml" ContentType="application/xml"/>"#
                    + #"<Override PartName="/xl/workbook.xml" ContentType="\#(contentType).sheet.main+xml"/>"#
                    + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="\#(contentType).worksheet+xml"/>"#
                    + second.type
                    + #"<Override PartName="/xl/styles.xml" ContentType="\#(contentType).styles+xml"/></Types>"#
            ),
            (
                "_rels/.rels",
                declaration + #"<Relationships xmlns="\#(packageRelationships)">"#
                    + #"<Relationship Id="rId1" Type="\#(officeRelationships)/officeDocument" Target="xl/workbook.xml"/>"#
                    + "</Relationships>"
            ),
            (
                "xl/workbook.xml",
                declaration + #"<workbook xmlns="\#(main)" xmlns:r="\#(officeRelationships)"><sheets>"#
                    + #"<sheet name="\#(String(decoding: name, as: UTF8.self))" sheetId="1" r:id="rId1"/>"#
                    + second.sheet
                    + "</sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                declaration + #"<Relationships xmlns="\#(packageRelationships)">"#
                    + #"<Relationship Id="rId1" Type="\#(officeRelationships)/worksheet" Target="worksheets/sheet1.xml"/>"#
                    + #"<Relationship Id="rId2" Type="\#(officeRelationships)/styles" Target="styles.xml"/>"#
                    + second.relationship
                    + "</Relationships>"
            ),
            (
                "xl/styles.xml",
                declaration + #"<styleSheet xmlns="\#(main)">"#
                    + #"<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>"#
                    + #"<fills count="2"><fill><patternFill patternType="none"/></fill>"#
                    + #"<fill><patternFill patternType="gray125"/></fill></fills>"#
                    + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
                    + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
                    + #"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
                    + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
                    + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">"#
                    + #"<alignment wrapText="1" vertical="top"/></xf></cellXfs>"#
                    + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
                    + "</styleSheet>"
            ),
        ]
    }
}
