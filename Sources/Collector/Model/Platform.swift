/// The platform a sample belongs to: one of the ``builtIn`` platforms, or the name an exec
/// adapter gives itself (SPEC §3 `platform` column).
public struct Platform: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The lower-case name written to the files.
    public let rawValue: String

    /// Creates a platform name; ``isValidName(_:)`` tells whether it may be written to a file.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The name as written.
    public var description: String { rawValue }

    public static func < (lhs: Platform, rhs: Platform) -> Bool { lhs.rawValue < rhs.rawValue }

    /// WeChat Official Accounts.
    public static let wechat = Platform(rawValue: "wechat")
    /// WeChat Channels (视频号).
    public static let channels = Platform(rawValue: "channels")
    /// Sina Weibo.
    public static let weibo = Platform(rawValue: "weibo")
    /// Douyin.
    public static let douyin = Platform(rawValue: "douyin")
    /// Kuaishou.
    public static let kuaishou = Platform(rawValue: "kuaishou")
    /// Bilibili.
    public static let bilibili = Platform(rawValue: "bilibili")
    /// Toutiao (头条号).
    public static let toutiao = Platform(rawValue: "toutiao")

    /// The platforms the collector knows by itself, whether an adapter polls them or only
    /// imports read them (`channels`): self-report sheets accept them without a registry
    /// entry, `collector check` does not warn about registry rows naming them, and messages
    /// name them (whose `<platform>_…` metric an exec line or a mapping misused, suggestions).
    public static let builtIn: [Platform] = [.wechat, .channels, .weibo, .douyin, .kuaishou, .bilibili, .toutiao]

    /// Whether `name` can name a platform: lower-case ASCII letters, digits and `_`, starting
    /// with a letter, so that it is safe as a folder name and an Influx tag.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        } && name.utf8.count <= 64
    }
}
