import CJansson
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

// The only file that imports CJansson (STYLE §5). Reference rules used below:
// - NEW references (`cjansson_loadb`) are released with `cjansson_decref` by a `defer` right
//   after the null check, so no path out of a function leaks or outlives them.
// - BORROWED references (`json_array_get`, `cjansson_object_iter_value`, iterator keys) belong
//   to their parent and are never released; they are read only while the root is alive.

extension JSONValue {
    /// jansson's decoding flags: `\u0000` inside strings is kept (Swift strings carry their
    /// length), and the top level must be an object or an array (the default; an API body or a
    /// JSON Lines record is never a bare scalar, and jansson's "'[' or '{' expected" says so).
    private static let decodingFlags = Int32(JSON_ALLOW_NUL)
    /// ``withFlatObject(_:_:)``'s: a record with a member twice is refused.
    private static let recordFlags = Int32(JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES)

    /// Parses a JSON document (an object or an array at the top level).
    ///
    /// The whole jansson tree is converted into a ``JSONValue`` and released before this returns.
    /// A leading UTF-8 byte-order mark is skipped.
    /// - Parameter bytes: The UTF-8 text, such as an HTTP response body.
    /// - Returns: The document.
    /// - Throws: ``JSONError`` with the line and column where parsing stopped; its ``JSONError/kind``
    ///   tells an empty body, an HTML page and a truncated body apart from a syntax error.
    public static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        try bytes.withUnsafeBytes { buffer in Result { () throws(JSONError) in try parse(buffer) } }.get()
    }

    /// Parses a JSON document held in a string, as the `[UInt8]` overload does.
    /// - Parameter text: The JSON text.
    /// - Returns: The document.
    /// - Throws: ``JSONError``.
    public static func parse(_ text: String) throws(JSONError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONError) in try parse(UnsafeRawBufferPointer(buffer)) }
        }.get()
    }

    /// Parses a JSON document from raw memory, as the `[UInt8]` overload does.
    /// - Parameter buffer: The UTF-8 text; only read during the call.
    /// - Returns: The document.
    /// - Throws: ``JSONError``.
    package static func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONError) -> JSONValue {
        let body = try checkedBody(buffer)
        // An API response is usually a few hundred bytes to a few kilobytes: its tree fits the
        // parse arena when this thread can claim it (see ParseArena and withFlatObject).
        let arena = ParseArena.claim()
        defer { if arena == .claimed { ParseArena.release() } }
        var error = json_error_t()
        // `body` is non-empty here (checkedBody refuses empty bodies), so it has an address.
        guard let base = body.buffer.baseAddress,
            let root = cjansson_loadb(base, body.buffer.count, decodingFlags, &error)
        else { throw JSONError(jansson: error, skipped: body.skipped) }
        // NEW reference from json_loadb; a tree wholly in the claimed arena goes with it.
        defer { if arena != .claimed || ParseArena.overflowed { cjansson_decref(root) } }
        return convert(root)
    }

    /// Parses one JSON object, typically a JSON Lines record, and lends `body` a view of its
    /// members without building a ``JSONValue`` tree: the fast path of the exec adapter.
    ///
    /// jansson allocates the tree from an arena (``ParseArena``) when the calling thread can
    /// claim it: a dozen or two small allocations per line cost a pointer bump each instead of
    /// a `malloc` and a `free`.
    ///
    /// The view and every string buffer it hands out point into jansson's tree, which is
    /// released when `body` returns: copy what you keep, and do not let the view escape.
    ///
    /// An object with the same member twice (`{"value":1,"value":2}`) is refused
    /// (``JSONError/Kind/duplicateMember``): jansson would keep the last one, and which of the
    /// two the writer meant cannot be told.
    /// - Parameters:
    ///   - bytes: The record's UTF-8 text; only read during the call.
    ///   - body: Reads the members.
    /// - Returns: What `body` returns.
    /// - Throws: ``JSONError``: a syntax error, or ``JSONError/Kind/notAnObject`` for an array.
    package static func withFlatObject<R>(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (borrowing FlatObjectView) -> R
    ) throws(JSONError) -> R {
        let checked = try checkedBody(bytes)
        // The tree lives in the parse arena when this thread can claim it, and is released
        // with it (see ParseArena).
        let arena = ParseArena.claim()
        defer { if arena == .claimed { ParseArena.release() } }
        var error = json_error_t()
        guard let base = checked.buffer.baseAddress,
            let root = cjansson_loadb(base, checked.buffer.count, recordFlags, &error)
        else { throw JSONError(jansson: error, skipped: checked.skipped) }
        // NEW reference from json_loadb. When this call claimed the arena and every node of the
        // tree is arena memory (the usual case: the arena holds a line of a few hundred
        // members), releasing the arena releases the tree whole and the walk of json_decref is
        // skipped; otherwise the tree is released as usual.
        defer { if arena != .claimed || ParseArena.overflowed { cjansson_decref(root) } }
        guard cjansson_is_object(root) != 0 else {
            throw JSONError(
                kind: .notAnObject,
                line: 1,
                column: 1,
                position: checked.skipped,
                text: "expected a JSON object, found an array"
            )
        }
        return body(FlatObjectView(object: root))
    }

    /// Skips a byte-order mark and recognises the bodies that are not JSON at all, before
    /// jansson gives them a less helpful message.
    private static func checkedBody(
        _ buffer: UnsafeRawBufferPointer
    ) throws(JSONError) -> (buffer: UnsafeRawBufferPointer, skipped: Int) {
        var skipped = 0
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { skipped = 3 }
        let body = UnsafeRawBufferPointer(rebasing: buffer[skipped...])
        guard let first = body.firstIndex(where: { !isJSONWhitespace($0) }) else {
            throw JSONError(
                kind: .empty,
                line: 1,
                column: 0,
                position: buffer.count,
                text: "the body is empty, not JSON (the server answered with nothing)"
            )
        }
        if body[first] == UInt8(ascii: "<") {
            var text = "the body is HTML, not JSON (an error page, a login page or an anti-bot challenge?)"
            if let title = htmlTitle(body), !title.isEmpty { text += ": \"\(title)\"" }
            throw JSONError(kind: .html, line: 1, column: 1, position: skipped + first, text: text)
        }
        return (body, skipped)
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The text of the first `<title>` of an HTML page, whitespace collapsed, at most 80 characters.
    private static func htmlTitle(_ body: UnsafeRawBufferPointer) -> String? {
        let open = Array("<title".utf8)
        let close = Array("</title".utf8)
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            guard body.count >= needle.count, start <= body.count - needle.count else { return nil }
            for index in start...(body.count - needle.count) {
                var matches = true
                for offset in needle.indices {
                    // ASCII case folding: <TITLE> and <title> are the same tag.
                    let byte = body[index + offset]
                    let lower = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                    if lower != needle[offset] {
                        matches = false
                        break
                    }
                }
                if matches { return index }
            }
            return nil
        }
        guard let tag = find(open, from: 0),
            let textStart = body[(tag + open.count)...].firstIndex(of: UInt8(ascii: ">")).map({ $0 + 1 }),
            let textEnd = find(close, from: textStart)
        else { return nil }
        let raw = String(decoding: UnsafeRawBufferPointer(rebasing: body[textStart..<textEnd]), as: UTF8.self)
        let words = raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        // Redacted before the cut, as a page may echo the request.
        return KnownSecrets.excerpt(words, limit: 80)
    }

    // MARK: - Conversion

    /// Converts a jansson value (BORROWED, or the root while its owner keeps it alive) and
    /// everything under it. Recursion depth is bounded by jansson's parser (2048 levels).
    fileprivate static func convert(_ json: UnsafeMutablePointer<json_t>) -> JSONValue {
        switch cjansson_typeof(json) {
        case JSON_OBJECT:
            var members: [JSONMember] = []
            members.reserveCapacity(json_object_size(json))
            var iterator = cjansson_object_iter(json)
            while let current = iterator {
                let key = string(cjansson_object_iter_key(current), length: cjansson_object_iter_key_len(current))
                members.append(JSONMember(key, convert(cjansson_object_iter_value(current))))  // BORROWED value
                iterator = cjansson_object_iter_next(json, current)
            }
            return .object(members)
        case JSON_ARRAY:
            let count = json_array_size(json)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for index in 0..<count {
                // BORROWED; never nil for an index below json_array_size.
                guard let element = json_array_get(json, index) else { continue }
                elements.append(convert(element))
            }
            return .array(elements)
        case JSON_STRING:
            return .string(stringValue(json))
        case JSON_INTEGER:
            return .integer(Int64(json_integer_value(json)))
        case JSON_REAL:
            return .real(json_real_value(json))
        case JSON_TRUE:
            return .bool(true)
        case JSON_FALSE:
            return .bool(false)
        default:
            return .null
        }
    }

    /// A copy of a jansson string value, with its length: it may contain NUL bytes.
    fileprivate static func stringValue(_ json: UnsafeMutablePointer<json_t>) -> String {
        guard let pointer = json_string_value(json) else { return "" }
        return string(pointer, length: json_string_length(json))
    }

    /// A copy of `length` bytes of UTF-8 (jansson validated them while parsing).
    private static func string(_ pointer: UnsafePointer<CChar>, length: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}

// MARK: - Flat objects

/// A scalar member of a ``FlatObjectView``. String bytes point into jansson's tree and are
/// valid only inside the `withFlatObject` call that produced them.
package enum FlatValue {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer (64-bit).
    case integer(Int64)
    /// A number with a fraction or exponent.
    case real(Double)
    /// A string's UTF-8 bytes, with its exact length (it may contain NUL).
    case string(UnsafeRawBufferPointer)
    /// A nested array, not converted; ``FlatObjectView/value(forKey:)`` converts it on demand.
    case array
    /// A nested object, not converted; ``FlatObjectView/value(forKey:)`` converts it on demand.
    case object

    /// The JSON type name, for error messages: `string`, `integer`, ….
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .real: "real"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// The members of one parsed JSON object, read straight from jansson's tree.
///
/// Only ``JSONValue/withFlatObject(_:_:)`` creates one, and it is valid only inside that call.
package struct FlatObjectView: ~Copyable {
    /// The object; BORROWED from the root that `withFlatObject` owns and releases.
    private let object: UnsafeMutablePointer<json_t>

    fileprivate init(object: UnsafeMutablePointer<json_t>) {
        self.object = object
    }

    /// The number of members.
    package var count: Int { json_object_size(object) }

    /// Calls `body` with each member's key bytes and scalar value, in document order.
    package func forEachMember(_ body: (_ key: UnsafeRawBufferPointer, _ value: FlatValue) -> Void) {
        var iterator = cjansson_object_iter(object)
        while let current = iterator {
            let key = UnsafeRawBufferPointer(
                start: cjansson_object_iter_key(current),
                count: cjansson_object_iter_key_len(current)
            )
            body(key, Self.flatValue(cjansson_object_iter_value(current)))  // BORROWED value
            iterator = cjansson_object_iter_next(object, current)
        }
    }

    /// The member `key`, converted in full (nested arrays and objects included); nil when absent.
    package func value(forKey key: String) -> JSONValue? {
        var key = key
        let member = key.withUTF8 { bytes in
            json_object_getn(
                object,
                UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                bytes.count
            )
        }
        return member.map(JSONValue.convert)  // BORROWED value
    }

    private static func flatValue(_ json: UnsafeMutablePointer<json_t>) -> FlatValue {
        switch cjansson_typeof(json) {
        case JSON_STRING:
            guard let pointer = json_string_value(json) else {
                return .string(UnsafeRawBufferPointer(start: nil, count: 0))
            }
            return .string(UnsafeRawBufferPointer(start: pointer, count: json_string_length(json)))
        case JSON_INTEGER: return .integer(Int64(json_integer_value(json)))
        case JSON_REAL: return .real(json_real_value(json))
        case JSON_TRUE: return .bool(true)
        case JSON_FALSE: return .bool(false)
        case JSON_ARRAY: return .array
        case JSON_OBJECT: return .object
        default: return .null
        }
    }
}

// MARK: - Parse arena

/// A bump allocator that jansson allocates from while ``JSONValue/withFlatObject(_:_:)`` parses
/// a line or ``JSONValue/parse(_:)`` a response; everything is released at
/// once when the call ends.
///
/// One block serves one thread at a time: the thread that claims it (the exec adapter's reader
/// thread, or whichever pool thread parses a response); a call on another thread meanwhile
/// parses with `malloc` as usual.
/// jansson's allocator is process-wide (`json_set_alloc_funcs`), so the functions installed here
/// serve every thread: an allocation goes to the block only on the claiming thread and only
/// when it fits, else to `malloc`; a `free` of a pointer inside the block is a no-op, any other
/// pointer goes to `free`. A tree built in the block never leaves the call that built it (the
/// view and its buffers do not escape; ``FlatObjectView/value(forKey:)`` converts to Swift
/// values), so no pointer into the block is used after the block is reset.
///
/// The state is in file-level globals, not thread-local storage: the allocation functions run
/// for every jansson allocation of the process, and a global costs a plain load where a
/// thread-local lookup costs a call. Only the claiming thread writes the block's state; other
/// threads read the owner and the block's address (both atomics; the address is written once,
/// before the first claim's first allocation), and either value they may see sends them to
/// `malloc`/`free`.
private enum ParseArena {
    /// The block's size: a line of an exec command or a typical API response is a few hundred
    /// bytes to a few kilobytes of JSON; a larger tree spills over to `malloc`.
    static let blockSize = 1 << 16

    /// What ``claim()`` got.
    enum Claim {
        /// This call owns the block and must ``release()`` it.
        case claimed
        /// An outer call on this thread owns it: allocations go to it, the outer call resets it.
        case nested
        /// Another thread owns it: this call allocates with `malloc`.
        case unavailable
    }

    /// Claims the block for the calling thread.
    static func claim() -> Claim {
        let me = UInt(pthread_self())
        if parseArenaOwner.load(ordering: .relaxed) == me { return .nested }
        guard parseArenaOwner.compareExchange(expected: 0, desired: me, ordering: .acquiring).exchanged else {
            return .unavailable
        }
        if parseArenaBase.load(ordering: .relaxed) == 0 {
            let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
            parseArenaBase.store(UInt(bitPattern: block), ordering: .releasing)
            // Installed once, by the first claim, before any allocation from the block.
            json_set_alloc_funcs(parseArenaAllocate, parseArenaFree)
        }
        parseArenaOverflowed = false
        return .claimed
    }

    /// Whether an allocation did not fit since the claim and went to `malloc`.
    static var overflowed: Bool { parseArenaOverflowed }

    /// Takes every byte of the block back and gives up the claim.
    static func release() {
        parseArenaUsed = 0
        parseArenaOwner.store(0, ordering: .releasing)
    }
}

/// The thread (`pthread_self`) that owns the parse arena, or 0.
private let parseArenaOwner = Atomic<UInt>(0)
/// The address of the arena's block (0 before the first claim), allocated by the first claim
/// and kept for the life of the process. Atomic because every thread's `free` reads it while
/// the first claim may write it; a relaxed load is a plain load on the hardware we run on.
private let parseArenaBase = Atomic<UInt>(0)
/// Bytes of the block handed out since the claim.
nonisolated(unsafe) private var parseArenaUsed = 0
/// An allocation of the owner did not fit the block since the claim.
nonisolated(unsafe) private var parseArenaOverflowed = false

/// jansson's `malloc`: from the parse arena on the thread that owns it, else `malloc`.
private func parseArenaAllocate(_ size: Int) -> UnsafeMutableRawPointer? {
    if let base = UnsafeMutableRawPointer(bitPattern: parseArenaBase.load(ordering: .relaxed)),
        parseArenaOwner.load(ordering: .relaxed) == UInt(pthread_self())
    {
        // 16-byte alignment, as malloc gives.
        let rounded = (size &+ 15) & ~15
        let used = parseArenaUsed
        if rounded <= ParseArena.blockSize &- used {
            parseArenaUsed = used &+ rounded
            return base + used
        }
        parseArenaOverflowed = true
    }
    return malloc(size)
}

/// jansson's `free`: nothing for a pointer into the parse arena (it is reset whole), else `free`.
private func parseArenaFree(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    let base = parseArenaBase.load(ordering: .relaxed)
    if base != 0, UInt(bitPattern: pointer) &- base < UInt(ParseArena.blockSize) { return }
    free(pointer)
}

// MARK: - Errors

extension JSONError {
    /// Translates jansson's error record. `skipped` bytes (a byte-order mark) were not shown to jansson.
    fileprivate init(jansson error: json_error_t, skipped: Int) {
        var error = error
        let text = withUnsafeBytes(of: &error.text) { raw in
            // The last byte of `text` holds the error code; the message ends at the first NUL before it.
            let message = raw.prefix(Int(JSON_ERROR_TEXT_LENGTH) - 1)
            let end = message.firstIndex(of: 0) ?? message.endIndex
            return String(decoding: UnsafeRawBufferPointer(rebasing: message[..<end]), as: UTF8.self)
        }
        let position = Int(error.position) + skipped
        let code = cjansson_error_code(&error)
        if code == json_error_premature_end_of_input {
            self.init(
                kind: .truncated,
                line: Int(error.line),
                column: Int(error.column),
                position: position,
                text: "the JSON ends early, after \(position) bytes (a truncated response?)"
            )
        } else if code == json_error_duplicate_key {
            self.init(
                kind: .duplicateMember,
                line: Int(error.line),
                column: Int(error.column),
                position: position,
                text: "an object has the same member twice"
            )
        } else {
            self.init(
                kind: .syntax,
                line: Int(error.line),
                column: Int(error.column),
                position: position,
                text: Self.redactingStringLexeme(text)
            )
        }
    }

    /// jansson quotes the lexeme it stopped at (`near '…'`). Only punctuation and numbers are
    /// kept; anything else may be a token, a cookie or a secret from the body, quoted
    /// (`"s3cr3t"`) or bare (`{"access_token":s3cr3t}`), so only its kind is named: `near a
    /// string`, `near a word`.
    private static func redactingStringLexeme(_ text: String) -> String {
        let marker = Array(" near '".utf8)
        let bytes = Array(text.utf8)
        guard bytes.count >= marker.count else { return text }
        for start in 0...(bytes.count - marker.count) where bytes[start..<start + marker.count].elementsEqual(marker) {
            // The lexeme runs to the closing quote, the last byte (it may itself hold quotes), or
            // to the end should the message have been cut short.
            var lexeme = bytes[(start + marker.count)...]
            if lexeme.last == UInt8(ascii: "'") { lexeme = lexeme.dropLast() }
            if Self.isShowable(lexeme) { return text }
            let kind = lexeme.first == UInt8(ascii: "\"") ? "a string" : "a word"
            return String(decoding: bytes[..<start], as: UTF8.self) + " near " + kind
        }
        return text
    }

    /// Whether a lexeme is safe to quote: one punctuation character, or a number (a sign,
    /// digits, a point and an exponent: `-12.5e3`, `9223372036854775808`).
    private static func isShowable(_ lexeme: ArraySlice<UInt8>) -> Bool {
        if lexeme.count == 1, let byte = lexeme.first, (0x21...0x7E).contains(byte),
            !Self.isWordByte(byte), byte != UInt8(ascii: "\"")
        {
            return true
        }
        guard let first = lexeme.first, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) else {
            return false
        }
        return lexeme.allSatisfy { byte in
            (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
