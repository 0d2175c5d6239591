/// Decodes one line of JSON Lines or line protocol; keeps its buffers from one line to the
/// next. (CSV records may span lines: ``PartitionScanner`` parses them itself.)
struct RowDecoder {
    private var jsonScratch = JSONLineScratch()
    private var lineScratch: [UInt8] = []

    /// Creates a decoder.
    init() {}

    /// Calls `body` with the row of one JSON Lines or line-protocol line (without its LF).
    mutating func decodeLine(_ line: UnsafeRawBufferPointer, format: OutputFormat, _ body: (RowParts) -> Void) -> Bool {
        switch format {
        case .jsonl: JSONLinesFormat.decodeLine(line, scratch: &jsonScratch, body)
        case .influx: LineProtocolFormat.decodeLine(line, scratch: &lineScratch, body)
        case .csv: false
        }
    }
}
