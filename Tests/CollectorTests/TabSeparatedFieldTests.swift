import Collector
import Testing

@Suite struct TabSeparatedFieldTests {
    @Test(arguments: ["plain", "", "a\tb", "50%\nx\r", "%09", "%2509", "账号\t名"])
    func aFieldReadsBackAsWritten(_ text: String) {
        var bytes: [UInt8] = []
        TabSeparatedField.append(text, to: &bytes)
        #expect(!bytes.contains(0x09) && !bytes.contains(0x0A) && !bytes.contains(0x0D))
        #expect(TabSeparatedField.decode(bytes) == text)
    }

    @Test func escapesTheFourBytesAndNothingElse() {
        var bytes: [UInt8] = []
        TabSeparatedField.append("a\tb%c\nd\re", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "a%09b%25c%0Ad%0De")
    }

    @Test func decodesInOnePassAndLeavesOtherPercentsAlone() {
        #expect(TabSeparatedField.decode(Array("%2509".utf8)) == "%09")
        #expect(TabSeparatedField.decode(Array("%0a%0d".utf8)) == "\n\r")
        #expect(TabSeparatedField.decode(Array("100%20x%".utf8)) == "100%20x%")
    }
}
