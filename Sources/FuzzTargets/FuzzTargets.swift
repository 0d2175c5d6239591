import Adapters
import Collector

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The parsers that read what the collector does not control — platform count strings, export
/// files, exec output, JSON bodies, times — under one fuzz entry point. The first input byte
/// picks the parser; the rest is its input. Any crash, trap or sanitizer report is a bug: every
/// parser must turn bad input into a value or an error.
///
/// Built by `Scripts/fuzz.sh` with `-sanitize=fuzzer,address -D COLLECTOR_FUZZING`, libFuzzer
/// calls ``fuzzOne(_:)``; a plain build gives an executable that replays input files (a crash
/// reproducer, or a whole corpus) through the same function.
enum FuzzTargets {
    /// The parsers, by the input's first byte modulo their count.
    static let names = [
        "count-string", "measure-string", "csv-table", "table-opener", "xlsx", "exec-line", "json", "rfc3339",
    ]

    /// A folder for the files the file-based parsers open (tmpfs where there is one).
    static let scratch: String = {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        return "\(base)/collector-fuzz-\(getpid())"
    }()

    /// Runs one input through the parser its first byte picks.
    static func fuzzOne(_ input: UnsafeRawBufferPointer) {
        guard let selector = input.first else { return }
        let body = UnsafeRawBufferPointer(rebasing: input.dropFirst())
        let bytes = Array(body)
        switch Int(selector) % names.count {
        case 0:
            _ = CountString.parse(String(decoding: bytes, as: UTF8.self))
        case 1:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = MeasureString.fraction(text)
            _ = MeasureString.seconds(text)
        case 2:
            var table = CSVTable(reader: TextReader(bytes: bytes, name: "fuzz.csv", chunkSize: 64))
            drain(&table)
        case 3:
            openAndDrain(bytes, name: "fuzz.csv")
        case 4:
            openAndDrain(Array("PK".utf8) + bytes, name: "fuzz.xlsx")
        case 5:
            // A clock in 2100: times up to then get past the future check to the rest.
            var parser = ExecLineParser(
                platform: Platform(rawValue: "fuzz"),
                now: { Timestamp(secondsSinceEpoch: 4_102_444_800) },
                calendar: .beijing
            )
            let batch = SampleBatch(sink: DiscardingSink())
            // Twice: the second parse exercises the parser's memo of the previous line.
            _ = try? parser.parse(body, into: batch)
            _ = try? parser.parse(body, into: batch)
        case 6:
            _ = try? JSONValue.parse(bytes)
        default:
            _ = PlatformCalendar.parseRFC3339(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Reads every row of a table (at most 100,000, so a huge input cannot stall the fuzzer).
    private static func drain(_ table: inout some Table) {
        var row = ByteRow()
        var rows = 0
        while rows < 100_000, (try? table.nextRow(into: &row)) == true {
            _ = row.cells
            rows += 1
        }
    }

    /// Writes `bytes` to a scratch file and opens it the way `collector import` does.
    private static func openAndDrain(_ bytes: [UInt8], name: String) {
        mkdir(scratch, 0o700)
        let path = scratch + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        switch try? TableOpener.open(path: path) {
        case .text(var table)?: drain(&table)
        case .workbook(var table)?: drain(&table)
        case .records(var table)?: drain(&table)
        case nil: break
        }
    }
}

#if COLLECTOR_FUZZING
    /// libFuzzer's entry point.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        FuzzTargets.fuzzOne(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }

    /// libFuzzer's driver (compiler-rt's `LLVMFuzzerRunDriver`, LLVM 11 and later).
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// The process entry: SwiftPM links an executable target's `main` to `<Module>_main`, so
    /// the fuzz build provides it and hands over to libFuzzer's driver.
    @_cdecl("FuzzTargets_main")
    public func fuzzTargetsMain(
        _ argc: CInt,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> CInt {
        var count = argc
        var vector = argv
        return runFuzzerDriver(&count, &vector) { data, size in
            FuzzTargets.fuzzOne(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
    }
#else
    /// Replays each file named on the command line; exits 2 on a missing file.
    @main
    enum FuzzReplay {
        static func main() {
            for path in CommandLine.arguments.dropFirst() {
                guard let bytes = try? FileSystem.readFileIfPresent(path) else {
                    let message = Array("fuzz-replay: cannot read \(path)\n".utf8)
                    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
                    exit(2)
                }
                bytes.withUnsafeBytes { FuzzTargets.fuzzOne($0) }
                print("ok \(path)")
            }
        }
    }
#endif

/// Takes samples and keeps none: the fuzzer checks parsing, not storage.
private struct DiscardingSink: SampleSink {
    func write(_ samples: [Sample]) throws -> WriteCounts { WriteCounts(written: samples.count) }
    func writeObjects(_ objects: [ContentObject]) throws {}
    func sync() throws {}
}
