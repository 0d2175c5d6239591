/// A set of secret values and the text with each of them replaced by `<redacted>`.
///
/// Values shorter than ``minimumLength`` bytes are ignored: a short one (`1`, `zh`, `abc`)
/// would blot out ordinary words and numbers of every line, and is no real secret anyway.
/// Matching is by exact bytes, so a secret the platform echoes with its own escaping (`\/`
/// for `/` in JSON) is not found; tokens and keys are plain ASCII in practice.
///
/// Built for many values (one secret per configured account, 100,000 accounts, and tokens that
/// share their first bytes, as `act.3.` does on Douyin): a text is scanned once; where its next
/// ``minimumLength`` bytes start some value, one hash look-up per distinct value length (a
/// handful: tokens of one platform have one length) decides, longest first, so a value that
/// extends another goes whole.
package struct SecretMatcher: Sendable {
    /// The shortest value that is matched, in UTF-8 bytes.
    package static let minimumLength = 6

    /// What a secret is replaced with.
    package static let replacement = "<redacted>"

    /// The values held.
    private var values: Set<[UInt8]> = []
    /// How many values start with each ``minimumLength``-byte prefix.
    private var prefixes: [UInt64: Int] = [:]
    /// How many values have each length, and the lengths longest first.
    private var lengthCounts: [Int: Int] = [:]
    private var lengths: [Int] = []

    /// An empty matcher.
    package init() {}

    /// A matcher of `values` (short ones left out).
    package init(_ values: some Sequence<String>) {
        for value in values { insert(value) }
    }

    /// The number of values held.
    package var count: Int { values.count }

    /// Whether the matcher holds no value.
    package var isEmpty: Bool { values.isEmpty }

    /// Adds `value` unless it is shorter than ``minimumLength`` bytes or already held.
    /// - Returns: Whether it was added.
    @discardableResult
    package mutating func insert(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count >= Self.minimumLength, values.insert(bytes).inserted else { return false }
        prefixes[Self.key(bytes, at: 0), default: 0] += 1
        lengthCounts[bytes.count, default: 0] += 1
        if lengthCounts[bytes.count] == 1 { lengths = lengthCounts.keys.sorted(by: >) }
        return true
    }

    /// Removes `value` when held.
    package mutating func remove(_ value: String) {
        let bytes = Array(value.utf8)
        guard values.remove(bytes) != nil else { return }
        let key = Self.key(bytes, at: 0)
        if let count = prefixes[key], count > 1 { prefixes[key] = count - 1 } else { prefixes[key] = nil }
        if let count = lengthCounts[bytes.count], count > 1 {
            lengthCounts[bytes.count] = count - 1
        } else {
            lengthCounts[bytes.count] = nil
            lengths = lengthCounts.keys.sorted(by: >)
        }
    }

    /// `text` with every held value replaced by ``replacement``; `text` itself (no copy) when
    /// it holds none.
    package func redact(_ text: String) -> String {
        guard !values.isEmpty, text.utf8.count >= Self.minimumLength else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        while index + Self.minimumLength <= bytes.count {
            if prefixes[Self.key(bytes, at: index)] != nil, let length = matchLength(bytes, at: index) {
                output += bytes[copied..<index]
                output += Self.replacement.utf8
                index += length
                copied = index
            } else {
                index += 1
            }
        }
        guard copied > 0 else { return text }
        output += bytes[copied...]
        // A value is whole UTF-8 and so starts and ends on character boundaries: the cuts keep
        // the text valid.
        return String(decoding: output, as: UTF8.self)
    }

    /// The length of the longest value at `offset`, or nil.
    private func matchLength(_ bytes: [UInt8], at offset: Int) -> Int? {
        for length in lengths where offset + length <= bytes.count {
            if values.contains(Array(bytes[offset..<offset + length])) { return length }
        }
        return nil
    }

    /// The ``minimumLength`` bytes at `offset` packed into one integer.
    private static func key(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var key: UInt64 = 0
        for index in offset..<offset + minimumLength { key = key << 8 | UInt64(bytes[index]) }
        return key
    }
}
