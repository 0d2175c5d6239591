import CCurl
import Synchronization

/// One request on its way through ``CurlHTTPClient``.
///
/// `@unchecked Sendable`: `continuation` is written by the caller before the transfer is
/// queued (the queue's lock orders that write before the I/O thread's read) and from then on
/// touched only by the I/O thread, like `phase`. `cancelRequested` is atomic.
final class CurlTransfer: @unchecked Sendable {
    /// What the caller gets back.
    typealias Outcome = Result<HTTPResponse, HTTPError>

    /// Where the transfer is, as the I/O thread sees it.
    enum Phase {
        /// Queued by the caller, not yet taken by the I/O thread.
        case submitted
        /// Waiting for a free slot (``HTTPClientConfiguration/maxInFlight``).
        case waiting
        /// Running on an easy handle.
        case active(CurlEasyHandle)
        /// Done: the continuation was taken for resumption.
        case finished
    }

    let request: HTTPRequest
    var continuation: UnsafeContinuation<Outcome, Never>?
    var phase = Phase.submitted
    /// Set by the task's cancellation handler before the transfer joins the cancel list, so the
    /// I/O thread also catches a cancellation that overtakes the request itself.
    let cancelRequested = Atomic(false)

    init(request: HTTPRequest) {
        self.request = request
    }

    /// Marks the transfer finished and hands out its continuation, exactly once: later calls
    /// return nil. Only the I/O thread calls it. The continuation is an unchecked one, so this
    /// is what keeps it from being resumed twice.
    func takeContinuation() -> UnsafeContinuation<Outcome, Never>? {
        phase = .finished
        defer { continuation = nil }
        return continuation
    }
}

/// The hand-over point between callers and the I/O thread.
///
/// Callers append under a lock; the I/O thread takes everything at once. A caller writes to the
/// multi handle's wake-up pipe only when the I/O thread is (about to be) asleep in
/// `curl_multi_poll`, and only once per sleep, so a busy client costs no system call per
/// request.
final class CurlRequestQueue: Sendable {
    private struct State {
        var submitted: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        /// The I/O thread is in (or about to enter) `curl_multi_poll`.
        var isPolling = false
        /// A wake-up is already on its way for this sleep.
        var wakeupSent = false
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let multi: CurlMultiPointer

    init(multi: CurlMultiPointer) {
        self.multi = multi
    }

    // MARK: Callers

    /// Queues `transfer`; false once the client is shut down.
    func enqueue(_ transfer: CurlTransfer) -> Bool {
        state.withLock { state in
            guard !state.isShutDown else { return false }
            state.submitted.append(transfer)
            wakeIfPolling(&state)
            return true
        }
    }

    /// Asks the I/O thread to drop `transfer`, queued or running.
    func cancel(_ transfer: CurlTransfer) {
        transfer.cancelRequested.store(true, ordering: .releasing)
        state.withLock { state in
            guard !state.isShutDown else { return }
            state.cancelled.append(transfer)
            wakeIfPolling(&state)
        }
    }

    /// Tells the I/O thread to finish; it fails what is left with `cancelled`.
    func shutDown() {
        state.withLock { state in
            guard !state.isShutDown else { return }
            state.isShutDown = true
            state.wakeupSent = false
            // Always wake: the thread may be between `take` and `curl_multi_poll`.
            curl_multi_wakeup(multi.pointer)
        }
    }

    /// Wakes the I/O thread while holding the lock: the multi handle is cleaned up only after
    /// the thread has seen `isShutDown`, and callers never wake once that is set, so the handle
    /// is alive here.
    private func wakeIfPolling(_ state: inout State) {
        guard state.isPolling, !state.wakeupSent else { return }
        state.wakeupSent = true
        curl_multi_wakeup(multi.pointer)
    }

    // MARK: I/O thread

    /// Everything queued and cancelled since the last call; clears the polling flag.
    func take() -> (submitted: [CurlTransfer], cancelled: [CurlTransfer], isShutDown: Bool) {
        state.withLock { state in
            state.isPolling = false
            state.wakeupSent = false
            let taken = (state.submitted, state.cancelled, state.isShutDown)
            // Fresh arrays rather than `removeAll(keepingCapacity:)`, which would copy the
            // buffers the I/O thread now holds.
            state.submitted = []
            state.cancelled = []
            return taken
        }
    }

    /// Marks the I/O thread as about to sleep; false when work arrived since ``take()``, in
    /// which case it must not sleep.
    func beginPolling() -> Bool {
        state.withLock { state in
            guard state.submitted.isEmpty, state.cancelled.isEmpty, !state.isShutDown else { return false }
            state.isPolling = true
            return true
        }
    }
}

/// The multi handle's pointer, shared with callers for `curl_multi_wakeup` only.
///
/// `@unchecked Sendable`: `curl_multi_wakeup` is the one libcurl call documented as safe from
/// any thread; everything else on the handle happens on the I/O thread.
struct CurlMultiPointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
