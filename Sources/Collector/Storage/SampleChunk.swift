#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Samples in the compact form the store writes: fixed-size rows whose strings are numbers
/// into a table of the chunk's distinct strings, their bytes side by side in one buffer.
///
/// A batch of an import or an exec command repeats its strings: one platform, a few accounts,
/// a few dozen metric names, an object id for several metrics in a row. The chunk keeps each
/// run of a repeated string once, with its ``KeyHasher`` hash and whether CSV must quote it,
/// so the store hashes and scans a string once per chunk rather than once per row, and moves
/// no `String` (no reference counting) per row. ``SampleBatch`` fills one and hands it to a
/// ``SampleChunkSink`` whole.
///
/// A string is recognised as a repeat when it equals the previous one of its field, or (for
/// platform, account and metric) one of the last few: a string seen again later is simply
/// stored again, which costs bytes, never correctness.
package struct SampleChunk: Sendable {
    /// One distinct string: where its bytes are in ``bytes``, its hash, whether CSV quotes it.
    struct Text: Sendable {
        /// Offset of the first byte in ``bytes``.
        var offset: Int
        /// Length in bytes.
        var count: Int
        /// ``KeyHasher/hash(_:)`` of the bytes.
        var hash: UInt64
        /// The bytes hold a comma, a quote, CR or LF (RFC 4180 quoting).
        var needsQuotes: Bool
    }

    /// One sample, its strings given by number into ``texts``.
    struct Row: Sendable {
        /// Unix seconds.
        var time: Int64
        /// The value's digits with the sign.
        var mantissa: Int64
        var platform: UInt32
        var account: UInt32
        var object: UInt32
        var metric: UInt32
        /// Digits after the point.
        var scale: UInt8
        var quality: Quality
        var source: Source

        /// The value as the store compares it.
        var value: StoredValue { StoredValue(mantissa: mantissa, scale: scale) }
    }

    /// The bytes of the distinct strings.
    private(set) var bytes: [UInt8] = []
    /// The distinct strings.
    private(set) var texts: [Text] = []
    /// The samples.
    private(set) var rows: [Row] = []

    private var platforms = StringMemo(depth: 4)
    private var accounts = StringMemo(depth: 8)
    private var objects = StringMemo(depth: 1)
    private var metrics = StringMemo(depth: 32)
    private var rawAccounts = BytesMemo(depth: 8)
    private var rawObjects = BytesMemo(depth: 1)
    private var rawMetrics = BytesMemo(depth: 32)
    /// The row of each key added by ``appendFoldingKeys(time:platform:account:object:metric:value:quality:source:)``,
    /// by the key's ``KeyHasher`` hash.
    private var keyRows = KeyRowTable()

    /// Creates an empty chunk with room for `capacity` samples.
    package init(capacity: Int = 0) {
        rows.reserveCapacity(capacity)
        texts.reserveCapacity(64)
        bytes.reserveCapacity(4096)
    }

    /// The number of samples.
    package var count: Int { rows.count }

    /// Whether the chunk holds no sample.
    package var isEmpty: Bool { rows.isEmpty }

    /// Adds a sample.
    package mutating func append(_ sample: Sample) {
        let platform = Self.number(of: sample.platform.rawValue, memo: &platforms, texts: &texts, bytes: &bytes)
        let account = Self.number(of: sample.account, memo: &accounts, texts: &texts, bytes: &bytes)
        let object = Self.number(of: sample.object, memo: &objects, texts: &texts, bytes: &bytes)
        let metric = Self.number(of: sample.metric.rawValue, memo: &metrics, texts: &texts, bytes: &bytes)
        let value = StoredValue(sample.value)
        rows.append(
            Row(
                time: sample.time.secondsSinceEpoch,
                mantissa: value.mantissa,
                platform: platform,
                account: account,
                object: object,
                metric: metric,
                scale: value.scale,
                quality: sample.quality,
                source: sample.source
            )
        )
    }

    /// Adds the samples of an array.
    package mutating func append(contentsOf samples: [Sample]) {
        rows.reserveCapacity(rows.count + samples.count)
        for sample in samples { append(sample) }
    }

    /// Adds a sample given as the bytes of its strings (the exec adapter's lines, read in
    /// place), copying only the strings not seen just before.
    package mutating func append(
        time: Timestamp,
        platform: Platform,
        account: UnsafeRawBufferPointer,
        object: UnsafeRawBufferPointer,
        metric: UnsafeRawBufferPointer,
        value: SampleValue,
        quality: Quality,
        source: Source
    ) {
        let platformNumber = Self.number(of: platform.rawValue, memo: &platforms, texts: &texts, bytes: &bytes)
        let accountNumber = Self.number(of: account, memo: &rawAccounts, texts: &texts, bytes: &bytes)
        let objectNumber = Self.number(of: object, memo: &rawObjects, texts: &texts, bytes: &bytes)
        let metricNumber = Self.number(of: metric, memo: &rawMetrics, texts: &texts, bytes: &bytes)
        let stored = StoredValue(value)
        rows.append(
            Row(
                time: time.secondsSinceEpoch,
                mantissa: stored.mantissa,
                platform: platformNumber,
                account: accountNumber,
                object: objectNumber,
                metric: metricNumber,
                scale: stored.scale,
                quality: quality,
                source: source
            )
        )
    }

    /// Adds a sample given as bytes, as ``append(time:platform:account:object:metric:value:quality:source:)``
    /// does, unless the chunk holds a row of the same key (time, platform, account, object,
    /// metric) that the new value can be folded into: within one exec run, only the last value
    /// of a key reaches the store (SPEC §5: the later value supersedes the earlier).
    ///
    /// Without it, a command that prints a key twice (a note listed on two pages, two values of
    /// one second) wrote both rows on every run, since the second row of the run before is what
    /// the first of the next one is compared with. Folding happens only where the store would
    /// end at the same row: the new row is `exact`, or repeats the old one, or an `approx` row
    /// follows an `approx` one, or an `approx` or `lower_bound` row is outranked by the `exact`
    /// one before it (``KeyPrecedence``); otherwise both rows go to the store in order.
    ///
    /// Memory stays bounded: a key is found again only within the chunk (the rows handed to the
    /// store at a time, up to a state line's commit), which is where a command's repeats fall in
    /// practice: next to each other, or a page apart.
    /// - Returns: nil when the sample was added as a row; else what it did to the earlier row
    ///   it was folded into: `.supersedes` (took its place), `.duplicate` or `.outranked`.
    @discardableResult
    mutating func appendFoldingKeys(
        time: Timestamp,
        platform: Platform,
        account: UnsafeRawBufferPointer,
        object: UnsafeRawBufferPointer,
        metric: UnsafeRawBufferPointer,
        value: SampleValue,
        quality: Quality,
        source: Source
    ) -> KeyPrecedence.Outcome? {
        append(
            time: time,
            platform: platform,
            account: account,
            object: object,
            metric: metric,
            value: value,
            quality: quality,
            source: source
        )
        let position = rows.count - 1
        let row = rows[position]
        let key = KeyHasher.current.key(
            time: row.time,
            platform: texts[Int(row.platform)].hash,
            account: texts[Int(row.account)].hash,
            object: texts[Int(row.object)].hash,
            metric: texts[Int(row.metric)].hash
        )
        let (found, slot) = keyRows.exchange(key, row: position)
        guard let earlier = found, hasSameKey(rows[earlier], row) else { return nil }
        let old = rows[earlier]
        let outcome = KeyPrecedence.outcome(
            value: row.value,
            quality: row.quality,
            storedValue: old.value,
            storedQuality: old.quality
        )
        // Folded only where the store ends at the same row whatever it held before; a
        // `lower_bound` after another value, or after an `exact` one it exceeds, goes as it is.
        let folds: Bool
        switch outcome {
        case .duplicate, .outranked: folds = true
        case .supersedes: folds = row.quality == .exact || (row.quality == .approx && old.quality == .approx)
        }
        guard folds else { return nil }
        // The new row goes; the key stays at the earlier row, which takes its value if it wins.
        rows.removeLast()
        keyRows.setRow(earlier, at: slot)
        if outcome == .supersedes {
            rows[earlier].mantissa = row.mantissa
            rows[earlier].scale = row.scale
            rows[earlier].quality = row.quality
            rows[earlier].source = row.source
        }
        return outcome
    }

    /// Whether two rows have the same key, their strings compared by number or else by bytes (a
    /// string seen again after a while is stored again under a new number).
    private func hasSameKey(_ left: Row, _ right: Row) -> Bool {
        guard left.time == right.time else { return false }
        return sameText(left.platform, right.platform) && sameText(left.account, right.account)
            && sameText(left.object, right.object) && sameText(left.metric, right.metric)
    }

    private func sameText(_ left: UInt32, _ right: UInt32) -> Bool {
        if left == right { return true }
        let (a, b) = (texts[Int(left)], texts[Int(right)])
        guard a.hash == b.hash, a.count == b.count else { return false }
        return bytes.withUnsafeBytes { stored in
            bytesEqual(
                UnsafeRawBufferPointer(rebasing: stored[a.offset..<a.offset + a.count]),
                UnsafeRawBufferPointer(rebasing: stored[b.offset..<b.offset + b.count])
            )
        }
    }

    /// Empties the chunk, keeping its memory.
    package mutating func removeAll() {
        keyRows.removeAll()
        rows.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        platforms.removeAll()
        accounts.removeAll()
        objects.removeAll()
        metrics.removeAll()
        rawAccounts.removeAll()
        rawObjects.removeAll()
        rawMetrics.removeAll()
    }

    /// The samples, their strings rebuilt (for sinks that take ``Sample`` values).
    package var samples: [Sample] {
        let strings = texts.map { String(decoding: bytes[$0.offset..<$0.offset + $0.count], as: UTF8.self) }
        return rows.map { row in
            Sample(
                time: Timestamp(secondsSinceEpoch: row.time),
                platform: Platform(rawValue: strings[Int(row.platform)]),
                account: strings[Int(row.account)],
                object: strings[Int(row.object)],
                metric: MetricName(rawValue: strings[Int(row.metric)]),
                value: row.value.sampleValue,
                quality: row.quality,
                source: row.source
            )
        }
    }

    /// Calls `body` with the rows, the strings and their bytes, in place.
    func withStorage<Value, Failure: Error>(
        _ body: (UnsafeBufferPointer<Row>, UnsafeBufferPointer<Text>, UnsafeRawBufferPointer) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        let outcome = rows.withUnsafeBufferPointer { rows in
            texts.withUnsafeBufferPointer { texts in
                bytes.withUnsafeBytes { bytes in
                    Result { () throws(Failure) -> Value in try body(rows, texts, bytes) }
                }
            }
        }
        return try outcome.get()
    }

    // MARK: - Strings

    /// The number of `string`, reusing a recent one of the same field.
    @inline(__always)
    private static func number(
        of string: String,
        memo: inout StringMemo,
        texts: inout [Text],
        bytes: inout [UInt8]
    ) -> UInt32 {
        if let known = memo.number(of: string) { return known }
        let number = withUTF8(string) { add($0, texts: &texts, bytes: &bytes) }
        memo.remember(string, number)
        return number
    }

    /// The number of `candidate`, reusing a recent one of the same field.
    @inline(__always)
    private static func number(
        of candidate: UnsafeRawBufferPointer,
        memo: inout BytesMemo,
        texts: inout [Text],
        bytes: inout [UInt8]
    ) -> UInt32 {
        let found = texts.withUnsafeBufferPointer { texts in
            bytes.withUnsafeBytes { stored in
                memo.number(matching: { number in
                    let text = texts[Int(number)]
                    return bytesEqual(
                        UnsafeRawBufferPointer(rebasing: stored[text.offset..<text.offset + text.count]),
                        candidate
                    )
                })
            }
        }
        if let found { return found }
        let number = add(candidate, texts: &texts, bytes: &bytes)
        memo.remember(number)
        return number
    }

    private static func add(_ text: UnsafeRawBufferPointer, texts: inout [Text], bytes: inout [UInt8]) -> UInt32 {
        var needsQuotes = false
        for byte in text where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 10 || byte == 13 {
            needsQuotes = true
            break
        }
        texts.append(
            Text(offset: bytes.count, count: text.count, hash: KeyHasher.current.hash(text), needsQuotes: needsQuotes)
        )
        bytes.append(contentsOf: text)
        return UInt32(texts.count - 1)
    }
}

/// The row of each key of a chunk, by the key's ``KeyHasher`` hash: open addressing with
/// linear probing over a table kept at most half full, cleared with the chunk. A `Dictionary`
/// would hash the hash again (SipHash) on every exec line. A slot holds the hash and the row
/// side by side, so a probe reads one cache line.
private struct KeyRowTable: Sendable {
    private struct Slot: Sendable {
        var hash: UInt64
        /// The row plus 1; 0 for an empty slot.
        var row: Int32
    }

    private var slots: [Slot] = []
    private var count = 0

    /// Records `row` for `hash` and gives the row recorded for it before, if any, and the slot.
    mutating func exchange(_ hash: UInt64, row: Int) -> (earlier: Int?, slot: Int) {
        if (count + 1) * 2 > slots.count { grow() }
        return slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot].row != 0 {
                if slots[slot].hash == hash {
                    let earlier = Int(slots[slot].row) - 1
                    slots[slot].row = Int32(row + 1)
                    return (earlier, slot)
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = Slot(hash: hash, row: Int32(row + 1))
            count += 1
            return (nil, slot)
        }
    }

    /// Records `row` in `slot`, as ``exchange(_:row:)`` gave it.
    mutating func setRow(_ row: Int, at slot: Int) {
        slots[slot].row = Int32(row + 1)
    }

    /// Forgets every key, keeping the memory.
    mutating func removeAll() {
        guard count > 0 else { return }
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: Slot(hash: 0, row: 0)) }
        count = 0
    }

    private mutating func grow() {
        let old = slots
        let capacity = max(1024, slots.count * 2)
        slots = Array(repeating: Slot(hash: 0, row: 0), count: capacity)
        count = 0
        let mask = capacity - 1
        for entry in old where entry.row != 0 {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot].row != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
            count += 1
        }
    }
}

/// The last few strings of one field and their numbers; the one after the last match is tried
/// first, since fields such as the metric name come round in the same order row after row.
private struct StringMemo: Sendable {
    private var strings: [String] = []
    private var numbers: [UInt32] = []
    private var cursor = 0
    private var nextSlot = 0
    let depth: Int

    init(depth: Int) {
        self.depth = depth
    }

    @inline(__always)
    mutating func number(of string: String) -> UInt32? {
        let count = strings.count
        guard count > 0 else { return nil }
        if strings[cursor] == string { return numbers[cursor] }
        guard count > 1 else { return nil }
        var position = cursor + 1 == count ? 0 : cursor + 1
        for _ in 1..<count {
            if strings[position] == string {
                cursor = position
                return numbers[position]
            }
            position = position + 1 == count ? 0 : position + 1
        }
        return nil
    }

    mutating func remember(_ string: String, _ number: UInt32) {
        if strings.count < depth {
            strings.append(string)
            numbers.append(number)
            cursor = strings.count - 1
        } else {
            strings[nextSlot] = string
            numbers[nextSlot] = number
            cursor = nextSlot
            nextSlot = nextSlot + 1 == depth ? 0 : nextSlot + 1
        }
    }

    mutating func removeAll() {
        strings.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        cursor = 0
        nextSlot = 0
    }
}

/// ``StringMemo`` for strings given as bytes: it keeps the numbers only, and the caller
/// compares the bytes of a candidate number.
private struct BytesMemo: Sendable {
    private var numbers: [UInt32] = []
    private var cursor = 0
    private var nextSlot = 0
    let depth: Int

    init(depth: Int) {
        self.depth = depth
    }

    @inline(__always)
    mutating func number(matching matches: (UInt32) -> Bool) -> UInt32? {
        let count = numbers.count
        guard count > 0 else { return nil }
        if matches(numbers[cursor]) { return numbers[cursor] }
        guard count > 1 else { return nil }
        var position = cursor + 1 == count ? 0 : cursor + 1
        for _ in 1..<count {
            if matches(numbers[position]) {
                cursor = position
                return numbers[position]
            }
            position = position + 1 == count ? 0 : position + 1
        }
        return nil
    }

    mutating func remember(_ number: UInt32) {
        if numbers.count < depth {
            numbers.append(number)
            cursor = numbers.count - 1
        } else {
            numbers[nextSlot] = number
            cursor = nextSlot
            nextSlot = nextSlot + 1 == depth ? 0 : nextSlot + 1
        }
    }

    mutating func removeAll() {
        numbers.removeAll(keepingCapacity: true)
        cursor = 0
        nextSlot = 0
    }
}

/// Whether two byte ranges hold the same bytes.
@inline(__always)
private func bytesEqual(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
    guard left.count == right.count else { return false }
    guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
    return memcmp(leftBase, rightBase, left.count) == 0
}
