package import Collector
import Logging

extension KuaishouAdapter {
    /// Reads `/openapi/photo/list` page by page, newest first: the cursor of the next page is the
    /// `photo_id` of the last video of this one. Stops at an empty or short page, after
    /// `max_pages`, or when the platform hands back a cursor it already gave (a loop).
    func collectVideos(
        account: String,
        session: inout KuaishouSession,
        into batch: SampleBatch,
        context: AdapterContext
    ) async throws {
        var cursor: String?
        var usedCursors: Set<String> = []
        var seen: Set<String> = []
        for page in 1...maxPages {
            var parameters: [(String, String)] = []
            if let cursor { parameters.append(("cursor", cursor)) }
            parameters.append(("count", String(pageSize)))
            let response = try await session.get("/openapi/photo/list", parameters)
            let observed = context.now()
            let videos: [JSONReader]
            do {
                // `null` is how some platforms say "none"; an absent list is a changed response.
                videos = response.value("video_list")?.isNull == true ? [] : try response.array("video_list")
            } catch {
                throw JSONResponse.schemaChanged(error)
            }
            for video in videos {
                guard let photoID = photoID(of: video, account: account, into: batch) else { continue }
                // A video seen on an earlier page (the list moved under us) is counted once.
                guard seen.insert(photoID).inserted else { continue }
                try addCount(video, "view_count", .views, account: account, object: photoID, at: observed, into: batch)
                try addCount(video, "like_count", .likes, account: account, object: photoID, at: observed, into: batch)
                try addCount(
                    video,
                    "comment_count",
                    .comments,
                    account: account,
                    object: photoID,
                    at: observed,
                    into: batch
                )
                batch.add(object: Self.catalogueRow(video, photoID: photoID, account: account))
            }
            guard videos.count >= pageSize else { return }
            guard let last = videos.last.flatMap({ try? $0.optionalString("photo_id") }), !last.isEmpty else {
                // Without an id on the last video there is no cursor: its failure is recorded above.
                return
            }
            guard usedCursors.insert(last).inserted else {
                batch.recordFailure(
                    CollectionFailure(
                        adapter: name,
                        account: account,
                        label: "schemaChanged",
                        message:
                            "kuaishou /openapi/photo/list: page \(page) ends with the cursor \(last) again; stopped paging to avoid a loop"
                    )
                )
                return
            }
            cursor = last
        }
        context.logger.notice(
            "stopped after max_pages pages; older kuaishou videos are not read this time (raise max_pages to read them)",
            metadata: ["account": "\(account)", "max_pages": "\(maxPages)", "videos": "\(seen.count)"]
        )
    }

    /// The video's `photo_id`, or nil after recording why there is none.
    private func photoID(of video: JSONReader, account: String, into batch: SampleBatch) -> String? {
        let problem: String
        do {
            // Read as an id: blank, or with a line break, it cannot be stored either.
            if try video.optionalString("photo_id") != nil { return try video.id("photo_id") }
            problem = "\(video.origin): field \"\(video.path("photo_id"))\" is missing"
        } catch {
            problem = error.description
        }
        batch.recordFailure(
            CollectionFailure(
                adapter: name,
                account: account,
                label: "schemaChanged",
                message: problem + "; the video is skipped"
            )
        )
        return nil
    }

    /// The objects.csv row: the caption's first line, the publication time, the play URL.
    package static func catalogueRow(_ video: JSONReader, photoID: String, account: String) -> ContentObject {
        let caption = (try? video.optionalString("caption")) ?? nil
        let created = (try? video.optionalInt64("create_time")) ?? nil
        let url = (try? video.optionalString("play_url")) ?? nil
        return ContentObject(
            platform: .kuaishou,
            object: photoID,
            account: account,
            publishedAt: created.flatMap(publicationTime),
            title: caption.map(ContentObject.title(from:)) ?? "",
            url: url ?? ""
        )
    }

    /// `create_time` as a timestamp: milliseconds when above 10¹² (PLATFORMS.md §8), else seconds.
    package static func publicationTime(_ raw: Int64) -> Timestamp? {
        guard raw > 0 else { return nil }
        return Timestamp(secondsSinceEpoch: raw > 1_000_000_000_000 ? raw / 1000 : raw)
    }
}
