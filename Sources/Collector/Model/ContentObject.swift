/// One row of the content catalogue `<data_dir>/<platform>/objects.csv` (SPEC §3).
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
