import CCurl

/// URL parsing by libcurl's URL API, the same parser that sends the request.
enum CurlURL {
    /// `https://api.weixin.qq.com:443`: the scheme, host and port (the scheme's default when
    /// none is written) of `url`, lower-cased; nil when libcurl cannot parse it.
    static func origin(of url: String) -> String? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else { return nil }
        guard let scheme = part(CURLUPART_SCHEME, of: handle), let host = part(CURLUPART_HOST, of: handle),
            let port = part(CURLUPART_PORT, of: handle, flags: CURLU_DEFAULT_PORT)
        else { return nil }
        return "\(scheme)://\(host):\(port)".lowercased()
    }

    /// The absolute URL a `Location` header names: `location` resolved against `base`, the URL
    /// that was answered with it (RFC 3986 §5.2, so `stat?vmid=1`, `../x/stat` and
    /// `//host/path` work as in a browser); nil when libcurl cannot parse either.
    ///
    /// The flags are those libcurl uses when it follows a redirect itself: a space or another
    /// byte a URL may not hold is percent-encoded rather than refused.
    static func resolve(_ location: String, against base: String) -> String? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, base, 0) == CURLUE_OK,
            curl_url_set(handle, CURLUPART_URL, location, UInt32(CURLU_URLENCODE | CURLU_ALLOW_SPACE)) == CURLUE_OK
        else { return nil }
        return part(CURLUPART_URL, of: handle)
    }

    /// One part of the URL in `handle`, copied out of libcurl's memory.
    private static func part(_ what: CURLUPart, of handle: OpaquePointer, flags: Int32 = 0) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, what, &value, UInt32(flags)) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}
