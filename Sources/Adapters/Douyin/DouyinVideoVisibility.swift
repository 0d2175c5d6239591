import Collector

/// What the video list says about a video's visibility, which decides whether a `play_count` of
/// 0 is a count (PLATFORMS.md §3.2).
///
/// The platform sends `play_count` 0 for a video set private, not its count: stored, that 0 would
/// become the video's newest row and replace its real count (V, Vmax, a 10万+ hit). The list's
/// `video_status` is 1 published (the older value, since split into 5/6/7), 2 不适宜公开 (not fit
/// to be public), 4 under review, 5 public, 6 friends only, 7 private; `is_reviewed` is false
/// while the review runs.
struct DouyinVideoVisibility: Sendable, Equatable {
    /// `video_status` 5: the only status that says the video is public.
    static let publicStatus: Int64 = 5

    /// `video_status`, or nil when it is absent or not a number.
    var status: Int64?
    /// `is_reviewed`, or nil when it is absent or not a boolean.
    var reviewed: Bool?

    /// Reads the two fields of one list entry. They only qualify a zero, so a field that is
    /// absent or malformed is not a schema change: it leaves the visibility unknown.
    init(_ video: JSONReader) {
        status = (try? video.optionalInt64("video_status")) ?? nil
        reviewed = video.value("is_reviewed") == nil ? nil : try? DouyinValues.flag(video, "is_reviewed")
    }

    /// Whether a `play_count` of 0 is the video's count and may be stored.
    ///
    /// Only when the list says the video is public (status 5) and not under review: a new public
    /// video can truly have no plays yet. Any other 0 is treated as missing (no row, never a 0):
    /// status 1 cannot tell a public video from a private one, and a private, friends-only, unfit
    /// or unreviewed video reads 0 whatever its plays. A video with no play at all and status 1 so
    /// gets its first views row with its first play; the report treats it as missing until then.
    var zeroPlaysIsCount: Bool {
        status == Self.publicStatus && reviewed != false
    }
}
