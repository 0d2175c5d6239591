import Collector
import Testing

struct TextDecodingTests {
    private static let plainRows: [[String]] = [
        ["时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数"],
        ["2025-03-03", "60", "3", "57", "182344"],
        ["2025-03-04", "71", "7", "64", "182408"],
        ["2025-03-05", "52", "9", "43", "182451"],
        ["2025-03-06", "20", "38", "-18", "182433"],
        ["2025-03-07", "95", "8", "87", "182520"],
    ]

    struct Variant: CustomTestStringConvertible, Sendable {
        var file: String
        var encoding: TextEncoding
        var hadByteOrderMark: Bool
        var delimiter: Character
        var testDescription: String { file }
    }

    @Test(
        arguments: [
            Variant(file: "export_user_growth.csv", encoding: .utf8, hadByteOrderMark: false, delimiter: ","),
            Variant(file: "user_growth_bom.csv", encoding: .utf8, hadByteOrderMark: true, delimiter: ","),
            Variant(file: "user_growth_crlf.csv", encoding: .utf8, hadByteOrderMark: false, delimiter: ","),
            Variant(file: "user_growth_gb18030.csv", encoding: .gb18030, hadByteOrderMark: false, delimiter: ","),
            Variant(
                file: "user_growth_utf16.txt",
                encoding: .utf16LittleEndian,
                hadByteOrderMark: true,
                delimiter: "\t"
            ),
        ],
        [1, 2, 3, 5, 1 << 20]
    )
    func decodesEveryEncodingToTheSameRows(variant: Variant, chunkSize: Int) throws {
        let reader = try TextReader(path: ImportFixtures.wechat(variant.file), chunkSize: chunkSize)
        var table = CSVTable(reader: reader)
        #expect(try allRows(&table).map(\.cells) == Self.plainRows)
        #expect(reader.encoding == variant.encoding)
        #expect(reader.hadByteOrderMark == variant.hadByteOrderMark)
        #expect(table.delimiter == variant.delimiter.asciiValue)
    }

    @Test(arguments: [1, 3, 1 << 20])
    func decodesBigEndianUTF16WithSurrogatePairs(chunkSize: Int) throws {
        let text = "标题,数\n😀表情,1\n"
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let reader = TextReader(bytes: bytes, name: "be.txt", chunkSize: chunkSize)
        var table = CSVTable(reader: reader)
        #expect(try allRows(&table).map(\.cells) == [["标题", "数"], ["😀表情", "1"]])
        #expect(reader.encoding == .utf16BigEndian)
    }

    @Test func passesASCIIOnlyTextAsUTF8() throws {
        let reader = TextReader(bytes: Array("a,b\n1,2\n".utf8), name: "ascii.csv", chunkSize: 3)
        var table = CSVTable(reader: reader)
        #expect(try allRows(&table).map(\.cells) == [["a", "b"], ["1", "2"]])
        #expect(reader.encoding == .utf8)
    }

    @Test func marksBytesThatAreNotGB18030AndGoesOn() throws {
        // `时间` in GB18030, then a byte no encoding accepts here, then ASCII.
        let bytes: [UInt8] = [0xCA, 0xB1, 0xBC, 0xE4, 0x2C, 0x80, 0x0A, 0x31, 0x2C, 0x32, 0x0A]
        let reader = TextReader(bytes: bytes, name: "odd.csv")
        var table = CSVTable(reader: reader)
        #expect(try allRows(&table).map(\.cells) == [["时间", "\u{FFFD}"], ["1", "2"]])
        #expect(reader.encoding == .gb18030)
    }

    /// UTF-8 read in pieces that split its characters comes out whole, and a cut at the very
    /// end is no invalid byte (session 14: such a file was read as GB18030).
    @Test(arguments: [1, 2, 5, 1 << 20])
    func readsUTF8CutInsideItsLastCharacterAsUTF8(chunkSize: Int) throws {
        let text = "时间,标题\n2025-03-04,开学第一课校长寄语\n2025-03-05,实验"
        let bytes = Array(text.utf8.dropLast(1))
        let reader = TextReader(bytes: bytes, name: "cut.csv", chunkSize: chunkSize)
        var output: [UInt8] = []
        while try reader.read(appendingTo: &output) {}
        #expect(reader.encoding == .utf8)
        #expect(String(decoding: output, as: UTF8.self) == "时间,标题\n2025-03-04,开学第一课校长寄语\n2025-03-05,实\u{FFFD}")
        #expect(reader.invalidSequences == 0)
    }

    /// A stray byte in UTF-8 text is U+FFFD, counted at its offset in the text handed on; the
    /// file stays UTF-8. GB18030 text, whose bytes pass for UTF-8 only here and there, does not.
    @Test func aStrayByteKeepsUTF8AndGB18030StaysGB18030() throws {
        var bytes = Array("时间,标题\n2025-03-04,开学第一课".utf8)
        bytes.append(0xA0)
        bytes += Array("校长寄语\n".utf8)
        let reader = TextReader(bytes: bytes, name: "stray.csv")
        var output: [UInt8] = []
        while try reader.read(appendingTo: &output) {}
        #expect(reader.encoding == .utf8)
        #expect(String(decoding: output, as: UTF8.self) == "时间,标题\n2025-03-04,开学第一课\u{FFFD}校长寄语\n")
        #expect(reader.invalidSequences == 1)
        #expect(reader.firstInvalidOffset == Array("时间,标题\n2025-03-04,开学第一课".utf8).count)

        let gb = try TextReader(path: ImportFixtures.path("douyin/exports/works_gb18030.csv"))
        var decoded: [UInt8] = []
        while try gb.read(appendingTo: &decoded) {}
        #expect(gb.encoding == .gb18030)
        #expect(gb.invalidSequences == 0)
    }

    @Test(
        arguments: [
            ([0x61, 0xE4, 0xB8, 0xAD], false, true),  // a中
            ([0xE4, 0xB8], true, true),  // cut off, and that is allowed
            ([0xE4, 0xB8], false, false),  // cut off, not allowed
            ([0xC0, 0x80], true, false),  // overlong
            ([0xED, 0xA0, 0x80], true, false),  // surrogate
            ([0xCA, 0xB1, 0xBC, 0xE4], true, false),  // GB18030 时间
            ([0xF4, 0x90, 0x80, 0x80], true, false),  // beyond U+10FFFF
        ] as [([UInt8], Bool, Bool)]
    )
    func validatesUTF8(bytes: [UInt8], allowingTruncatedEnd: Bool, valid: Bool) {
        let result = bytes.withUnsafeBufferPointer {
            TextReader.isValidUTF8($0, allowingTruncatedEnd: allowingTruncatedEnd)
        }
        #expect(result == valid)
    }
}
