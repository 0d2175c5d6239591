import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A libcurl easy handle, reused for one transfer after another by the I/O thread.
///
/// The options that never change (user agent, callbacks, TLS verification, limits) are set once
/// in `init`; ``prepare(_:)`` sets the per-request ones. The callbacks reach this object through
/// `CURLOPT_WRITEDATA`/`CURLOPT_HEADERDATA`/`CURLOPT_PRIVATE` as an unretained pointer: the
/// pool owns the handle for as long as libcurl may call back.
///
/// Redirects: libcurl's own following is off, and every 3xx answer is returned as it is. The
/// same-origin redirects of a `GET` are followed above the request budgets
/// (``RedirectFollowingHTTPClient``), so that each hop waits for the `rate` and is counted.
///
/// Used only on the I/O thread.
final class CurlEasyHandle {
    /// Bytes first reserved for a response's header lines; most header blocks fit.
    static let headerBlockCapacity = 1024

    let easy: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let bodyLimit: Int
    private let requestTimeout: Duration

    /// The body received so far.
    private var body: [UInt8] = []
    /// The header lines of the latest response (a `100 Continue` starts over).
    private var headerBytes: [UInt8] = []
    /// The write callback refused data because of ``bodyLimit``.
    private var bodyOverLimit = false
    /// The request headers; libcurl does not copy the list, so it lives as long as it is set.
    /// Kept from one transfer to the next while the headers stay the same (an adapter sends
    /// the same few headers with every request), so that most requests build no list.
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// What ``headerList`` was built from.
    private var headerListSource: (headers: [HTTPHeader], method: HTTPMethod)?
    /// The transfer running on this handle.
    var transfer: CurlTransfer?

    /// Creates an easy handle with the client-wide options.
    ///
    /// - Throws: ``CurlSetupError`` when libcurl is out of memory or refuses a security option
    ///   (protocol restrictions, redirects off, TLS verification): the client never runs a
    ///   transfer without them.
    init(configuration: HTTPClientConfiguration, share: UnsafeMutableRawPointer?) throws(CurlSetupError) {
        guard let easy = curl_easy_init() else {
            throw CurlSetupError("libcurl could not create a handle (out of memory)")
        }
        self.easy = easy
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        self.bodyLimit = configuration.maxBodyBytes
        self.requestTimeout = configuration.timeout

        // The options that keep secrets where they belong: each must take, or the handle is not
        // used (`deinit` cleans it up). A libcurl that is too old for an option, or built
        // without TLS, fails every request with this message instead of running without it.
        try require(
            ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, configuration.protocols),
            "CURLOPT_PROTOCOLS_STR"
        )
        // Redirects are followed above the budgets (RedirectFollowingHTTPClient), same origin
        // only; libcurl must never follow one.
        try require(ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0), "CURLOPT_FOLLOWLOCATION")
        // Were following ever switched on, a redirect must still never reach a local file.
        try require(
            ccurl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
            "CURLOPT_REDIR_PROTOCOLS_STR"
        )
        try require(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), "CURLOPT_SSL_VERIFYPEER")
        try require(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), "CURLOPT_SSL_VERIFYHOST")

        let context = Unmanaged.passUnretained(self).toOpaque()
        // Never CURLOPT_VERBOSE: it would print query strings, which carry tokens.
        ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, context)
        ccurl_easy_setopt_write_function(easy, CURLOPT_WRITEFUNCTION, curlWriteBody)
        ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        ccurl_easy_setopt_header_function(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        _ = configuration.userAgent.withCString { ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, $0) }
        ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds)
        // "" offers every encoding libcurl was built with (gzip, deflate, …) and decodes it.
        ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // Wait for a connection that may multiplex (HTTP/2) instead of opening one per transfer.
        ccurl_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1)
        // Rejects a body whose announced length is over the cap before any of it arrives; the
        // write callback catches the rest (chunked or close-delimited bodies).
        ccurl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxBodyBytes))
        if let share { ccurl_easy_setopt_share(easy, CURLOPT_SHARE, share) }
    }

    /// Throws unless libcurl accepted the option.
    private func require(_ result: CURLcode, _ option: String) throws(CurlSetupError) {
        guard result != CURLE_OK else { return }
        throw CurlSetupError(
            "libcurl refused \(option) (\(String(cString: curl_easy_strerror(result)))); "
                + "no request is sent without it: check the libcurl version (7.85 or later) and its TLS support"
        )
    }

    deinit {
        curl_easy_cleanup(easy)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    // MARK: - Per transfer

    /// Sets the options of `transfer`'s request.
    func prepare(_ transfer: CurlTransfer) {
        self.transfer = transfer
        let request = transfer.request
        _ = request.url.withCString { ccurl_easy_setopt_string(easy, CURLOPT_URL, $0) }
        let timeout = request.timeout ?? requestTimeout
        ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds)

        // Most requests carry the headers of the one before: its list is still set.
        let sameHeaders = headerListSource.map { $0.method == request.method && $0.headers == request.headers } ?? false
        if !sameHeaders { setHeaderList(for: request) }
        switch request.method {
        case .get:
            ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case .post:
            let body = request.body ?? []
            // The size first: COPYPOSTFIELDS copies exactly that many bytes, so the body need not
            // outlive this call and may contain NUL bytes.
            ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if body.isEmpty {
                ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                _ = body.withUnsafeBytes { bytes in
                    ccurl_easy_setopt_pointer(
                        easy,
                        CURLOPT_COPYPOSTFIELDS,
                        UnsafeMutableRawPointer(mutating: bytes.baseAddress)
                    )
                }
            }
        }
    }

    /// Builds and sets the header list of `request`: its headers, and for a POST a JSON
    /// content type (unless given) and no `Expect: 100-continue`.
    private func setHeaderList(for request: HTTPRequest) {
        var list: UnsafeMutablePointer<curl_slist>?
        var hasContentType = false
        for header in request.headers {
            if header.name.utf8.count == 12, header.name.lowercased() == "content-type" { hasContentType = true }
            list = "\(header.name): \(header.value)".withCString { curl_slist_append(list, $0) }
        }
        if request.method == .post {
            // The collector's POST APIs take JSON; libcurl would say form-urlencoded.
            if !hasContentType { list = curl_slist_append(list, "Content-Type: application/json") }
            // No `Expect: 100-continue` round trip: the bodies are small.
            list = curl_slist_append(list, "Expect:")
        }
        // The new list is set before the old one is freed: libcurl never holds a freed list.
        ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        if let headerList { curl_slist_free_all(headerList) }
        headerList = list
        headerListSource = (request.headers, request.method)
    }

    /// The outcome of the finished transfer, a 3xx answer included; readies the handle for the
    /// next transfer.
    func complete(_ result: CURLcode) -> CurlTransfer.Outcome {
        guard let request = transfer?.request else {
            // Only transfers prepared by `prepare` run on a handle.
            preconditionFailure("a curl transfer completed on an idle handle")
        }
        let outcome: CurlTransfer.Outcome
        if result == CURLE_OK {
            var status = 0
            ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            // file:// has no status line: a file that was read whole is a 200.
            if status == 0 { status = 200 }
            // The buffers go to the response; the next transfer starts new ones.
            var taken: [UInt8] = []
            swap(&taken, &body)
            var headerLines: [UInt8] = []
            swap(&headerLines, &headerBytes)
            outcome = .success(HTTPResponse(status: status, headerLines: headerLines, body: taken))
        } else {
            outcome = .failure(error(for: result, request: request))
        }
        reset()
        return outcome
    }

    /// Forgets the last transfer: buffers and flags.
    func reset() {
        transfer = nil
        body = []
        headerBytes.removeAll(keepingCapacity: true)
        bodyOverLimit = false
        // The header list stays set for the next transfer: ``prepare(_:)`` replaces it when
        // that transfer's headers differ.
    }

    // MARK: - Errors

    /// Maps a libcurl result to ``HTTPError``, keeping libcurl's explanation without the query.
    private func error(for result: CURLcode, request: HTTPRequest) -> HTTPError {
        let detail = redacted(errorDetail(result), request: request)
        switch result {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(request, detail)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .couldNotResolve(request, detail)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR:
            // After a status line the host was reached and began to answer: the connection died
            // inside the answer (a reset mid-body, broken chunk framing), which is the server's
            // or a proxy's doing, as a body shorter than announced is — not the network's.
            var status = 0
            ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            guard status != 0 else { return .couldNotConnect(request, detail) }
            return .truncated(request, HTTPError.brokenAnswerDetail(status: status, detail))
        case CURLE_PARTIAL_FILE:
            var status = 0
            ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            return .truncated(request, HTTPError.brokenAnswerDetail(status: status, detail))
        case CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING:
            return .couldNotConnect(request, detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_CLIENTCERT,
            CURLE_USE_SSL_FAILED:
            return .tls(request, detail)
        case CURLE_FILESIZE_EXCEEDED:
            return .bodyTooLarge(request, limit: bodyLimit)
        case CURLE_WRITE_ERROR where bodyOverLimit:
            return .bodyTooLarge(request, limit: bodyLimit)
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled(request)
        default:
            return .other(request, detail)
        }
    }

    /// The error buffer when libcurl filled it, else the generic text for the code.
    private func errorDetail(_ result: CURLcode) -> String {
        if errorBuffer.pointee != 0 {
            // libcurl writes a NUL-terminated string of at most CURL_ERROR_SIZE bytes.
            let text = String(cString: errorBuffer)
            errorBuffer.pointee = 0
            return text.trimmingSpaces
        }
        return String(cString: curl_easy_strerror(result))
    }
}

/// libcurl refused to set up a handle as the client needs it; the message says which option.
struct CurlSetupError: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}

/// Removes the query string from `detail` should libcurl ever quote it: it may hold a token.
private func redacted(_ detail: String, request: HTTPRequest) -> String {
    guard let mark = request.url.firstIndex(of: "?") else { return detail }
    let query = request.url[request.url.index(after: mark)...].prefix(while: { $0 != "#" })
    guard !query.isEmpty, detail.contains(query) else { return detail }
    return detail.replacing(query, with: "<redacted>")
}

// MARK: - Callbacks

/// `CURLOPT_WRITEFUNCTION`: appends to the body, refusing (short count → `CURLE_WRITE_ERROR`)
/// once the body would pass the cap.
private let curlWriteBody: ccurl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let handle = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
    return handle.appendBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// `CURLOPT_HEADERFUNCTION`: collects the header lines of the final response.
private let curlWriteHeader: ccurl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let handle = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
    return handle.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
}

extension CurlEasyHandle {
    fileprivate func appendBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count <= bodyLimit - body.count else {
            bodyOverLimit = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    fileprivate func appendHeaderLine(_ line: UnsafeRawBufferPointer) -> Int {
        // A status line starts a new response (after a `100 Continue`): keep only the headers
        // of the last one.
        if line.starts(with: "HTTP/".utf8) {
            headerBytes.removeAll(keepingCapacity: true)
        } else {
            // The buffer leaves with each response: start the next one at a size that holds a
            // usual header block whole, rather than growing it line by line.
            if headerBytes.capacity == 0 { headerBytes.reserveCapacity(Self.headerBlockCapacity) }
            headerBytes.append(contentsOf: line)
        }
        return line.count
    }
}
