#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The text encodings export files come in (PLATFORMS.md §1.8, §10 "Parsing").
package enum TextEncoding: String, Sendable, Hashable {
    /// UTF-8, with or without a byte order mark.
    case utf8 = "UTF-8"
    /// UTF-16 little-endian with a byte order mark: Excel's "Unicode text" (tab-separated).
    case utf16LittleEndian = "UTF-16LE"
    /// UTF-16 big-endian with a byte order mark.
    case utf16BigEndian = "UTF-16BE"
    /// GB18030 (and so GBK and GB2312): what Chinese Excel writes for "CSV".
    case gb18030 = "GB18030"
}

/// Reads a text file piece by piece and hands it on as UTF-8, whatever its encoding, so that a
/// 200 MB export never sits in memory whole.
///
/// The encoding is decided the way third-party importers try it (PLATFORMS.md §1.8): a UTF-8 or
/// UTF-16 byte order mark first; otherwise the bytes pass through untouched while they are
/// ASCII (the same in UTF-8 and GB18030), and the first non-ASCII byte decides, on the rest of
/// that piece: it is UTF-8 when it is valid UTF-8 (a sequence cut off by the end of the file
/// included: a download cut short inside a character), or when its valid multi-byte sequences
/// outnumber its invalid bytes by ``utf8Majority`` to one (a UTF-8 file with a stray byte);
/// else the file is GB18030 and goes through iconv. Export headers are Chinese, so the
/// decision falls on the header row, long before any data.
///
/// Bytes that are not valid text in the file's encoding are handed on as U+FFFD, the
/// replacement character, and counted (``invalidSequences``, ``firstInvalidOffset``), so that
/// the import can report them by line and refuse an id that holds one; a sequence cut off by
/// the end of the file is not counted: the row it ends is cut short, and reported as such.
package final class TextReader {
    private enum Source {
        case file(Int32)
        case memory([UInt8], offset: Int)
    }

    private enum State {
        case start, undecided, utf8, utf16(bigEndian: Bool), gb18030
    }

    /// The file, for messages.
    package let name: String
    private var source: Source
    private var state = State.start
    private var raw: [UInt8] = []
    private var scratch: [UInt8] = []
    private var converter: iconv_t?
    private var sourceExhausted = false
    private let chunkSize: Int

    /// Whether the file began with a byte order mark.
    package private(set) var hadByteOrderMark = false

    /// How many byte sequences were not valid text in the file's encoding, and were handed on
    /// as U+FFFD; a sequence cut off by the end of the file is not one of them.
    package private(set) var invalidSequences = 0

    /// Where in the UTF-8 text handed on (counted from its first byte) the first invalid
    /// sequence's U+FFFD stands, if there was one.
    package private(set) var firstInvalidOffset: Int?

    /// How many bytes of UTF-8 text have been handed on before the current ``read(appendingTo:)``.
    private var delivered = 0
    private var outputBase = 0

    /// A piece without a byte order mark whose invalid bytes are this many times fewer than its
    /// valid multi-byte UTF-8 sequences is UTF-8 with a few damaged bytes. GB18030 Chinese text
    /// read as UTF-8 has some four invalid bytes for every sequence that passes by chance.
    package static let utf8Majority = 4

    /// Opens `path` for reading; `chunkSize` is how many bytes one read takes (tests use tiny ones).
    package init(path: String, chunkSize: Int = 1 << 20) throws(ImportError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImportError.unreadable(path, operation: "open", errno: errno) }
        self.name = path
        self.source = .file(fd)
        self.chunkSize = max(1, chunkSize)
    }

    /// Reads from bytes already in memory (tests, small parts of a workbook).
    package init(bytes: [UInt8], name: String, chunkSize: Int = 1 << 20) {
        self.name = name
        self.source = .memory(bytes, offset: 0)
        self.chunkSize = max(1, chunkSize)
    }

    deinit {
        if case .file(let fd) = source { close(fd) }
        if let converter { iconv_close(converter) }
    }

    /// The encoding, once decided; a file that is ASCII to its end counts as UTF-8.
    package var encoding: TextEncoding? {
        switch state {
        case .start, .undecided: sourceExhausted && raw.isEmpty ? .utf8 : nil
        case .utf8: .utf8
        case .utf16(let bigEndian): bigEndian ? .utf16BigEndian : .utf16LittleEndian
        case .gb18030: .gb18030
        }
    }

    /// Appends the next piece of the text, as UTF-8, to `output`.
    ///
    /// - Returns: false when the file is exhausted and nothing was appended.
    package func read(appendingTo output: inout [UInt8]) throws(ImportError) -> Bool {
        let before = output.count
        // The stream offset of `output[0]`, for ``firstInvalidOffset``.
        outputBase = delivered - before
        defer { delivered += output.count - before }
        while output.count == before {
            if sourceExhausted && raw.isEmpty { return false }
            if !sourceExhausted { try readRaw() }
            switch state {
            case .start:
                guard raw.count >= 3 || sourceExhausted else { continue }
                detectByteOrderMark()
            case .undecided:
                try passASCII(into: &output)
            case .utf8:
                passUTF8(into: &output)
            case .utf16(let bigEndian):
                decodeUTF16(bigEndian: bigEndian, into: &output)
            case .gb18030:
                convertGB18030(into: &output)
            }
        }
        return true
    }

    // MARK: - Reading

    private func readRaw() throws(ImportError) {
        switch source {
        case .memory(let bytes, let offset):
            let end = min(bytes.count, offset + chunkSize)
            raw.append(contentsOf: bytes[offset..<end])
            source = .memory(bytes, offset: end)
            if end == bytes.count { sourceExhausted = true }
        case .file(let fd):
            let count: Int
            do throws(StorageError) {
                count = try FileSystem.readChunk(fd, appendingTo: &raw, upTo: chunkSize, path: name)
            } catch {
                throw ImportError.unreadable(name, operation: "read", errno: error.errno ?? EIO)
            }
            if count == 0 { sourceExhausted = true }
        }
    }

    // MARK: - Detection

    private func detectByteOrderMark() {
        if raw.starts(with: [0xEF, 0xBB, 0xBF]) {
            raw.removeFirst(3)
            state = .utf8
            hadByteOrderMark = true
        } else if raw.starts(with: [0xFF, 0xFE]) {
            raw.removeFirst(2)
            state = .utf16(bigEndian: false)
            hadByteOrderMark = true
        } else if raw.starts(with: [0xFE, 0xFF]) {
            raw.removeFirst(2)
            state = .utf16(bigEndian: true)
            hadByteOrderMark = true
        } else {
            state = .undecided
        }
    }

    /// Hands on ASCII as it is, and decides the encoding at the first byte that is not ASCII.
    private func passASCII(into output: inout [UInt8]) throws(ImportError) {
        guard let first = raw.firstIndex(where: { $0 >= 0x80 }) else {
            output.append(contentsOf: raw)
            raw.removeAll(keepingCapacity: true)
            return
        }
        if first > 0 {
            output.append(contentsOf: raw[..<first])
            raw.removeFirst(first)
        }
        // Look far enough ahead that a GB18030 pair cannot pass for UTF-8 by chance.
        guard raw.count >= 256 || sourceExhausted else { return }
        let evidence = raw.withUnsafeBufferPointer { TextReader.utf8Evidence($0) }
        if evidence.invalid == 0 || evidence.sequences >= TextReader.utf8Majority * evidence.invalid {
            state = .utf8
        } else {
            guard let converter = iconv_open("UTF-8", "GB18030"), Int(bitPattern: converter) != -1 else {
                throw ImportError.malformed(
                    name,
                    line: nil,
                    "the file is neither UTF-8 nor UTF-16, and this system's iconv cannot read GB18030; "
                        + "save it as UTF-8 CSV and import that file"
                )
            }
            self.converter = converter
            state = .gb18030
        }
    }

    /// Whether `bytes` are well-formed UTF-8 (no overlong forms, no surrogates); with
    /// `allowingTruncatedEnd`, a sequence cut off by the end of the buffer is accepted.
    package static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, allowingTruncatedEnd: Bool) -> Bool {
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            if length < 0 { return false }
            if length == 0 { return allowingTruncatedEnd }
            index += length
        }
        return true
    }

    /// How much of `bytes` speaks for UTF-8: its valid multi-byte sequences, and its bytes that
    /// begin no valid sequence. A sequence cut off by the end of the buffer is neither.
    package static func utf8Evidence(_ bytes: UnsafeBufferPointer<UInt8>) -> (sequences: Int, invalid: Int) {
        var sequences = 0
        var invalid = 0
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            if length == 0 { break }
            if length < 0 {
                invalid += 1
                index += 1
                continue
            }
            if length > 1 { sequences += 1 }
            index += length
        }
        return (sequences, invalid)
    }

    /// The length of the well-formed UTF-8 sequence at `index` (1 to 4); 0 when the buffer ends
    /// inside it, -1 when the byte at `index` begins no well-formed sequence.
    @inline(__always)
    private static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return -1
        }
        for offset in 1..<length {
            guard index + offset < bytes.count else { return 0 }
            let byte = bytes[index + offset]
            let range = offset == 1 ? low...high : 0x80...0xBF
            guard range.contains(byte) else { return -1 }
        }
        return length
    }

    // MARK: - Conversion

    /// Hands on the UTF-8 of `raw`, each byte that begins no valid sequence as U+FFFD; a
    /// sequence cut off by the end of the piece waits for the next one.
    private func passUTF8(into output: inout [UInt8]) {
        var index = 0
        raw.withUnsafeBufferPointer { bytes in
            var validStart = 0
            // ASCII runs are the bulk of an export: skip them eight bytes at a time, then byte
            // by byte, without the sequence switch.
            let base = UnsafeRawPointer(bytes.baseAddress)
            while index < bytes.count {
                if let base {
                    while index + 8 <= bytes.count,
                        base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                    {
                        index += 8
                    }
                    if index == bytes.count { break }
                }
                if bytes[index] < 0x80 {
                    index += 1
                    continue
                }
                let length = TextReader.sequenceLength(bytes, at: index)
                if length > 0 {
                    index += length
                    continue
                }
                output.append(contentsOf: bytes[validStart..<index])
                if length == 0 && !sourceExhausted {
                    validStart = index
                    break  // the rest of the sequence is in the next piece
                }
                // A sequence cut off by the end of the file is no damage of its own: the row it
                // ends has no line end and is reported as cut short.
                if length < 0 { noteInvalid(at: output.count) }
                output.append(contentsOf: TextReader.replacement)
                index = length == 0 ? bytes.count : index + 1
                validStart = index
            }
            if validStart < index { output.append(contentsOf: bytes[validStart..<index]) }
        }
        raw.removeFirst(index)
    }

    /// U+FFFD, the replacement character, in UTF-8.
    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Counts an invalid sequence whose U+FFFD starts at `position` of this read's output.
    private func noteInvalid(at position: Int) {
        invalidSequences += 1
        if firstInvalidOffset == nil { firstInvalidOffset = outputBase + position }
    }

    private func decodeUTF16(bigEndian: Bool, into output: inout [UInt8]) {
        var index = 0
        let count = raw.count
        output.reserveCapacity(output.count + count * 3 / 2)
        func unit(at position: Int) -> UInt32 {
            bigEndian
                ? UInt32(raw[position]) << 8 | UInt32(raw[position + 1])
                : UInt32(raw[position + 1]) << 8 | UInt32(raw[position])
        }
        while index + 1 < count {
            var scalar = unit(at: index)
            var width = 2
            if (0xD800...0xDBFF).contains(scalar) {
                if index + 3 < count {
                    let low = unit(at: index + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        width = 4
                    } else {
                        scalar = 0xFFFD
                        noteInvalid(at: output.count)
                    }
                } else if !sourceExhausted {
                    break  // the low surrogate is in the next piece
                } else {
                    scalar = 0xFFFD  // cut off by the end of the file
                }
            } else if (0xDC00...0xDFFF).contains(scalar) {
                scalar = 0xFFFD
                noteInvalid(at: output.count)
            }
            TextReader.appendUTF8(scalar, to: &output)
            index += width
        }
        raw.removeFirst(index)
        if sourceExhausted && !raw.isEmpty {
            TextReader.appendUTF8(0xFFFD, to: &output)
            raw.removeAll()
        }
    }

    private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private func convertGB18030(into output: inout [UInt8]) {
        guard let converter, !raw.isEmpty else { return }
        // GB18030 never takes more than 3 UTF-8 bytes for 2 input bytes, nor 4 for 4.
        let capacity = raw.count * 2 + 16
        if scratch.count < capacity { scratch = [UInt8](repeating: 0, count: capacity) }
        var consumed = 0
        var produced = 0
        raw.withUnsafeMutableBytes { input in
            scratch.withUnsafeMutableBytes { out in
                // Both buffers are non-empty (guarded above), and iconv only advances the pointers.
                var inPointer: UnsafeMutablePointer<CChar>? = input.baseAddress!.assumingMemoryBound(to: CChar.self)
                var inLeft = input.count
                var outPointer: UnsafeMutablePointer<CChar>? = out.baseAddress!.assumingMemoryBound(to: CChar.self)
                var outLeft = out.count
                while inLeft > 0 {
                    if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 { break }
                    let code = errno
                    if code == EILSEQ || (code == EINVAL && sourceExhausted) {
                        // Not GB18030 here (or cut off at the end): mark it and go on.
                        guard outLeft >= 3 else { break }
                        if code == EILSEQ { noteInvalid(at: output.count + out.count - outLeft) }
                        for byte: UInt8 in [0xEF, 0xBF, 0xBD] {
                            outPointer!.pointee = CChar(bitPattern: byte)
                            outPointer! += 1
                        }
                        outLeft -= 3
                        inPointer! += 1
                        inLeft -= 1
                    } else {
                        break  // EINVAL: the sequence continues in the next piece
                    }
                }
                consumed = input.count - inLeft
                produced = out.count - outLeft
            }
        }
        output.append(contentsOf: scratch[0..<produced])
        raw.removeFirst(consumed)
    }
}
