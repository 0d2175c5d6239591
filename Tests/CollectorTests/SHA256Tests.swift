import Collector
import Testing

/// SHA-256 against the FIPS 180-4 example vectors, fed whole and in uneven pieces.
struct SHA256Tests {
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ]

    @Test(arguments: vectors)
    func hashesTheStandardVectors(message: String, digest: String) {
        #expect(SHA256.hex(of: Array(message.utf8)) == digest)
    }

    @Test func hashesAMillionBytes() {
        let message = Array(String(repeating: "a", count: 1_000_000).utf8)
        #expect(SHA256.hex(of: message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: [1, 7, 55, 56, 63, 64, 65, 1000])
    func givesTheSameDigestWhenFedInPieces(piece: Int) {
        let message = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        var hash = SHA256()
        var start = 0
        while start < message.count {
            let end = min(message.count, start + piece)
            hash.update(message[start..<end])
            start = end
        }
        #expect(SHA256.hex(hash.finish()) == SHA256.hex(of: message))
    }

    /// The SHA extensions' blocks give the portable rounds' digest for every length around the
    /// block and padding boundaries, and for a long message fed in uneven pieces.
    @Test(.enabled(if: SHA256.hardwareAvailable, "the processor has no SHA extensions"))
    func hardwareBlocksGiveThePortableDigest() {
        let message = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 9) }
        for length in Array(0...300) + [4_095, 4_096, 65_537, message.count] {
            let part = message[0..<length]
            var hardware = SHA256(hardware: true)
            var portable = SHA256(hardware: false)
            hardware.update(part)
            portable.update(part)
            #expect(SHA256.hex(hardware.finish()) == SHA256.hex(portable.finish()), "length \(length)")
        }
        var pieces = SHA256(hardware: true)
        var start = 0
        while start < message.count {
            let end = min(message.count, start + 1 + start % 1_000)
            pieces.update(message[start..<end])
            start = end
        }
        var whole = SHA256(hardware: false)
        whole.update(message)
        #expect(SHA256.hex(pieces.finish()) == SHA256.hex(whole.finish()))
    }
}
