import Adapters
import Collector
import CollectorTesting
import Foundation
import Testing
import ZIPFoundation

/// A minimal workbook of one sheet whose part `padded` is padded with `padding` spaces inside
/// its XML: a highly compressible part, a ZIP bomb when `padding` is large. The archive itself
/// stays a few kilobytes.
private enum CraftedWorkbook {
    static let sheet = "xl/worksheets/sheet1.xml"
    static let sharedStrings = "xl/sharedStrings.xml"

    /// Writes the workbook to `path`. With `declaring`, the ZIP entry of `padded` declares that
    /// many unpacked bytes instead of its true size (a crafted archive that lies).
    static func write(path: String, padded: String, padding: Int, declaring: UInt32? = nil) throws {
        let parts: [(String, String, String)] = [
            (
                "xl/workbook.xml",
                #"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
                    + #"<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#, ""
            ),
            (
                "xl/_rels/workbook.xml.rels",
                #"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#, ""
            ),
            (
                sheet,
                #"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
                "</sheetData></worksheet>"
            ),
            (sharedStrings, "<sst><si><t>bomb</t></si>", "</sst>"),
        ]
        unlink(path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, head, tail) in parts {
            let content = PaddedContent(head: head, padding: name == padded ? padding : 0, tail: tail)
            try archive.addEntry(
                with: name,
                type: .file,
                uncompressedSize: Int64(content.count),
                compressionMethod: .deflate,
                provider: { position, count in content.bytes(at: Int(position), count: count) }
            )
        }
        if let declaring { try declare(declaring, for: padded, in: path) }
    }

    /// Overwrites the unpacked size of `name` in its local header and central directory entry.
    private static func declare(_ size: UInt32, for name: String, in path: String) throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let nameBytes = Array(name.utf8)
        // The local header (size at 22, name at 30), then the central directory entry (24, 46).
        let headers: [(signature: [UInt8], size: Int, name: Int)] = [
            ([0x50, 0x4B, 0x03, 0x04], 22, 30), ([0x50, 0x4B, 0x01, 0x02], 24, 46),
        ]
        for header in headers {
            var patched = false
            for start in 0..<(bytes.count - header.name - nameBytes.count) {
                guard bytes[start..<start + 4].elementsEqual(header.signature) else { continue }
                let nameStart = start + header.name
                guard bytes[nameStart..<nameStart + nameBytes.count].elementsEqual(nameBytes) else { continue }
                for index in 0..<4 {
                    bytes[start + header.size + index] = UInt8(truncatingIfNeeded: size >> UInt32(8 * index))
                }
                patched = true
            }
            #expect(patched, "no header of \(name) to patch")
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private struct PaddedContent {
        var head: [UInt8]
        var padding: Int
        var tail: [UInt8]

        init(head: String, padding: Int, tail: String) {
            self.head = Array(head.utf8)
            self.padding = padding
            self.tail = Array(tail.utf8)
        }

        var count: Int { head.count + padding + tail.count }

        func bytes(at position: Int, count: Int) -> Data {
            let end = position + count
            var data = Data(capacity: count)
            if position < head.count { data.append(contentsOf: head[position..<min(end, head.count)]) }
            let spaces = max(0, min(end, head.count + padding) - max(position, head.count))
            if spaces > 0 { data.append(Data(repeating: 0x20, count: spaces)) }
            let tailStart = head.count + padding
            if end > tailStart { data.append(contentsOf: tail[max(0, position - tailStart)..<(end - tailStart)]) }
            return data
        }
    }
}

@Suite(.serialized) struct XLSXLimitsTests {
    /// Small caps, without the ratio, so that tests reach each cap with a small archive.
    private static let small = XLSXLimits(part: 64 << 10, sheet: 256 << 10, ratio: .max, ratioFloor: 0)

    private static func rows(_ table: inout XLSXTable) throws -> [TableRow] {
        var rows: [TableRow] = []
        while let row = try table.nextRow() { rows.append(row) }
        return rows
    }

    @Test func aCraftedWorkbookWithinTheCapsReads() throws {
        let directory = try TemporaryDirectory(prefix: "collector-xlsx-limits")
        let path = directory.path("small.xlsx")
        try CraftedWorkbook.write(path: path, padded: CraftedWorkbook.sharedStrings, padding: 60 << 10)
        var table = try XLSXTable(path: path, limits: Self.small)
        #expect(try Self.rows(&table) == [TableRow(number: 1, cells: ["bomb"])])
    }

    /// The review's case: a small file whose shared strings unpack to far more. The ratio stops
    /// it before a byte is inflated, with the standard caps.
    @Test func refusesASharedStringsBombBeforeUnpackingIt() throws {
        let directory = try TemporaryDirectory(prefix: "collector-xlsx-limits")
        let path = directory.path("bomb.xlsx")
        try CraftedWorkbook.write(path: path, padded: CraftedWorkbook.sharedStrings, padding: 8 << 20)
        let packed = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(packed < 256 << 10)
        let error = try #require(throws: ImportError.self) { try XLSXTable(path: path) }
        #expect(error.label == "oversizedPart")
        #expect(error.description.hasPrefix("\(path): the .xlsx part xl/sharedStrings.xml would unpack to 8 MiB from "))
        #expect(
            error.description.hasSuffix(
                ", more than 100 times its packed size, which no genuine workbook reaches: the file looks like a "
                    + "ZIP bomb; nothing was imported: save the sheet as CSV UTF-8 (Excel: File > Save As > CSV UTF-8) "
                    + "and import that, or split it into smaller workbooks"
            )
        )
    }

    @Test func refusesAPartReadIntoMemoryAboveItsCap() throws {
        let directory = try TemporaryDirectory(prefix: "collector-xlsx-limits")
        let path = directory.path("strings.xlsx")
        try CraftedWorkbook.write(path: path, padded: CraftedWorkbook.sharedStrings, padding: 1 << 20)
        let error = try #require(throws: ImportError.self) { try XLSXTable(path: path, limits: Self.small) }
        #expect(
            error.description
                == "\(path): the .xlsx part xl/sharedStrings.xml unpacks to 1 MiB, more than the 64 KiB the collector "
                + "unpacks into memory; nothing was imported: save the sheet as CSV UTF-8 "
                + "(Excel: File > Save As > CSV UTF-8) and import that, or split it into smaller workbooks"
        )
    }

    @Test func refusesASheetPartAboveItsCap() throws {
        let directory = try TemporaryDirectory(prefix: "collector-xlsx-limits")
        let path = directory.path("sheet.xlsx")
        try CraftedWorkbook.write(path: path, padded: CraftedWorkbook.sheet, padding: 1 << 20)
        let error = try #require(throws: ImportError.self) {
            try XLSXTable(path: path, inMemoryLimit: 0, limits: Self.small)
        }
        #expect(error.label == "oversizedPart")
        #expect(
            error.message.hasPrefix(
                "the .xlsx part xl/worksheets/sheet1.xml unpacks to 1 MiB, more than the 256 KiB the collector "
                    + "unpacks from one sheet; "
            )
        )
    }

    /// A part whose entry declares 1,000 bytes but inflates to 1 MiB is stopped as the bytes come,
    /// into memory (shared strings, a small sheet) and into the temporary file (a large sheet).
    @Test(
        arguments: [
            (CraftedWorkbook.sharedStrings, XLSXTable.inMemoryLimit), (CraftedWorkbook.sheet, XLSXTable.inMemoryLimit),
            (CraftedWorkbook.sheet, 0),
        ] as [(String, UInt64)]
    )
    func stopsInflatingAPartThatUnpacksToMoreThanItDeclares(part: String, inMemoryLimit: UInt64) throws {
        let directory = try TemporaryDirectory(prefix: "collector-xlsx-limits")
        let path = directory.path("liar.xlsx")
        try CraftedWorkbook.write(path: path, padded: part, padding: 1 << 20, declaring: 1000)
        let error = try #require(throws: ImportError.self) {
            try XLSXTable(path: path, inMemoryLimit: inMemoryLimit, limits: Self.small)
        }
        #expect(error.label == "oversizedPart")
        #expect(
            error.message.hasPrefix(
                "the .xlsx part \(part) unpacks to more than the 1000 bytes its ZIP entry declares; "
            )
        )
    }

    /// The caps users read about in docs/imports.md.
    @Test func theStandardCapsAreTheDocumentedOnes() throws {
        #expect(XLSXLimits.standard == XLSXLimits(part: 256 << 20, sheet: 2 << 30, ratio: 100, ratioFloor: 1 << 20))
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../docs/imports.md"
        )
        let text = try String(contentsOf: docs, encoding: .utf8)
        for phrase in [
            "| part read whole into memory | \(XLSXLimits.describe(XLSXLimits.standard.part)) |",
            "| sheet part | \(XLSXLimits.describe(XLSXLimits.standard.sheet)) |",
            "| unpacked : packed, above \(XLSXLimits.describe(XLSXLimits.standard.ratioFloor)) | "
                + "\(XLSXLimits.standard.ratio) : 1 |",
        ] {
            #expect(text.contains(phrase), "docs/imports.md lacks \(phrase)")
        }
    }

    @Test(
        arguments: [
            (UInt64(2) << 30, "2 GiB"), (UInt64(3) << 29, "1.5 GiB"), (UInt64(256) << 20, "256 MiB"),
            (UInt64(64) << 10, "64 KiB"), (1000, "1000 bytes"), (1, "1 byte"), (UInt64.max, "17179869184 GiB"),
        ] as [(UInt64, String)]
    )
    func describesSizes(bytes: UInt64, text: String) {
        #expect(XLSXLimits.describe(bytes) == text)
    }
}
