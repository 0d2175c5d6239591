import Adapters
import Testing

struct LineBufferTests {
    /// Feeds `chunks` one read at a time and returns what came out: `text` lines as strings,
    /// too-long lines as `<N bytes>`, the final line (without "\n") prefixed with `final:`.
    private func split(_ chunks: [String], initialCapacity: Int = 16, maxLineLength: Int = 64) -> [String] {
        var buffer = LineBuffer(initialCapacity: initialCapacity, maxLineLength: maxLineLength)
        var output: [String] = []
        func describe(_ line: LineBuffer.Line) -> String {
            switch line {
            case .text(let bytes): String(decoding: bytes, as: UTF8.self)
            case .tooLong(let length): "<\(length) bytes>"
            }
        }
        for chunk in chunks {
            var rest = Array(chunk.utf8)[...]
            // A read fills at most the free space; the remainder comes with the next read.
            while !rest.isEmpty {
                let space = buffer.freeSpace()
                let count = min(space.count, rest.count)
                space.copyBytes(from: rest.prefix(count))
                buffer.didWrite(count)
                rest = rest.dropFirst(count)
                while let line = buffer.nextLine() { output.append(describe(line)) }
            }
        }
        if let last = buffer.finalLine() { output.append("final:" + describe(last)) }
        return output
    }

    @Test func splitsLinesAcrossReads() {
        #expect(split(["ab\ncd", "e\n\nf", "g\n"]) == ["ab", "cde", "", "fg"])
    }

    @Test func returnsALastLineWithoutNewline() {
        #expect(split(["one\ntwo"]) == ["one", "final:two"])
        #expect(split(["one\n"]) == ["one"])
    }

    @Test func growsForALineLongerThanTheBuffer() {
        let long = String(repeating: "x", count: 50)
        #expect(split(["a\n" + long, "\nb\n"]) == ["a", long, "b"])
    }

    @Test func skipsALineLongerThanTheLimitAndKeepsGoing() {
        let tooLong = String(repeating: "y", count: 100)
        #expect(split(["a\n" + tooLong + "\nb\n"]) == ["a", "<100 bytes>", "b"])
        #expect(split(["a\n" + tooLong]) == ["a", "final:<100 bytes>"])
    }

    @Test func acceptsALineOfExactlyTheLimit() {
        let limit = String(repeating: "z", count: 63)
        #expect(split([limit + "\n"]) == [limit])
    }
}
