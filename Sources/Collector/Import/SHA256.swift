import CSystem

/// SHA-256 (FIPS 180-4), fed in pieces: the content hash of the import ledger
/// (``ImportLedger``), computed while a file is read.
///
/// The ledger's hash must be the same in every process and every release, so the store's seeded
/// ``KeyHasher`` will not do; SwiftPM on Linux has no CryptoKit, and one hash is not worth a
/// dependency. An export of a million rows is 200 MB, hashed before it is read: where the
/// processor has the x86 SHA extensions the blocks go to them (`csystem_sha256_blocks`, about
/// 1.5 GB/s), else to the rounds below (about 350 MB/s in a release build).
package struct SHA256: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// The bytes of an unfinished block.
    private var block: [UInt8] = []
    /// Bytes fed so far.
    private var length: UInt64 = 0

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Whether this processor has the SHA extensions that ``init(hardware:)`` can use.
    package static let hardwareAvailable = csystem_sha256_hardware() != 0

    /// Whether blocks go to the processor's SHA extensions.
    private let hardware: Bool

    /// A hash of nothing yet, computed with the processor's SHA extensions when `hardware` is
    /// true and it has them (the default), else with the portable rounds.
    package init(hardware: Bool = SHA256.hardwareAvailable) {
        self.hardware = hardware && Self.hardwareAvailable
        block.reserveCapacity(64)
    }

    /// Feeds `bytes`.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        length &+= UInt64(bytes.count)
        var offset = 0
        if !block.isEmpty {
            let taken = min(64 - block.count, bytes.count)
            block += bytes[0..<taken]
            offset = taken
            guard block.count == 64 else { return }
            block.withUnsafeBytes { compress($0) }
            block.removeAll(keepingCapacity: true)
        }
        let blocks = (bytes.count - offset) / 64
        if blocks > 0 {
            compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + blocks * 64]))
            offset += blocks * 64
        }
        if offset < bytes.count { block += bytes[offset...] }
    }

    /// Feeds `bytes`.
    package mutating func update(_ bytes: some Collection<UInt8>) {
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if contiguous == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// The 32-byte digest of everything fed.
    package consuming func finish() -> [UInt8] {
        let bits = length &* 8
        var tail: [UInt8] = [0x80]
        tail += [UInt8](repeating: 0, count: (119 - block.count) % 64)
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
        let fed = length
        tail.withUnsafeBytes { update($0) }
        length = fed
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        return words.flatMap { word in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) } }
    }

    /// The digest of `bytes`, as 64 lower-case hex digits.
    package static func hex(of bytes: some Collection<UInt8>) -> String {
        var hash = SHA256()
        hash.update(bytes)
        return hex(hash.finish())
    }

    /// `digest` as lower-case hex digits.
    package static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Runs the 64 rounds over each 64-byte block of `blocks`.
    private mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress else { return }
        if hardware {
            // The eight words of a homogeneous tuple lie side by side, a..h.
            withUnsafeMutableBytes(of: &state) { words in
                guard let words = words.baseAddress else { return }
                csystem_sha256_blocks(
                    words.assumingMemoryBound(to: UInt32.self),
                    base.assumingMemoryBound(to: UInt8.self),
                    blocks.count / 64
                )
            }
            return
        }
        for offset in stride(from: 0, to: blocks.count, by: 64) {
            compressPortably(UnsafeRawBufferPointer(rebasing: blocks[offset..<offset + 64]))
        }
    }

    /// Runs the 64 rounds over one 64-byte block, in Swift.
    private mutating func compressPortably(_ chunk: UnsafeRawBufferPointer) {
        var schedule = (
            UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
            UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0)
        )
        withUnsafeMutableBytes(of: &schedule) { raw in
            let words = raw.bindMemory(to: UInt32.self)
            for index in 0..<16 {
                let base = index * 4
                words[index] =
                    UInt32(chunk[base]) << 24 | UInt32(chunk[base + 1]) << 16 | UInt32(chunk[base + 2]) << 8
                    | UInt32(chunk[base + 3])
            }
            var a = state.0
            var b = state.1
            var c = state.2
            var d = state.3
            var e = state.4
            var f = state.5
            var g = state.6
            var h = state.7
            Self.roundConstants.withUnsafeBufferPointer { constants in
                for round in 0..<64 {
                    // The message schedule kept as a ring of 16 words.
                    let word: UInt32
                    if round < 16 {
                        word = words[round]
                    } else {
                        let w15 = words[(round - 15) & 15]
                        let w2 = words[(round - 2) & 15]
                        let s0 = rotate(w15, 7) ^ rotate(w15, 18) ^ (w15 >> 3)
                        let s1 = rotate(w2, 17) ^ rotate(w2, 19) ^ (w2 >> 10)
                        word = words[round & 15] &+ s0 &+ words[(round - 7) & 15] &+ s1
                        words[round & 15] = word
                    }
                    let sum1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
                    let choice = (e & f) ^ (~e & g)
                    let first = h &+ sum1 &+ choice &+ constants[round] &+ word
                    let sum0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let second = sum0 &+ majority
                    h = g
                    g = f
                    f = e
                    e = d &+ first
                    d = c
                    c = b
                    b = a
                    a = first &+ second
                }
            }
            state.0 &+= a
            state.1 &+= b
            state.2 &+= c
            state.3 &+= d
            state.4 &+= e
            state.5 &+= f
            state.6 &+= g
            state.7 &+= h
        }
    }
}

@inline(__always)
private func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
    (value >> count) | (value << (32 - count))
}
