import CCurl
import Synchronization

/// The I/O thread's side of ``CurlHTTPClient``: one curl multi handle, a pool of easy handles,
/// the queue of transfers waiting for a slot.
///
/// Everything here runs on the I/O thread, except ``queue``, which callers share.
///
/// `@unchecked Sendable`: the loop is created on the caller's thread and then handed to the I/O
/// thread, which is the only one to touch it from ``run()`` on.
final class CurlMultiLoop: @unchecked Sendable {
    let queue: CurlRequestQueue
    private let multi: UnsafeMutableRawPointer
    private let share: UnsafeMutableRawPointer?
    private let configuration: HTTPClientConfiguration
    private let maxInFlight: Int

    /// Easy handles not in use, most recently used last.
    private var idle: [CurlEasyHandle] = []
    /// Every easy handle created so far; never more than `maxInFlight`.
    private var handles: [CurlEasyHandle] = []
    /// Transfers running now.
    private var activeCount = 0
    /// Transfers waiting for a slot, oldest first from `waitingHead`.
    private var waiting: [CurlTransfer] = []
    private var waitingHead = 0
    /// Callers to resume at the end of this turn of the loop.
    private var resumptions: [(UnsafeContinuation<CurlTransfer.Outcome, Never>, CurlTransfer.Outcome)] = []

    init(configuration: HTTPClientConfiguration) {
        // Out of memory at start-up: nothing else can work either.
        guard let multi = curl_multi_init() else { preconditionFailure("curl_multi_init failed: out of memory") }
        self.multi = multi
        self.configuration = configuration
        self.maxInFlight = max(1, configuration.maxInFlight)
        self.queue = CurlRequestQueue(multi: CurlMultiPointer(pointer: multi))
        // Idle connections kept for reuse: at least one per transfer slot.
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(maxInFlight, 4))
        // TLS sessions shared by all easy handles, so a new connection resumes the session. The
        // multi handle already shares DNS and connections. Only the I/O thread uses the share,
        // so it needs no lock callbacks.
        share = curl_share_init()
        if let share {
            ccurl_share_setopt_int(share, CURLSHOPT_SHARE, Int32(CURL_LOCK_DATA_SSL_SESSION.rawValue))
        }
    }

    /// The I/O thread's body: returns after ``CurlRequestQueue/shutDown()``.
    func run() {
        var running: Int32 = 0
        while true {
            let (submitted, cancelled, isShutDown) = queue.take()
            for transfer in submitted { admit(transfer) }
            for transfer in cancelled { cancel(transfer) }
            if isShutDown { break }
            startWaiting()
            curl_multi_perform(multi, &running)
            let finished = collectFinished()
            resumeCallers()
            // A finished transfer frees a slot: start the next at once rather than sleeping.
            if finished > 0, waitingHead < waiting.count { continue }
            if queue.beginPolling() {
                // Sleeps until a socket is ready, libcurl's next timeout, a wake-up from a
                // caller, or a second: the upper bound only limits the cost of a missed wake-up.
                curl_multi_poll(multi, nil, 0, 1000, nil)
            }
        }
        close()
    }

    // MARK: - Transfers

    private func admit(_ transfer: CurlTransfer) {
        if transfer.cancelRequested.load(ordering: .acquiring) {
            finish(transfer, .failure(.cancelled(transfer.request)))
        } else {
            transfer.phase = .waiting
            waiting.append(transfer)
        }
    }

    private func cancel(_ transfer: CurlTransfer) {
        switch transfer.phase {
        case .submitted, .finished:
            // Submitted: `admit` sees the flag when the request arrives. Finished: too late.
            break
        case .waiting:
            // Left in `waiting`; `startWaiting` skips finished transfers.
            finish(transfer, .failure(.cancelled(transfer.request)))
        case .active(let handle):
            curl_multi_remove_handle(multi, handle.easy)
            handle.reset()
            release(handle)
            finish(transfer, .failure(.cancelled(transfer.request)))
        }
    }

    /// Starts waiting transfers while slots are free.
    private func startWaiting() {
        while activeCount < maxInFlight, waitingHead < waiting.count {
            let transfer = waiting[waitingHead]
            waitingHead += 1
            guard case .waiting = transfer.phase else { continue }
            let handle: CurlEasyHandle
            do throws(CurlSetupError) {
                handle = try acquire()
            } catch {
                finish(transfer, .failure(.setup(transfer.request, error.message)))
                continue
            }
            handle.prepare(transfer)
            transfer.phase = .active(handle)
            activeCount += 1
            let status = curl_multi_add_handle(multi, handle.easy)
            if status != CURLM_OK {
                let detail = String(cString: curl_multi_strerror(status))
                handle.reset()
                release(handle)
                finish(transfer, .failure(.other(transfer.request, detail)))
            }
        }
        // Drop the consumed prefix now and then, so the array does not grow for ever.
        if waitingHead == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        } else if waitingHead > 1024, waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
    }

    /// Completes the finished transfers; returns how many finished.
    private func collectFinished() -> Int {
        var finished = 0
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            // Read the message before removing the handle: removal frees it.
            let result = ccurl_message_result(message)
            var context: UnsafeMutableRawPointer?
            ccurl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &context)
            curl_multi_remove_handle(multi, easy)
            guard let context else { continue }
            let handle = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
            guard let transfer = handle.transfer else { continue }
            let outcome = handle.complete(result)
            release(handle)
            finish(transfer, outcome)
            finished += 1
        }
        return finished
    }

    /// Queues the caller's resumption for the end of this turn.
    private func finish(_ transfer: CurlTransfer, _ outcome: CurlTransfer.Outcome) {
        guard let continuation = transfer.takeContinuation() else { return }
        resumptions.append((continuation, outcome))
    }

    /// Resumes this turn's callers from one job on the global executor.
    ///
    /// Resuming here, one by one, would wake a pool thread per continuation, and on a busy core
    /// that thread preempts this one at every resume: two context switches per request. One job
    /// per turn wakes the pool once; the continuations it resumes then queue behind each other
    /// on threads that are already running.
    private func resumeCallers() {
        guard !resumptions.isEmpty else { return }
        let batch = resumptions
        resumptions = []
        Task.detached {
            for (continuation, outcome) in batch { continuation.resume(returning: outcome) }
        }
    }

    // MARK: - Handle pool

    private func acquire() throws(CurlSetupError) -> CurlEasyHandle {
        if let handle = idle.popLast() { return handle }
        let handle = try CurlEasyHandle(configuration: configuration, share: share)
        handles.append(handle)
        return handle
    }

    private func release(_ handle: CurlEasyHandle) {
        activeCount -= 1
        idle.append(handle)
    }

    // MARK: - Shutdown

    /// Fails what is left with `cancelled` and frees every libcurl resource.
    private func close() {
        for transfer in waiting[waitingHead...] {
            if case .waiting = transfer.phase { finish(transfer, .failure(.cancelled(transfer.request))) }
        }
        waiting = []
        waitingHead = 0
        for handle in handles {
            guard let transfer = handle.transfer else { continue }
            curl_multi_remove_handle(multi, handle.easy)
            handle.reset()
            finish(transfer, .failure(.cancelled(transfer.request)))
        }
        // Directly: this thread is about to end, and `shutdown()` waits for it.
        for (continuation, outcome) in resumptions { continuation.resume(returning: outcome) }
        resumptions = []
        // The easy handles go first (deinit → curl_easy_cleanup): the share handle refuses to
        // be cleaned up while a handle still uses it.
        idle = []
        handles = []
        curl_multi_cleanup(multi)
        if let share { curl_share_cleanup(share) }
    }
}
