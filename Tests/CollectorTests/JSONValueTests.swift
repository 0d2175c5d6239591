import Collector
import Testing

struct JSONValueTests {
    // MARK: - Parsing

    @Test func parsesObjectMembersInDocumentOrder() throws {
        let value = try JSONValue.parse(#"{"b":1,"a":"x","c":[true,false,null],"d":{"e":1.5}}"#)
        #expect(
            value
                == .object([
                    JSONMember("b", .integer(1)),
                    JSONMember("a", .string("x")),
                    JSONMember("c", .array([.bool(true), .bool(false), .null])),
                    JSONMember("d", .object([JSONMember("e", .real(1.5))])),
                ])
        )
    }

    @Test func parsesTopLevelArrays() throws {
        #expect(
            try JSONValue.parse("[1, [2, []], {}]")
                == .array([.integer(1), .array([.integer(2), .array([])]), .object([])])
        )
    }

    @Test func parsesBytesLikeText() throws {
        let bytes = Array(#"{"data":{"follower":86231}}"#.utf8)
        #expect(
            try JSONValue.parse(bytes)
                == .object([JSONMember("data", .object([JSONMember("follower", .integer(86231))]))])
        )
    }

    @Test func decodesUnicodeAndEscapes() throws {
        let value = try JSONValue.parse(#"["济南市教育局", "\u6d4e\u5357", "\ud83d\ude00", "a\"b\\c\/d\n\t\r\b\f"]"#)
        #expect(
            value == .array([.string("济南市教育局"), .string("济南"), .string("😀"), .string("a\"b\\c/d\n\t\r\u{8}\u{c}")])
        )
    }

    @Test func keepsNULInsideStrings() throws {
        let value = try JSONValue.parse(#"{"a":"x\u0000y"}"#)
        let text = try #require(value["a"]?.stringValue)
        #expect(Array(text.utf8) == [0x78, 0x00, 0x79])
    }

    @Test(arguments: [
        ("9223372036854775807", Int64.max),
        ("-9223372036854775808", Int64.min),
        ("0", 0),
        ("-1", -1),
    ])
    func parsesSixtyFourBitIntegers(text: String, expected: Int64) throws {
        #expect(try JSONValue.parse("[\(text)]") == .array([.integer(expected)]))
    }

    @Test(arguments: [("0.4123", 0.4123), ("1e3", 1000.0), ("-2.5E-3", -0.0025), ("1.0", 1.0)])
    func parsesRealsAsReals(text: String, expected: Double) throws {
        #expect(try JSONValue.parse("[\(text)]") == .array([.real(expected)]))
    }

    @Test func skipsALeadingByteOrderMark() throws {
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .object([]))
    }

    @Test func keepsTheLastOfDuplicateKeys() throws {
        #expect(try JSONValue.parse(#"{"a":1,"a":2}"#) == .object([JSONMember("a", .integer(2))]))
    }

    // MARK: - Errors

    @Test func reportsLineAndColumnOfASyntaxError() {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse("{\n\"a\":\n  tru}") }
        #expect(error?.kind == .syntax)
        #expect(error?.line == 3)
        #expect(error?.column == 5)
        #expect(error?.position == 12)
        #expect(error?.description == "line 3, column 5: invalid token near a word")
    }

    @Test func reportsTrailingGarbage() {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(#"{"a":1}x"#) }
        #expect(error?.description == "line 1, column 8: end of file expected near a word")
    }

    @Test func refusesIntegersBeyondSixtyFourBits() {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse("[9223372036854775808]") }
        #expect(error?.kind == .syntax)
        #expect(error?.description == "line 1, column 20: too big integer near '9223372036854775808'")
    }

    @Test func refusesABareScalar() {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse("42") }
        #expect(error?.description == "line 1, column 2: '[' or '{' expected near '42'")
    }

    @Test(arguments: [#"{"a":1"#, #"{"a":"#, #"[1,2"#, #"{"access_token":"abc"#])
    func recognisesATruncatedBody(text: String) {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(text) }
        #expect(error?.kind == .truncated)
        #expect(error?.position == text.utf8.count)
        #expect(
            error?.description
                == "line 1, column \(text.utf8.count): the JSON ends early, after \(text.utf8.count) bytes (a truncated response?)"
        )
    }

    @Test func keepsAQuotedStringOutOfTheMessage() {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(#"{"a" "s3cr3t"}"#) }
        #expect(error?.description == "line 1, column 13: ':' expected near a string")
    }

    /// A token written without quotes is a bare word to jansson, which quotes it in its message.
    @Test(arguments: [
        (#"{"access_token":TOKENSENTINEL,"expires_in":7200}"#, "line 1, column 29: invalid token near a word"),
        (#"{"a":1} TOKENSENTINEL"#, "line 1, column 21: end of file expected near a word"),
        ("TOKENSENTINEL", "line 1, column 13: '[' or '{' expected near a word"),
        (#"{"cookie":SESSDATA=TOKENSENTINEL}"#, "line 1, column 18: invalid token near a word"),
    ])
    func keepsABareWordOutOfTheMessage(text: String, expected: String) {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(text) }
        #expect(error?.description.contains("SENTINEL") == false)
        #expect(error?.description == expected)
    }

    @Test(arguments: [
        (#"{"a":1,}"#, "line 1, column 8: string or '}' expected near '}'"),
        (#"[1 2]"#, "line 1, column 4: ']' expected near '2'"),
        (#"{"a":-1.5e3 x}"#, "line 1, column 13: '}' expected near a word"),
    ])
    func keepsPunctuationAndNumbersInTheMessage(text: String, expected: String) {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(text) }
        #expect(error?.description == expected)
    }

    @Test(arguments: ["", "  \n\t "])
    func recognisesAnEmptyBody(text: String) {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(text) }
        #expect(error?.kind == .empty)
        #expect(error?.description == "the body is empty, not JSON (the server answered with nothing)")
    }

    @Test func recognisesAnHTMLBodyAndQuotesItsTitle() {
        let page = "\n<!DOCTYPE html><html><head><TITLE>\n  502 Bad\n Gateway </title></head><body>nginx</body></html>"
        let error = #expect(throws: JSONError.self) { try JSONValue.parse(page) }
        #expect(error?.kind == .html)
        #expect(
            error?.description
                == "the body is HTML, not JSON (an error page, a login page or an anti-bot challenge?): \"502 Bad Gateway\""
        )
    }

    @Test func recognisesAnHTMLBodyWithoutTitle() {
        let error = #expect(throws: JSONError.self) { try JSONValue.parse("<html><body>blocked</body></html>") }
        #expect(error?.kind == .html)
        #expect(
            error?.description == "the body is HTML, not JSON (an error page, a login page or an anti-bot challenge?)"
        )
    }

    // MARK: - Serialisation

    @Test func serialisesCompactlyWithSortedKeys() {
        let value = JSONValue.object([
            JSONMember("page", .integer(2)),
            JSONMember("cursor", .string("2026-03-31")),
            JSONMember(
                "nested",
                .object([JSONMember("z", .null), JSONMember("a", .array([.bool(true), .real(0.4123)]))])
            ),
        ])
        #expect(value.serialized() == #"{"cursor":"2026-03-31","nested":{"a":[true,0.4123],"z":null},"page":2}"#)
    }

    @Test func sortsKeysByTheirUTF8Bytes() {
        let value = JSONValue.object([
            JSONMember("é", .integer(1)), JSONMember("Z", .integer(2)), JSONMember("a", .integer(3)),
            JSONMember("ab", .integer(4)),
        ])
        #expect(value.serialized() == #"{"Z":2,"a":3,"ab":4,"é":1}"#)
    }

    @Test func writesTheLastOfRepeatedKeys() {
        let value = JSONValue.object([
            JSONMember("a", .integer(1)), JSONMember("b", .integer(2)), JSONMember("a", .integer(3)),
        ])
        #expect(value.serialized() == #"{"a":3,"b":2}"#)
    }

    @Test func escapesStrings() {
        let value = JSONValue.array([.string("q\"b\\s/\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{0}济😀")])
        #expect(value.serialized() == #"["q\"b\\s/\n\r\t\b\f\u0001\u001f\u0000济😀"]"#)
    }

    @Test func writesNumbersThatReadBackTheSame() {
        let value = JSONValue.array([.integer(Int64.min), .real(2), .real(-0.5), .real(1e-7), .real(1e21), .real(.nan)])
        #expect(value.serialized() == "[-9223372036854775808,2.0,-0.5,1e-07,1e+21,null]")
    }

    @Test func roundTripsThroughParse() throws {
        let text = #"{"a":[1,-2,0.125,"x\u0000y","济南",{"k":null}],"b":true,"c":{"d":false,"e":9223372036854775807}}"#
        let value = try JSONValue.parse(text)
        #expect(value.serialized() == text)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }
}
