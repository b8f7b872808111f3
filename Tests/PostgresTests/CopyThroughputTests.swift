import Foundation
import Postgres
import Testing

/// The ingest path's ceiling: binary COPY of ~1 KB dead-letter-shaped rows into a table with the
/// (topic, partition, offset) unique index. Prints the rate; asserts only that every row arrived, because
/// a rate depends on the machine. Serialized, and best run alone, so the figures are not shared with other
/// tests: `swift test --filter CopyThroughputTests` (`-c release` for the builder's real cost).
@Suite(.temporaryDatabase, .serialized)
struct CopyThroughputTests {
    private static let columns = """
        dlq_topic, dlq_partition, dlq_offset, key, value, headers, original_topic, error_class, fingerprint,
        failed_at, received_at
        """

    private static func createTable(on connection: PostgresConnection) async throws -> String {
        let table = TestDatabase.uniqueTableName("throughput")
        try await connection.execute("""
            CREATE TABLE \(unsafeRaw: table) (
                dlq_topic text NOT NULL, dlq_partition int4 NOT NULL, dlq_offset int8 NOT NULL,
                key bytea, value bytea, headers bytea[] NOT NULL, original_topic text, error_class text NOT NULL,
                fingerprint text NOT NULL, failed_at timestamptz, received_at timestamptz NOT NULL,
                UNIQUE (dlq_topic, dlq_partition, dlq_offset))
            """)
        return table
    }

    /// About 1 KB per row, shaped like a dead letter: an 850-byte value, a key, three headers.
    private struct RowMaker {
        let values: [[UInt8]]
        let key: [UInt8]
        let headers: [[UInt8]?] = [Array("trace-id-0123456789".utf8), Array("tenant-42".utf8), nil]
        let now = Date()

        init() {
            var generator = SeededGenerator(seed: 7)
            values = (0..<64).map { _ in generator.bytes(850) }
            key = generator.bytes(16)
        }

        func rows(_ offsets: Range<Int>) -> PostgresBinaryCopyRows {
            var rows = PostgresBinaryCopyRows(reservingCapacity: offsets.count * 1_100)
            for offset in offsets {
                rows.beginRow(columnCount: 11)
                rows.append("orders.dlq")
                rows.append(Int32(offset % 12))
                rows.append(Int64(offset))
                rows.append(key)
                rows.append(values[offset % values.count])
                rows.append(headers)
                rows.append("orders")
                rows.append("poison")
                rows.append("3f2a9c0d1b7e4f6a8c5d2e1f0a9b8c7d")
                rows.append(now)
                rows.append(now)
            }
            return rows
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test func copiesOneHundredThousandOneKilobyteRowsInOneCopy() async throws {
        let rowCount = 100_000
        try await TestDatabase.withConnection { connection in
            let table = try await Self.createTable(on: connection)
            let clock = ContinuousClock()
            let buildStart = clock.now
            let rows = RowMaker().rows(0..<rowCount)
            let buildTime = Self.seconds(clock.now - buildStart)

            let copyStart = clock.now
            let copied = try await connection.copyInBinary(
                "COPY \(unsafeRaw: table) (\(unsafeRaw: Self.columns)) FROM STDIN WITH (FORMAT binary)", rows: rows)
            let copyTime = Self.seconds(clock.now - copyStart)
            #expect(copied == rowCount)
            print("""
                binary COPY, one statement: \(rowCount) rows of \(rows.byteCount / rowCount) bytes: \
                build \(Int(buildTime * 1000)) ms, COPY \(Int(copyTime * 1000)) ms = \
                \(Int(Double(rowCount) / copyTime)) rows/s (\(Int(Double(rowCount) / (buildTime + copyTime))) rows/s with building)
                """)
        }
    }

    @Test func copiesOneHundredThousandOneKilobyteRowsInCommittedBatches() async throws {
        let rowCount = 100_000
        let batchSize = 5_000
        try await TestDatabase.withConnection { connection in
            let table = try await Self.createTable(on: connection)
            let maker = RowMaker()
            let clock = ContinuousClock()
            let start = clock.now
            var copied = 0
            for batchStart in stride(from: 0, to: rowCount, by: batchSize) {
                // Each batch is its own transaction, committed (and fsynced) as the ingest path does.
                let rows = maker.rows(batchStart..<(batchStart + batchSize))
                copied += try await connection.copyInBinary(
                    "COPY \(unsafeRaw: table) (\(unsafeRaw: Self.columns)) FROM STDIN WITH (FORMAT binary)", rows: rows)
            }
            let time = Self.seconds(clock.now - start)
            #expect(copied == rowCount)
            print("""
                binary COPY, \(rowCount / batchSize) committed batches of \(batchSize): \(rowCount) rows in \
                \(Int(time * 1000)) ms = \(Int(Double(rowCount) / time)) rows/s including building
                """)
        }
    }
}
