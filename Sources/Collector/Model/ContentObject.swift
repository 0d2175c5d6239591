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
    /// a stray BOM) and without control characters. One rule for every adapter and importer,
    /// so the same content gets the same title whichever route it came by.
    ///
    /// A line ends at any character a Unicode-aware line reader (Python's `str.splitlines()`)
    /// splits at: CR, LF, VT, FF, U+001C–U+001E, NEL, U+2028 and U+2029; other control
    /// characters (a NUL, an escape, C1) are dropped, a tab is a space. A stored title is then
    /// always one line of `objects.csv`, whatever reader splits it.
    public static func title(from text: String) -> String {
        let isBlank: (Character) -> Bool = { $0.isWhitespace || $0 == "\u{FEFF}" }
        let line =
            text.split(whereSeparator: isLineBreak).first { !$0.allSatisfy(isBlank) } ?? ""
        var title = String(line.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
        if title.unicodeScalars.contains(where: isControl) {
            var scalars = String.UnicodeScalarView()
            for scalar in title.unicodeScalars {
                if scalar == "\t" {
                    scalars.append(" ")
                } else if !isControl(scalar) {
                    scalars.append(scalar)
                }
            }
            title = String(String(scalars).drop(while: isBlank).reversed().drop(while: isBlank).reversed())
        }
        return title
    }

    /// Whether `character` ends a line for ``title(from:)``.
    private static func isLineBreak(_ character: Character) -> Bool {
        // `isNewline`: LF, VT, FF, CR, CRLF, NEL, U+2028, U+2029.
        character.isNewline || character == "\u{1C}" || character == "\u{1D}" || character == "\u{1E}"
    }

    /// Whether `scalar` is a control character: C0, DEL or C1.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
