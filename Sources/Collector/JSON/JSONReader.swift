/// Typed access to a parsed response by field path, for adapters: every failure is a
/// ``JSONFieldError`` that names the full path and the response it came from.
///
/// Paths are member names joined by dots, with `[n]` for array elements: `data.follower`,
/// `data.list[0].bvid`, `[2].id` for an array at the top. A reader from ``array(_:)`` or
/// ``child(_:)`` remembers where it sits, so its errors still show the full path:
///
/// ```swift
/// let response = JSONReader(try JSONValue.parse(body), origin: "bilibili /x/space/arc/search")
/// for video in try response.array("data.list.vlist") {
///     let views = try video.int64("play")   // error: field "data.list.vlist[3].play" is missing …
/// }
/// ```
///
/// Member names containing `.` or `[` cannot be addressed by a path; use ``value(_:)`` on the
/// parent and subscript the ``JSONValue`` by key.
public struct JSONReader: Sendable {
    /// The value this reader looks at.
    public let root: JSONValue
    /// The response it came from, such as `bilibili /x/relation/stat`.
    public let origin: String
    /// Where ``root`` sits in the response: empty for the whole response, else a path such as
    /// `data.list[3]`.
    public var basePath: String {
        guard let elementIndex else { return parentPath }
        return "\(parentPath)[\(elementIndex)]"
    }

    /// ``basePath``, kept in parts so that reading a list does not render a path per element;
    /// only messages need it whole.
    private let parentPath: String
    private let elementIndex: Int?

    /// Creates a reader over a whole response.
    /// - Parameters:
    ///   - value: The parsed response.
    ///   - origin: The platform and endpoint, for errors: `bilibili /x/relation/stat`. Never a URL
    ///     with its query string (it may carry a token).
    public init(_ value: JSONValue, origin: String) {
        self.init(value, origin: origin, basePath: "")
    }

    private init(_ value: JSONValue, origin: String, basePath: String, elementIndex: Int? = nil) {
        self.root = value
        self.origin = origin
        self.parentPath = basePath
        self.elementIndex = elementIndex
    }

    /// The full path of `field` of this reader, for messages: `data.list[3].play` for `play`.
    /// - Parameter field: A path relative to this reader.
    public func path(_ field: String) -> String {
        Self.join(basePath, field)
    }

    // MARK: - Typed access

    /// An integer field. JSON integers, reals without a fraction and strings of plain decimal
    /// digits (Douyin's `"214"`) are accepted; display strings such as `"1.2万"` are not.
    /// - Parameter path: The field path, such as `data.follower`.
    /// - Returns: The integer.
    /// - Throws: ``JSONFieldError`` when the field is missing, `null`, of another type or out of range.
    public func int64(_ path: String) throws(JSONFieldError) -> Int64 {
        let value = try find(path)
        return try integer(value, at: path)
    }

    /// An integer field that may be absent or `null`; see ``int64(_:)``.
    /// - Parameter path: The field path.
    /// - Returns: The integer, or nil when the field (or an object on its path) is absent or `null`.
    /// - Throws: ``JSONFieldError`` when the field is present with another type or out of range.
    public func optionalInt64(_ path: String) throws(JSONFieldError) -> Int64? {
        guard let value = try findOptional(path) else { return nil }
        return try integer(value, at: path)
    }

    /// A number field, integer or real (a rate, a duration); strings are not accepted.
    /// - Parameter path: The field path.
    /// - Returns: The number.
    /// - Throws: ``JSONFieldError`` when the field is missing or not a number.
    public func double(_ path: String) throws(JSONFieldError) -> Double {
        let value = try find(path)
        guard let number = value.doubleValue else { throw wrongType(value, expected: "a number", at: path) }
        return number
    }

    /// A string field. A JSON integer is accepted too and rendered in decimal, since platforms
    /// send the same id as a number in one response and as a string in another.
    /// - Parameter path: The field path.
    /// - Returns: The string.
    /// - Throws: ``JSONFieldError`` when the field is missing, `null` or of another type.
    public func string(_ path: String) throws(JSONFieldError) -> String {
        let value = try find(path)
        return try string(value, at: path)
    }

    /// A string field that may be absent or `null`; see ``string(_:)``.
    /// - Parameter path: The field path.
    /// - Returns: The string, or nil when the field (or an object on its path) is absent or `null`.
    /// - Throws: ``JSONFieldError`` when the field is present with another type.
    public func optionalString(_ path: String) throws(JSONFieldError) -> String? {
        guard let value = try findOptional(path) else { return nil }
        return try string(value, at: path)
    }

    /// An id field (an article's, a video's, a post's): a string or a JSON integer, as
    /// ``string(_:)`` reads it, that a stored file can hold as `object` (SPEC §4, §5). An empty
    /// id would be stored as `object` `""`, which means an account-level figure, so the item's
    /// counts would pass for the account's; white space at either end would make an object apart
    /// from the id without it; a control character or a backslash has no place in the stored
    /// files (``StoredID``).
    /// - Parameter path: The field path, such as `item_id`.
    /// - Returns: The id, as sent.
    /// - Throws: ``JSONFieldError`` when the field is missing, `null`, of another type, or an
    ///   id that cannot be stored (``JSONFieldError/Kind/unstorableID``).
    public func id(_ path: String) throws(JSONFieldError) -> String {
        let id = try string(path)
        let problem: String?
        if id.isEmpty {
            problem = "is empty, expected an id"
        } else {
            var bytes = id
            problem = bytes.withUTF8 { utf8 -> String? in
                let raw = UnsafeRawBufferPointer(utf8)
                switch StoredID.problem(raw) {
                case .controlCharacter:
                    return
                        "is \(Self.quoted(LogText.escapingControls(id))), an id with a control character (a line break,"
                        + " a NUL), which no stored id may hold"
                case .backslash:
                    return "is \(Self.quoted(id)), an id with a backslash, which no stored id may hold (Influx line"
                        + " protocol cannot carry one)"
                case nil:
                    break
                }
                guard StoredID.startsOrEndsWithSpace(raw) else { return nil }
                return "is \(Self.quoted(id)), an id with white space at its start or end"
                    + " (\" a1 \" would be stored apart from \"a1\")"
            }
        }
        guard let problem else { return id }
        throw JSONFieldError(
            kind: .unstorableID,
            path: self.path(path),
            origin: origin,
            problem: problem + " (the platform may have changed its response)"
        )
    }

    /// A boolean field.
    /// - Parameter path: The field path.
    /// - Returns: The boolean.
    /// - Throws: ``JSONFieldError`` when the field is missing or not `true`/`false`.
    public func bool(_ path: String) throws(JSONFieldError) -> Bool {
        let value = try find(path)
        guard let flag = value.boolValue else { throw wrongType(value, expected: "true or false", at: path) }
        return flag
    }

    /// The elements of an array field, each as a reader that knows its path (`data.list[3]`).
    /// - Parameter path: The field path; empty for this reader's own value.
    /// - Returns: One reader per element, in order.
    /// - Throws: ``JSONFieldError`` when the field is missing, `null` or not an array.
    public func array(_ path: String) throws(JSONFieldError) -> [JSONReader] {
        let value = try find(path)
        return try elements(value, at: path)
    }

    /// The elements of an array field that may be absent or `null` (several platforms send
    /// `"list": null` for an empty list); see ``array(_:)``.
    /// - Parameter path: The field path.
    /// - Returns: One reader per element, or nil when the field is absent or `null`.
    /// - Throws: ``JSONFieldError`` when the field is present with another type.
    public func optionalArray(_ path: String) throws(JSONFieldError) -> [JSONReader]? {
        guard let value = try findOptional(path) else { return nil }
        return try elements(value, at: path)
    }

    /// A reader over an object or array field.
    /// - Parameter path: The field path, such as `data.card`.
    /// - Returns: A reader whose errors carry the full path.
    /// - Throws: ``JSONFieldError`` when the field is missing or not an object or array.
    public func child(_ path: String) throws(JSONFieldError) -> JSONReader {
        let value = try find(path)
        switch value {
        case .object, .array: return JSONReader(value, origin: origin, basePath: self.path(path))
        default: throw wrongType(value, expected: "an object", at: path)
        }
    }

    /// The raw value of a field, for shapes the typed accessors do not cover.
    /// - Parameter path: The field path; empty for this reader's own value.
    /// - Returns: The value (possibly ``JSONValue/null``), or nil when the field is absent.
    public func value(_ path: String) -> JSONValue? {
        if case .found(let value) = lookup(path) { return value }
        return nil
    }

    // MARK: - Conversions

    // `path` is relative to this reader: the full path is rendered only for an error.

    private func integer(_ value: JSONValue, at path: String) throws(JSONFieldError) -> Int64 {
        switch value {
        case .integer(let number):
            return number
        case .real(let number):
            guard let integer = value.int64Value else {
                throw JSONFieldError(
                    kind: .outOfRange,
                    path: self.path(path),
                    origin: origin,
                    problem: "is \(number), expected an integer"
                )
            }
            return integer
        case .string(let text):
            if let integer = Self.plainInteger(text) { return integer }
            if !text.isEmpty, text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) }) {
                throw JSONFieldError(
                    kind: .outOfRange,
                    path: self.path(path),
                    origin: origin,
                    problem: "is the string \(Self.quoted(text)), beyond the 64-bit integer range"
                )
            }
            throw JSONFieldError(
                kind: .wrongType,
                path: self.path(path),
                origin: origin,
                problem: "is the string \(Self.quoted(text)), expected an integer"
                    + " (the platform may have changed its response)"
            )
        default:
            throw wrongType(value, expected: "an integer", at: path)
        }
    }

    private func string(_ value: JSONValue, at path: String) throws(JSONFieldError) -> String {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        default: throw wrongType(value, expected: "a string", at: path)
        }
    }

    private func elements(_ value: JSONValue, at path: String) throws(JSONFieldError) -> [JSONReader] {
        guard case .array(let elements) = value else { throw wrongType(value, expected: "an array", at: path) }
        let fullPath = self.path(path)
        return elements.enumerated().map { index, element in
            JSONReader(element, origin: origin, basePath: fullPath, elementIndex: index)
        }
    }

    /// `"214"`, `"-3"`: an optional minus and 1 to 19 decimal digits within Int64.
    private static func plainInteger(_ text: String) -> Int64? {
        let utf8 = text.utf8
        let digits = utf8.first == UInt8(ascii: "-") ? utf8.dropFirst() : utf8[...]
        guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }

    /// A string quoted for an error message, cut at 40 characters after the known secrets in
    /// it are redacted (a token in a field where a number was expected).
    private static func quoted(_ text: String) -> String {
        "\"" + KnownSecrets.excerpt(text, limit: 40) + "\""
    }

    private func wrongType(_ value: JSONValue, expected: String, at path: String) -> JSONFieldError {
        let actual: String
        switch value {
        case .null: actual = "null"
        case .integer(let number): actual = "the integer \(number)"
        case .real(let number): actual = "the number \(number)"
        case .bool(let flag): actual = "\(flag)"
        case .string: actual = "a string"
        case .array: actual = "an array"
        case .object: actual = "an object"
        }
        return JSONFieldError(
            kind: .wrongType,
            path: self.path(path),
            origin: origin,
            problem: "is \(actual), expected \(expected) (the platform may have changed its response)"
        )
    }

    // MARK: - Paths

    private enum Step {
        case member(UnsafeBufferPointer<UInt8>)
        case element(Int)
        /// An empty component (`a..b`): skipped.
        case none
    }

    private enum Lookup {
        case found(JSONValue)
        case missing(JSONFieldError)
    }

    private func find(_ path: String) throws(JSONFieldError) -> JSONValue {
        switch lookup(path) {
        case .found(let value): return value
        case .missing(let error): throw error
        }
    }

    /// Like ``find(_:)``, but nil for an absent or `null` field.
    private func findOptional(_ path: String) throws(JSONFieldError) -> JSONValue? {
        switch lookup(path) {
        case .found(.null), .missing: return nil
        case .found(let value): return value
        }
    }

    /// Walks `path` from ``root``. Member names are compared as UTF-8 bytes straight from the
    /// path, and paths are rendered only for an error: adapters read several fields of every
    /// response, so the walk allocates nothing.
    private func lookup(_ path: String) -> Lookup {
        var text = path
        return text.withUTF8 { bytes in lookup(path, bytes: bytes) }
    }

    /// ``lookup(_:)`` over the path's UTF-8 bytes.
    private func lookup(_ path: String, bytes: UnsafeBufferPointer<UInt8>) -> Lookup {
        var current = root
        var position = 0
        // The part of `path` walked so far, for messages.
        var walkedEnd = 0
        var walked: String {
            Self.join(basePath, String(decoding: UnsafeBufferPointer(rebasing: bytes[..<walkedEnd]), as: UTF8.self))
        }
        while position < bytes.count {
            switch Self.nextStep(bytes, from: &position) {
            case .member(let key):
                guard case .object(let members) = current else {
                    return .missing(
                        missing(self.path(path), because: "\(describe(walked)) is \(kindName(current)), not an object")
                    )
                }
                guard let member = members.last(where: { Self.key($0.key, equals: key) }) else {
                    return .missing(missing(self.path(path), because: nil))
                }
                current = member.value
            case .element(let index):
                guard case .array(let elements) = current else {
                    return .missing(
                        missing(self.path(path), because: "\(describe(walked)) is \(kindName(current)), not an array")
                    )
                }
                guard elements.indices.contains(index) else {
                    let count = elements.count == 1 ? "1 element" : "\(elements.count) elements"
                    return .missing(missing(self.path(path), because: "\(describe(walked)) has \(count)"))
                }
                current = elements[index]
            case .none:
                continue
            }
            walkedEnd = position
        }
        return .found(current)
    }

    /// Whether a member name is the bytes of a path component.
    @inline(__always)
    private static func key(_ key: String, equals bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        key.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == bytes.count && stored.elementsEqual(bytes)
        } ?? key.utf8.elementsEqual(bytes)
    }

    private func missing(_ path: String, because reason: String?) -> JSONFieldError {
        JSONFieldError(
            kind: .missing,
            path: path,
            origin: origin,
            problem: "is missing" + (reason.map { ": " + $0 } ?? "") + " (the platform may have changed its response)"
        )
    }

    private func describe(_ path: String) -> String { path.isEmpty ? "the response" : "\"\(path)\"" }

    private func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        case .string: "a string"
        case .bool: "a boolean"
        case .integer, .real: "a number"
        }
    }

    private static func join(_ base: String, _ path: String) -> String {
        if base.isEmpty { return path }
        if path.isEmpty { return base }
        return path.hasPrefix("[") ? base + path : base + "." + path
    }

    /// Reads the step of `path` that starts at `position` and moves past it: `data.list[0].bvid`
    /// gives member `data`, member `list`, element 0, member `bvid`. Brackets that do not hold a
    /// number are taken as part of a plain member name.
    private static func nextStep(_ path: UnsafeBufferPointer<UInt8>, from position: inout Int) -> Step {
        let start = position
        if path[start] == UInt8(ascii: ".") {
            position += 1
            return .none
        }
        if path[start] == UInt8(ascii: "["), let (index, after) = indexBracket(path, at: start),
            after == path.count || path[after] == UInt8(ascii: ".") || path[after] == UInt8(ascii: "[")
        {
            position = after
            return .element(index)
        }
        var end = start
        while end < path.count, path[end] != UInt8(ascii: ".") { end += 1 }
        // A member name ends at `[` when what follows are well-formed indices to the end of the component.
        var open = start + 1
        while open < end, path[open] != UInt8(ascii: "[") { open += 1 }
        if open < end, isIndexList(path, from: open, to: end) {
            position = open
            return .member(UnsafeBufferPointer(rebasing: path[start..<open]))
        }
        position = end
        return .member(UnsafeBufferPointer(rebasing: path[start..<end]))
    }

    /// `[n]` at `start`: the index and the position after `]`.
    private static func indexBracket(_ path: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, Int)? {
        var position = start + 1
        var index = 0
        while position < path.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(path[position]) {
            let (product, overflow) = index.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            index = product + Int(path[position] - UInt8(ascii: "0"))
            position += 1
        }
        guard position > start + 1, position < path.count, path[position] == UInt8(ascii: "]") else { return nil }
        return (index, position + 1)
    }

    /// Whether `path[start..<end]` is one or more `[n]`.
    private static func isIndexList(_ path: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var position = start
        while position < end {
            guard path[position] == UInt8(ascii: "["), let (_, after) = indexBracket(path, at: position), after <= end
            else { return false }
            position = after
        }
        return position > start
    }
}
