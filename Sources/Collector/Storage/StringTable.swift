/// Interned strings: each distinct byte string gets a number, so that compaction and export
/// hold a row in 32 bytes instead of four strings.
final class StringTable {
    private(set) var strings: [String] = []
    private var numbers: [String: UInt32] = [:]
    /// The last string looked up: rows of one account or platform come in runs.
    private var lastBytes: [UInt8] = []
    private var lastNumber: UInt32 = 0

    /// Creates an empty table.
    init() {}

    /// How many strings it holds.
    var count: Int { strings.count }

    /// The number of `bytes`, adding them when new.
    func number(of bytes: UnsafeRawBufferPointer) -> UInt32 {
        if !strings.isEmpty && lastBytes.elementsEqual(bytes) { return lastNumber }
        let text = String(decoding: bytes, as: UTF8.self)
        let number: UInt32
        if let known = numbers[text] {
            number = known
        } else {
            number = UInt32(strings.count)
            strings.append(text)
            numbers[text] = number
        }
        lastBytes.removeAll(keepingCapacity: true)
        lastBytes.append(contentsOf: bytes)
        lastNumber = number
        return number
    }

    /// Calls `body` with the bytes of string `number`.
    func withBytes<Result>(_ number: UInt32, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        withUTF8(strings[Int(number)], body)
    }

    /// Each string's position in bytewise order, by number.
    func ranks() -> [UInt32] {
        let order = strings.indices.sorted { strings[$0].utf8.lexicographicallyPrecedes(strings[$1].utf8) }
        var ranks = [UInt32](repeating: 0, count: strings.count)
        for (rank, number) in order.enumerated() { ranks[number] = UInt32(rank) }
        return ranks
    }
}
