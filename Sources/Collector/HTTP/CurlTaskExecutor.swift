/// Runs jobs on ``CurlHTTPClient``'s I/O thread, between two turns of its libcurl loop.
///
/// A task that prefers this executor (`withTaskExecutorPreference`) resumes from `fetch` on the
/// thread that received its response, in the same turn, instead of waking a pool thread: a
/// polling adapter then parses the response and sends its next request without a thread hop.
/// Jobs enqueued once the client is shut down run on the global concurrent executor, so no task
/// is ever stranded.
final class CurlTaskExecutor: TaskExecutor {
    private let queue: CurlRequestQueue

    init(queue: CurlRequestQueue) {
        self.queue = queue
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if !queue.enqueue(job) { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }
}
