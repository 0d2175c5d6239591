#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What Excel keeps of a text when it saves a sheet as "CSV (逗号分隔)" on a Chinese Windows:
/// code page 936 (GBK) has no emoji and few symbols beyond Chinese, and Excel writes `?` for
/// each character it cannot hold. A title re-saved so (`期末加油?? #高考`) no longer equals the
/// same work's title in the original download (`期末加油🎉💪 #高考`), nor hashes to its derived id
/// (``DerivedObjectID``); ``folded(_:)`` makes the two comparable, for the import to find the
/// work it already catalogued.
///
/// Which characters GBK holds is asked of the system's iconv (glibc's `GBK`); without it, every
/// character outside the Basic Multilingual Plane (the emoji) counts as lost, the rest as kept.
package enum CodePage936 {
    /// `text` as it compares across a re-save in code page 936: each run of characters GBK
    /// cannot encode, and of `?`, as one `?`. A run, not each character: Excel writes one `?` or
    /// two for an emoji (one per UTF-16 unit, depending on its version), and more for an emoji
    /// made of several characters (`👍🏻`, a flag, a family joined by U+200D).
    package static func folded(_ text: String) -> String {
        var converter = Converter()
        var result = String.UnicodeScalarView()
        var inRun = false
        for scalar in text.unicodeScalars {
            if scalar == "?" || !converter.encodes(scalar) {
                if !inRun { result.append("?") }
                inRun = true
            } else {
                result.append(scalar)
                inRun = false
            }
        }
        return String(result)
    }

    /// Whether a re-save in code page 936 changes `text` or may have changed it: it has a `?`
    /// or a character GBK cannot encode. Only such a text can equal another one under
    /// ``folded(_:)`` without being equal to it.
    package static func mayDifferAcrossResave(_ text: String) -> Bool {
        var converter = Converter()
        for scalar in text.unicodeScalars where scalar == "?" || !converter.encodes(scalar) { return true }
        return false
    }

    /// Whether GBK can encode every character of `text`: a re-save in code page 936 keeps it
    /// as it is.
    package static func holdsAll(_ text: String) -> Bool {
        var converter = Converter()
        for scalar in text.unicodeScalars where !converter.encodes(scalar) { return false }
        return true
    }

    /// An iconv descriptor from UTF-8 to GBK, opened on the first character beyond ASCII.
    private struct Converter: ~Copyable {
        private var descriptor: iconv_t?
        private var opened = false

        deinit {
            if let descriptor { iconv_close(descriptor) }
        }

        /// Whether GBK can encode `scalar`.
        mutating func encodes(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII { return true }
            if !opened {
                opened = true
                let handle = iconv_open("GBK", "UTF-8")
                descriptor = handle.flatMap { Int(bitPattern: $0) == -1 ? nil : $0 }
            }
            guard let descriptor else { return scalar.value <= 0xFFFF }
            var input = Array(String(scalar).utf8).map { CChar(bitPattern: $0) }
            var output = [CChar](repeating: 0, count: 8)
            return input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    // Both buffers are non-empty; iconv only advances the pointers.
                    var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                    var inLeft = inBuffer.count
                    var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                    var outLeft = outBuffer.count
                    return iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft) != -1 && inLeft == 0
                }
            }
        }
    }
}
