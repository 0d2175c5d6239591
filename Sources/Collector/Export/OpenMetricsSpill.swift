#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The OpenMetrics export in flat memory: families may not be interleaved and one family spans
/// every platform folder and month, so the rows cannot be written as partitions are read. Each
/// partition's rows are sorted as the output orders them and written, 40 bytes a row, to one
/// temporary file (a sorted run per family and platform); the output then merges, family by
/// family and platform by platform, the runs of every month. Memory: one partition and a read
/// buffer per month; disk: 40 bytes a row under `TMPDIR` (default `/tmp`).
///
/// The file is unlinked as soon as it is opened, so it goes away when the export ends, fails
/// or is killed. The order is ``OpenMetricsFormat/Collection``'s, which holds every row in
/// memory instead: by metric, platform, account and object (bytewise), quality, source and time.
final class OpenMetricsSpill {
    /// A family's rows of one platform in one partition, in output order.
    private struct Run {
        /// The index of its first row in the file.
        var first: Int
        var count: Int
    }

    private struct RunKey: Hashable {
        var metric: UInt16
        var platform: UInt16
    }

    private let tables: PartitionMerger.Tables
    private let descriptor: Int32
    /// Names the file in errors (it has no name left on disk).
    private let path: String
    private var rowCount = 0
    /// The runs of each family and platform, in partition (month) order.
    private var runs: [RunKey: [Run]] = [:]

    private static let rowSize = MemoryLayout<PartitionMerger.Row>.stride

    /// Creates the temporary file in `TMPDIR` (or `/tmp`) and unlinks it at once.
    /// - Throws: ``StorageError`` naming the folder when the file cannot be created.
    init(tables: PartitionMerger.Tables) throws(StorageError) {
        // Rows are written as their memory: plain values only, no references.
        precondition(_isPOD(PartitionMerger.Row.self), "PartitionMerger.Row must stay a plain value to spill")
        self.tables = tables
        let folder = Self.temporaryFolder()
        var attempts = 0
        while true {
            let candidate = folder + "/collector-openmetrics.tmp-" + FileSystem.randomSuffix()
            let fd = open(candidate, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
            if fd < 0 {
                let code = errno
                attempts += 1
                if code == EINTR || (code == EEXIST && attempts < 100) { continue }
                throw StorageError(
                    path: folder,
                    operation: "create",
                    errno: code,
                    detail: "the OpenMetrics export sorts its rows in a temporary file there, about 40 bytes a"
                        + " row: set TMPDIR to a writable folder with room"
                )
            }
            unlink(candidate)
            descriptor = fd
            path = candidate
            return
        }
    }

    deinit {
        close(descriptor)
    }

    /// `TMPDIR` when set, else `/tmp`.
    private static func temporaryFolder() -> String {
        if let value = getenv("TMPDIR"), value.pointee != 0 {
            let folder = String(cString: value)
            return folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        }
        return "/tmp"
    }

    /// Sorts the rows of one partition into runs and writes them.
    /// - Throws: ``StorageError`` when the file cannot be written (a full disk).
    func add(_ partition: [PartitionMerger.Row]) throws(StorageError) {
        guard !partition.isEmpty else { return }
        // Ranks of this partition's strings only: their bytewise order is the output's.
        let accountRanks = Self.localRanks(partition.map(\.account), tables.accounts)
        let objectRanks = Self.localRanks(partition.map(\.object), tables.objects)
        let metricRanks = Self.localRanks(partition.map { UInt32($0.metric) }, tables.metrics)
        let platformRanks = Self.localRanks(partition.map { UInt32($0.platform) }, tables.platforms)
        let sorted = partition.sorted { lhs, rhs in
            if lhs.metric != rhs.metric { return metricRanks[UInt32(lhs.metric)]! < metricRanks[UInt32(rhs.metric)]! }
            if lhs.platform != rhs.platform {
                return platformRanks[UInt32(lhs.platform)]! < platformRanks[UInt32(rhs.platform)]!
            }
            if lhs.account != rhs.account { return accountRanks[lhs.account]! < accountRanks[rhs.account]! }
            if lhs.object != rhs.object { return objectRanks[lhs.object]! < objectRanks[rhs.object]! }
            return Self.seriesTail(lhs, rhs)
        }
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count, sorted[end].metric == sorted[start].metric,
                sorted[end].platform == sorted[start].platform
            {
                end += 1
            }
            runs[RunKey(metric: sorted[start].metric, platform: sorted[start].platform), default: []].append(
                Run(first: rowCount + start, count: end - start)
            )
            start = end
        }
        let failure = sorted.withUnsafeBytes { bytes -> StorageError? in
            do throws(StorageError) {
                try FileSystem.writeAll(descriptor, bytes, path: path)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        rowCount += sorted.count
    }

    /// The order within one series key after account and object: quality, source, time.
    private static func seriesTail(_ lhs: PartitionMerger.Row, _ rhs: PartitionMerger.Row) -> Bool {
        if lhs.quality != rhs.quality { return lhs.quality.rawValue < rhs.quality.rawValue }
        if lhs.source != rhs.source { return lhs.source.rawValue < rhs.source.rawValue }
        return lhs.time < rhs.time
    }

    /// The bytewise rank among `numbers` of each of them.
    private static func localRanks(_ numbers: [UInt32], _ table: StringTable) -> [UInt32: Int] {
        let distinct = Array(Set(numbers))
        let strings = table.strings
        let order = distinct.sorted { strings[Int($0)].utf8.lexicographicallyPrecedes(strings[Int($1)].utf8) }
        var ranks: [UInt32: Int] = [:]
        ranks.reserveCapacity(order.count)
        for (rank, number) in order.enumerated() { ranks[number] = rank }
        return ranks
    }

    /// Writes every family (by name) with each platform's series merged across the months,
    /// then `# EOF`, exactly as ``OpenMetricsFormat/Collection`` does; `emit` gets the bytes
    /// when they pass `chunkSize` and at the end.
    /// - Throws: ``StorageError`` when the file cannot be read back or `emit` fails.
    func write(
        chunkSize: Int = 1 << 20,
        _ emit: (inout [UInt8]) throws(StorageError) -> Void
    ) throws(StorageError) {
        let metricRanks = tables.metrics.ranks()
        let platformRanks = tables.platforms.ranks()
        let accountRanks = tables.accounts.ranks()
        let objectRanks = tables.objects.ranks()
        let keys = runs.keys.sorted { lhs, rhs in
            if lhs.metric != rhs.metric { return metricRanks[Int(lhs.metric)] < metricRanks[Int(rhs.metric)] }
            return platformRanks[Int(lhs.platform)] < platformRanks[Int(rhs.platform)]
        }
        /// Whether `lhs` (of run `left`) comes before `rhs` (of run `right`): the series order,
        /// then the earlier partition, as a stable sort of all rows would give.
        func precedes(_ lhs: PartitionMerger.Row, _ left: Int, _ rhs: PartitionMerger.Row, _ right: Int) -> Bool {
            if lhs.account != rhs.account { return accountRanks[Int(lhs.account)] < accountRanks[Int(rhs.account)] }
            if lhs.object != rhs.object { return objectRanks[Int(lhs.object)] < objectRanks[Int(rhs.object)] }
            if lhs.quality != rhs.quality || lhs.source != rhs.source || lhs.time != rhs.time {
                return Self.seriesTail(lhs, rhs)
            }
            return left < right
        }

        var bytes: [UInt8] = []
        var family: UInt16?
        for key in keys {
            var readers: [Reader] = []
            for run in runs[key] ?? [] { readers.append(try Reader(run: run, descriptor: descriptor, path: path)) }
            // A binary heap of reader indices by their current row.
            var heap = Array(readers.indices)
            func less(_ a: Int, _ b: Int) -> Bool { precedes(readers[a].current, a, readers[b].current, b) }
            func siftDown(_ start: Int) {
                var parent = start
                while true {
                    let left = 2 * parent + 1
                    guard left < heap.count else { return }
                    var child = left
                    if left + 1 < heap.count, less(heap[left + 1], heap[left]) { child = left + 1 }
                    guard less(heap[child], heap[parent]) else { return }
                    heap.swapAt(child, parent)
                    parent = child
                }
            }
            for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
            while let top = heap.first {
                let row = readers[top].current
                tables.withRowParts(of: row) { parts in
                    if row.metric != family {
                        OpenMetricsFormat.appendFamilyHeader(metric: parts.metric, to: &bytes)
                        family = row.metric
                    }
                    OpenMetricsFormat.appendSample(parts, to: &bytes)
                }
                if bytes.count >= chunkSize { try emit(&bytes) }
                if try readers[top].advance() {
                    siftDown(0)
                } else {
                    heap[0] = heap[heap.count - 1]
                    heap.removeLast()
                    if !heap.isEmpty { siftDown(0) }
                }
            }
        }
        ByteText.append(OpenMetricsFormat.endOfFile, to: &bytes)
        try emit(&bytes)
    }

    /// Reads one run back, a block of rows at a time.
    private struct Reader {
        private static let blockRows = 2048

        let descriptor: Int32
        let path: String
        private var next: Int
        private let end: Int
        private var block: [PartitionMerger.Row] = []
        private var position = 0

        init(run: Run, descriptor: Int32, path: String) throws(StorageError) {
            self.descriptor = descriptor
            self.path = path
            next = run.first
            end = run.first + run.count
            try fill()
        }

        var current: PartitionMerger.Row { block[position] }

        /// Moves to the next row; false at the end of the run.
        mutating func advance() throws(StorageError) -> Bool {
            position += 1
            if position < block.count { return true }
            guard next < end else { return false }
            try fill()
            return true
        }

        private mutating func fill() throws(StorageError) {
            let count = min(Self.blockRows, end - next)
            let empty = PartitionMerger.Row(
                time: 0,
                mantissa: 0,
                account: 0,
                object: 0,
                platform: 0,
                metric: 0,
                scale: 0,
                quality: .exact,
                source: .api
            )
            block = [PartitionMerger.Row](repeating: empty, count: count)
            let wanted = count * OpenMetricsSpill.rowSize
            let offset = next * OpenMetricsSpill.rowSize
            var done = 0
            var failure: Int32 = 0
            block.withUnsafeMutableBytes { buffer in
                while done < wanted {
                    let got = pread(descriptor, buffer.baseAddress! + done, wanted - done, off_t(offset + done))
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 {
                        failure = got < 0 ? errno : EIO
                        return
                    }
                    done += got
                }
            }
            if failure != 0 { throw StorageError(path: path, operation: "read", errno: failure) }
            next += count
            position = 0
        }
    }
}
