import CCurl
import Synchronization

/// The production ``HTTPFetching``: libcurl's multi interface driven by one dedicated I/O thread.
///
/// `fetch` queues the request and suspends; the I/O thread runs at most
/// ``HTTPClientConfiguration/maxInFlight`` transfers at once over kept-alive connections (the
/// multi handle's connection cache) and resumes the caller when its transfer completes. The
/// cooperative thread pool never blocks on the network: the only hop per request is the
/// continuation's resumption.
///
/// - Every response that arrives whole is returned, whatever its status; statuses of 400 and
///   above are for the adapter to map.
/// - Transport failures throw ``HTTPError``: timeouts, resolution and connection failures, TLS,
///   bodies over ``HTTPClientConfiguration/maxBodyBytes``, truncated bodies, cancellation.
/// - Errors name the host and path, never the query string.
/// - `GET`, `POST` (the body is copied, so the request need not outlive the call),
///   `gzip`/`deflate` decoding, HTTP/2 over TLS when the server offers it.
/// - Redirects are not followed: a 3xx is returned as the response it is. The collector
///   follows a `GET`'s same-origin redirects above the request budgets and the self-metrics
///   (``RedirectFollowingHTTPClient``), so that every hop is a request of its own.
/// - `http`, `https` and `file` URLs; TLS certificates and host names are always verified.
///
/// Call ``shutdown()`` when done; `deinit` does it too. Requests still queued or running then fail
/// with `cancelled`.
public final class CurlHTTPClient: HTTPFetching {
    /// The settings this client was created with.
    public let configuration: HTTPClientConfiguration
    private let queue: CurlRequestQueue
    private let thread: Mutex<POSIXThread?>

    /// Creates a client and starts its I/O thread.
    ///
    /// - Parameter configuration: Timeouts, body cap, user agent and concurrency.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        precondition(curlGlobalInitialized, "curl_global_init failed: libcurl cannot be used")
        self.configuration = configuration
        let loop = CurlMultiLoop(configuration: configuration)
        self.queue = loop.queue
        // A thread of its own: it blocks in `curl_multi_poll` for its whole life.
        do throws(POSIXThread.StartFailure) {
            self.thread = Mutex(try POSIXThread.start { loop.run() })
        } catch {
            // Failing to create one thread means the process is out of resources; nothing
            // sensible can go on without the network.
            preconditionFailure("could not start the HTTP client's I/O thread: errno \(error.code)")
        }
    }

    deinit {
        shutdown()
    }

    /// Performs `request` and returns the whole response.
    ///
    /// - Parameter request: The request; its ``HTTPRequest/timeout`` overrides the client's.
    /// - Returns: The response, whatever its status (a redirect included).
    /// - Throws: ``HTTPError`` for transport failures and cancellation.
    public func fetch(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        if Task.isCancelled { throw .cancelled(request) }
        let transfer = CurlTransfer(request: request)
        let queue = self.queue
        let result = await withTaskCancellationHandler {
            // Unchecked: the transfer hands its continuation out exactly once
            // (`CurlTransfer.takeContinuation`, on the I/O thread), or it is resumed here when the
            // transfer never reached the queue; the checked kind would cost an allocation per
            // request to check what that already guarantees.
            await withUnsafeContinuation { (continuation: UnsafeContinuation<CurlTransfer.Outcome, Never>) in
                transfer.continuation = continuation
                if !queue.enqueue(transfer) {
                    transfer.continuation = nil
                    continuation.resume(returning: .failure(.other(request, "the HTTP client is shut down")))
                }
            }
        } onCancel: {
            queue.cancel(transfer)
        }
        return try result.get()
    }

    /// Stops the I/O thread: queued and running requests fail with `cancelled`, connections close.
    /// Idempotent; later calls to ``fetch(_:)`` fail at once.
    public func shutdown() {
        queue.shutDown()
        // Join outside the lock's closure body would need the id first: take it, then join, so
        // a second caller finds nil and returns at once.
        let running = thread.withLock { thread -> POSIXThread? in
            defer { thread = nil }
            return thread
        }
        running?.join()
    }
}

// MARK: - Global initialisation

/// `curl_global_init` must run once, before any handle exists and before other threads use
/// libcurl; a lazily initialised global gives exactly that (Swift runs it under `swift_once`).
let curlGlobalInitialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
