import Logging

/// The runner's retry of one request: an ``HTTPFetching`` that sends a request again after a
/// passing failure — a retryable transport error (``HTTPError/isRetryable``: a timeout, a reset,
/// a truncated body), or an answer with status 429 or 5xx — so that only the failed request is
/// repeated, never the requests of the account that went before it (the follower count, the
/// pages already read). A cookie back-office sees one more call, not the whole account again
/// (PLATFORMS.md §10).
///
/// The rules are the account retry's (docs/operations.md "Retries"): at most
/// ``CollectionRunner/RetryPolicy/maxAttempts`` attempts in all, waiting
/// ``CollectionRunner/RetryPolicy/backoff(attempt:retryAfter:)`` between them (2 s, then 4 s, plus jitter, at
/// least `Retry-After`, at most 5 min). Each attempt goes through the base client, so the request
/// budgets and the self-metrics count every one. An answer that asks for a longer wait than a
/// retry may take is passed on at once: the adapter reports it and the account is tried at its
/// next due time. A stop ends the wait, and the retry is not sent.
///
/// Whatever the last attempt brought is what the adapter gets, as without retries: the same
/// failing answer or transport error, which it reports in its own words. ``RequestRetries``
/// tells the runner that a request had its retries already, so that the runner does not collect
/// the whole account again for the same failure.
struct RetryingHTTPClient: HTTPFetching {
    /// The client that sends each attempt: the instance's budgets, the metrics, libcurl.
    let base: any HTTPFetching
    /// The runner's retry rules and stop request, rather than the runner: this client is made
    /// for each account, and a copy of the whole runner cost a polling run about 0.2 % of its CPU.
    let policy: CollectionRunner.RetryPolicy
    let shouldStop: @Sendable () -> Bool
    /// The account's context, for the log and the wait.
    let context: AdapterContext
    let retries: RequestRetries

    func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        var attempt = 1
        while true {
            let outcome: Result<HTTPResponse, HTTPError>
            do {
                outcome = .success(try await base.fetch(request))
            } catch {
                outcome = .failure(error)
            }
            guard let passing = Self.passingFailure(outcome, now: context.now) else { return try outcome.get() }
            // A cancelled run (the stop's grace is over) sends nothing more.
            if Task.isCancelled { return try outcome.get() }
            // A platform that asks for a longer wait than a retry may take is not asked again in
            // this run: the adapter reports the answer, and the runner says so.
            if let asked = passing.retryAfter, asked > policy.maxBackoff { return try outcome.get() }
            guard attempt < policy.maxAttempts else {
                retries.noteSpent()
                return try outcome.get()
            }
            if CollectionRunner.isStopping(shouldStop) {
                retries.noteStopped()
                return try outcome.get()
            }
            let wait = policy.backoff(attempt: attempt, retryAfter: passing.retryAfter)
            // The request by its method, host and path: its query may hold a token.
            var metadata: Logger.Metadata = [
                "error": "\(passing.label)", "attempt": "\(attempt)", "retry": "request",
                "request": "\(request.method.rawValue) \(request.host)\(request.path)",
                "wait.seconds": "\(wait.wholeSeconds)",
            ]
            if let code = passing.code { metadata["error.code"] = "\(code)" }
            context.logger.info("retrying after a passing failure", metadata: metadata)
            await CollectionRunner.wait(wait, context: context, unless: shouldStop)
            // A stop during the wait leaves the retry for the next run.
            if CollectionRunner.isStopping(shouldStop) {
                retries.noteStopped()
                return try outcome.get()
            }
            attempt += 1
        }
    }

    /// What makes an outcome a passing failure, for the log and the wait.
    struct PassingFailure {
        /// The label the failure is reported under: the transport error's, or `rateLimited` /
        /// `transient` as the adapters map the statuses (`JSONResponse`).
        var label: String
        /// `http-503`, for an answer.
        var code: String?
        var retryAfter: Duration?
    }

    /// The passing failure `outcome` is, if it is one: a retryable transport error, or a 429
    /// or 5xx answer; `now` measures a `Retry-After` given as a date.
    static func passingFailure(
        _ outcome: Result<HTTPResponse, HTTPError>,
        now: () -> Timestamp
    ) -> PassingFailure? {
        switch outcome {
        case .failure(let error):
            return error.isRetryable ? PassingFailure(label: error.metricLabel) : nil
        case .success(let response):
            switch response.status {
            case 429:
                return PassingFailure(label: "rateLimited", code: "http-429", retryAfter: response.retryAfter(now: now))
            case 500...599:
                return PassingFailure(
                    label: "transient",
                    code: "http-\(response.status)",
                    retryAfter: response.retryAfter(now: now)
                )
            default:
                return nil
            }
        }
    }
}
