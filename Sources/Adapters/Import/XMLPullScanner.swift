import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A small pull scanner for the XML parts of an `.xlsx` workbook: start tags with their
/// attributes, end tags and text, read a chunk at a time so that a large sheet never becomes a
/// tree in memory.
///
/// It knows what SpreadsheetML needs and no more: namespace prefixes are dropped from element
/// names, the five predefined entities and character references are decoded, CDATA is text,
/// comments, processing instructions and the DOCTYPE are skipped. It does not validate.
struct XMLPullScanner {
    /// One step through the document.
    enum Event: Hashable {
        /// `<name a="1">` or `<name/>`.
        case start(XMLStartTag)
        /// `</name>`; the name without its prefix.
        case end(String)
        /// Character data, decoded.
        case text(String)
    }

    private final class FileSource {
        let fd: Int32
        init(fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }

    private let name: String
    private var buffer: [UInt8]
    private var position = 0
    private var file: FileSource?
    private var exhausted: Bool
    private let chunkSize = 1 << 18

    /// Scans a part already in memory.
    init(bytes: [UInt8], name: String) {
        self.name = name
        self.buffer = bytes
        self.exhausted = true
    }

    /// Scans a file descriptor positioned at the start of a part; the scanner closes it.
    init(fileDescriptor: Int32, name: String) {
        self.name = name
        self.buffer = []
        self.file = FileSource(fd: fileDescriptor)
        self.exhausted = false
    }

    /// The next event, or nil at the end of the document.
    mutating func next() throws(ImportError) -> Event? {
        while true {
            if position == buffer.count {
                if exhausted { return nil }
                try refill()
                continue
            }
            if buffer[position] == UInt8(ascii: "<") {
                if let event = try markup() { return event }
            } else if let text = try characterData() {
                return .text(text)
            }
        }
    }

    // MARK: - Markup

    /// Reads the markup at `position`; nil when it was skipped (comment, declaration).
    private mutating func markup() throws(ImportError) -> Event? {
        while buffer.count - position < 9 && !exhausted { try refill() }
        if hasPrefix("<!--") {
            try skip(past: Array("-->".utf8))
            return nil
        }
        if hasPrefix("<![CDATA[") {
            let end = try find(Array("]]>".utf8), from: position + 9)
            let start = position + 9  // after find, which may have moved the buffer
            let text = String(decoding: buffer[start..<end], as: UTF8.self)
            position = end + 3
            return .text(text)
        }
        if hasPrefix("<?") {
            try skip(past: Array("?>".utf8))
            return nil
        }
        if hasPrefix("<!") {
            try skip(past: [UInt8(ascii: ">")])
            return nil
        }
        let close = try tagEnd()
        defer { position = close + 1 }
        var index = position + 1
        if buffer[index] == UInt8(ascii: "/") {
            index += 1
            var end = close
            while end > index, isSpace(buffer[end - 1]) { end -= 1 }
            return .end(localName(buffer[index..<end]))
        }
        var end = close
        let selfClosing = buffer[close - 1] == UInt8(ascii: "/")
        if selfClosing { end -= 1 }
        let nameStart = index
        while index < end, !isSpace(buffer[index]) { index += 1 }
        let tagName = localName(buffer[nameStart..<index])
        var attributes: [XMLAttribute] = []
        while index < end {
            while index < end, isSpace(buffer[index]) { index += 1 }
            let attributeStart = index
            while index < end, buffer[index] != UInt8(ascii: "="), !isSpace(buffer[index]) { index += 1 }
            let attributeName = String(decoding: buffer[attributeStart..<index], as: UTF8.self)
            while index < end, buffer[index] != UInt8(ascii: "\""), buffer[index] != UInt8(ascii: "'") { index += 1 }
            guard index < end else { break }
            let quote = buffer[index]
            index += 1
            let valueStart = index
            while index < end, buffer[index] != quote { index += 1 }
            if !attributeName.isEmpty {
                attributes.append(XMLAttribute(name: attributeName, value: decode(buffer[valueStart..<index])))
            }
            index += 1
        }
        return .start(XMLStartTag(name: tagName, attributes: attributes, isSelfClosing: selfClosing))
    }

    /// The index of the `>` closing the tag at `position`, skipping quoted attribute values.
    private mutating func tagEnd() throws(ImportError) -> Int {
        while true {
            var index = position + 1
            var quote: UInt8 = 0
            while index < buffer.count {
                let byte = buffer[index]
                if quote != 0 {
                    if byte == quote { quote = 0 }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    return index
                }
                index += 1
            }
            guard !exhausted else { throw truncated() }
            try refill()
        }
    }

    private mutating func characterData() throws(ImportError) -> String? {
        while true {
            if let end = buffer[position...].firstIndex(of: UInt8(ascii: "<")) {
                defer { position = end }
                return decode(buffer[position..<end])
            }
            if exhausted {
                defer { position = buffer.count }
                return decode(buffer[position...])
            }
            try refill()
        }
    }

    private func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard position + count <= buffer.count else { return false }
        return prefix.withUTF8Buffer { prefixBytes in
            buffer[position..<position + count].elementsEqual(prefixBytes)
        }
    }

    private mutating func find(_ needle: [UInt8], from start: Int) throws(ImportError) -> Int {
        var searchFrom = start
        while true {
            if buffer.count >= needle.count {
                var index = searchFrom
                while index + needle.count <= buffer.count {
                    if buffer[index] == needle[0] && buffer[index..<index + needle.count].elementsEqual(needle) {
                        return index
                    }
                    index += 1
                }
                searchFrom = max(searchFrom, buffer.count - needle.count + 1)
            }
            guard !exhausted else { throw truncated() }
            let shift = position
            try refill()
            searchFrom -= shift
        }
    }

    private mutating func skip(past needle: [UInt8]) throws(ImportError) {
        let index = try find(needle, from: position + 1)
        position = index + needle.count
    }

    // MARK: - Input

    /// Moves the unread bytes to the front of the buffer and appends the next chunk.
    private mutating func refill() throws(ImportError) {
        guard let file else {
            exhausted = true
            return
        }
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let count: Int
        do throws(StorageError) {
            count = try FileSystem.readChunk(file.fd, appendingTo: &buffer, upTo: chunkSize, path: name)
        } catch {
            throw ImportError.unreadable(name, operation: "read", errno: error.errno ?? EIO)
        }
        if count == 0 { exhausted = true }
    }

    private func truncated() -> ImportError {
        ImportError.damagedArchive(name, "a sheet part ends in the middle of a tag")
    }

    // MARK: - Text

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func localName(_ bytes: ArraySlice<UInt8>) -> String {
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) {
            return String(decoding: bytes[(colon + 1)...], as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes the predefined entities and character references of `bytes`.
    private func decode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "&"),
                let semicolon = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";"))
            else {
                output.append(byte)
                index += 1
                continue
            }
            let entity = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch entity {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
            }
            if let scalar {
                output.append(contentsOf: String(Character(scalar)).utf8)
                index = semicolon + 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// A start tag: its name without the namespace prefix, and its attributes.
struct XMLStartTag: Hashable {
    /// The element's local name (`c` for `<x:c>`).
    var name: String
    /// The attributes in document order.
    var attributes: [XMLAttribute]
    /// Whether the tag was `<name/>`.
    var isSelfClosing: Bool

    /// The value of the attribute whose local name is `localName` (`id` finds `r:id`).
    func attribute(_ localName: String) -> String? {
        for attribute in attributes where attribute.localName == localName { return attribute.value }
        return nil
    }
}

/// An attribute of a start tag.
struct XMLAttribute: Hashable {
    /// The name as written, prefix included.
    var name: String
    /// The value, decoded.
    var value: String

    /// The name without its namespace prefix.
    var localName: Substring {
        if let colon = name.lastIndex(of: ":") { return name[name.index(after: colon)...] }
        return name[...]
    }
}
