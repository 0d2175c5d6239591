/// One row of the content catalogue `<data_dir>/<platform>/objects.csv` (SPEC §3), keyed by
/// account and object: an id is unique only within its account.
public struct ContentObject: Sendable, Hashable {
    /// The platform the object belongs to.
    public var platform: Platform
    /// The content id, as in the samples' `object` column.
    public var object: String
    /// The account that published it.
    public var account: String
    /// When it was published, if known.
    public var publishedAt: Timestamp?
    /// Its title (first line only), if known.
    public var title: String
    /// Its public URL, if known.
    public var url: String

    /// Creates a catalogue row.
    public init(
        platform: Platform,
        object: String,
        account: String,
        publishedAt: Timestamp? = nil,
        title: String = "",
        url: String = ""
    ) {
        self.platform = platform
        self.object = object
        self.account = account
        self.publishedAt = publishedAt
        self.title = title
        self.url = url
    }
}

extension ContentObject {
    /// The catalogue's title of a text (a caption, a post, a multi-line export cell): its first
    /// line that is not blank, without surrounding blanks (ASCII and full-width spaces, NBSP,
    /// a stray BOM). One rule for every adapter and importer, so the same content gets the same
    /// title whichever route it came by.
    public static func title(from text: String) -> String {
        let isBlank: (Character) -> Bool = { $0.isWhitespace || $0 == "\u{FEFF}" }
        let line =
            text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .first { !$0.allSatisfy(isBlank) } ?? ""
        return String(line.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }
}
