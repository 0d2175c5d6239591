/// A field of a parsed response that is missing or has the wrong type: the usual sign that a
/// platform changed its response.
///
/// Its description names the response and the full field path, so the operator knows where to
/// look: `bilibili /x/relation/stat: field "data.follower" is missing (the platform may have
/// changed its response)`.
public struct JSONFieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the field; a bounded label.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case missing, wrongType, outOfRange, unstorableID
        }

        private let code: Code

        private init(_ code: Code) {
            self.code = code
        }

        /// The field, or an object on its path, is absent.
        public static let missing = Kind(.missing)
        /// The field has another JSON type than the one asked for (including `null`).
        public static let wrongType = Kind(.wrongType)
        /// The field is a number, but not one the caller can use (a fraction, beyond 64 bits).
        public static let outOfRange = Kind(.outOfRange)
        /// The field is an id no stored file can hold: empty, blank, white space at either end,
        /// a control character or a backslash (``JSONReader/id(_:)``).
        public static let unstorableID = Kind(.unstorableID)

        /// `missing`, `wrongType`, `outOfRange` or `unstorableID`.
        public var description: String { code.rawValue }
    }

    /// What is wrong.
    public var kind: Kind
    /// The full path of the field, such as `data.list[3].bvid`.
    public var path: String
    /// The response it came from, such as `bilibili /x/relation/stat`.
    public var origin: String
    /// The problem in words, completing `field "<path>" …`.
    public var problem: String

    /// Creates an error.
    public init(kind: Kind, path: String, origin: String, problem: String) {
        self.kind = kind
        self.path = path
        self.origin = origin
        self.problem = problem
    }

    /// `bilibili /x/relation/stat: field "data.follower" is missing (the platform may have changed its response)`.
    public var description: String { "\(origin): field \"\(path)\" \(problem)" }

    /// The error as an adapter throws it: ``AdapterError/schemaChanged(_:platformCode:requestID:)``.
    public var adapterError: AdapterError { .schemaChanged(description) }
}
