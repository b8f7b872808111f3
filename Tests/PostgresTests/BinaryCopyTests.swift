import Foundation
import Postgres
import Testing

/// Binary COPY moves rows in and out exactly, and a failed COPY leaves the connection usable.
@Suite(.temporaryDatabase)
struct BinaryCopyTests {
    /// One row of every type the COPY path writes, with NULLs where the table allows them.
    struct MixedRow: Equatable {
        var id: Int64
        var topic: String
        var partition: Int32
        var small: Int16?
        var flag: Bool?
        var score: Double
        var key: [UInt8]?
        var value: [UInt8]
        var headers: [[UInt8]?]
        var tags: [String]?
        var offsets: [Int64]
        var at: Date?

        static let columns = "id, topic, partition, small, flag, score, key, value, headers, tags, offsets, at"

        static func createTable(_ table: String, on connection: PostgresConnection) async throws {
            try await connection.execute("""
                CREATE TABLE \(unsafeRaw: table) (
                    id int8 PRIMARY KEY, topic text NOT NULL, partition int4 NOT NULL, small int2, flag bool,
                    score float8 NOT NULL, key bytea, value bytea NOT NULL, headers bytea[] NOT NULL, tags text[],
                    offsets int8[] NOT NULL, at timestamptz)
                """)
        }

        static func random(id: Int64, using generator: inout SeededGenerator) -> MixedRow {
            let words = ["orders", "payments", "naïve", "日本", "🎉", "", "a,b", "{x}", "\"q\"", "back\\slash"]
            func maybe<T>(_ value: T) -> T? { Bool.random(using: &generator) ? value : nil }
            let headerCount = Int.random(in: 0...4, using: &generator)
            return MixedRow(
                id: id,
                topic: words.randomElement(using: &generator)! + "-\(id)",
                partition: Int32.random(in: Int32.min...Int32.max, using: &generator),
                small: maybe(Int16.random(in: Int16.min...Int16.max, using: &generator)),
                flag: maybe(Bool.random(using: &generator)),
                score: Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF),
                key: maybe(generator.bytes(Int.random(in: 0...32, using: &generator))),
                value: generator.bytes(Int.random(in: 0...600, using: &generator)),
                headers: (0..<headerCount).map { _ in maybe(generator.bytes(Int.random(in: 0...20, using: &generator))) },
                tags: maybe((0..<Int.random(in: 0...3, using: &generator)).map { _ in words.randomElement(using: &generator)! }),
                offsets: (0..<Int.random(in: 0...3, using: &generator)).map { _ in Int64(bitPattern: generator.next()) },
                at: maybe(Date(timeIntervalSinceReferenceDate: Double(Int64.random(in: -1 << 50...1 << 50, using: &generator)) / 1_000_000)))
        }

        func append(to rows: inout PostgresBinaryCopyRows) {
            rows.beginRow(columnCount: 12)
            rows.append(id)
            rows.append(topic)
            rows.append(partition)
            rows.append(small)
            rows.append(flag)
            rows.append(score)
            rows.append(key)
            rows.append(value)
            rows.append(headers)
            rows.append(tags)
            rows.append(offsets)
            rows.append(at)
        }

        init(id: Int64, topic: String, partition: Int32, small: Int16?, flag: Bool?, score: Double, key: [UInt8]?,
             value: [UInt8], headers: [[UInt8]?], tags: [String]?, offsets: [Int64], at: Date?) {
            (self.id, self.topic, self.partition, self.small, self.flag, self.score) = (id, topic, partition, small, flag, score)
            (self.key, self.value, self.headers, self.tags, self.offsets, self.at) = (key, value, headers, tags, offsets, at)
        }

        init(_ row: PostgresRow) throws {
            self.init(
                id: try row.decode(column: "id"), topic: try row.decode(column: "topic"),
                partition: try row.decode(column: "partition"), small: try row.decode(column: "small"),
                flag: try row.decode(column: "flag"), score: try row.decode(column: "score"),
                key: try row.decode(column: "key"), value: try row.decode(column: "value"),
                headers: try row.decode(column: "headers"), tags: try row.decode(column: "tags"),
                offsets: try row.decode(column: "offsets"), at: try row.decode(column: "at"))
        }

        static func all(in table: String, on connection: PostgresConnection) async throws -> [MixedRow] {
            try await connection.query("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: table) ORDER BY id").map(MixedRow.init)
        }
    }

    private func insertRandomRows(_ count: Int, into table: String, on connection: PostgresConnection) async throws -> [MixedRow] {
        var generator = SeededGenerator(seed: 42)
        let expected = (0..<count).map { MixedRow.random(id: Int64($0), using: &generator) }
        var rows = PostgresBinaryCopyRows()
        for row in expected {
            row.append(to: &rows)
        }
        #expect(rows.rowCount == count)
        let copied = try await connection.copyInBinary(
            "COPY \(unsafeRaw: table) (\(unsafeRaw: MixedRow.columns)) FROM STDIN WITH (FORMAT binary)", rows: rows)
        #expect(copied == count)
        return expected
    }

    @Test func tenThousandMixedRowsRoundTripExactly() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("mixed")
            try await MixedRow.createTable(table, on: connection)
            let expected = try await insertRandomRows(10_000, into: table, on: connection)
            let stored = try await MixedRow.all(in: table, on: connection)
            #expect(stored.count == expected.count)
            #expect(stored == expected)
        }
    }

    @Test func copyOutThenCopyInRestoresTheSameRows() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("exported")
            try await MixedRow.createTable(table, on: connection)
            let expected = try await insertRandomRows(2_000, into: table, on: connection)
            let exported = try await connection.copyOut("COPY \(unsafeRaw: table) TO STDOUT WITH (FORMAT binary)")
            try await connection.execute("TRUNCATE \(unsafeRaw: table)")
            let copied = try await connection.copyIn("COPY \(unsafeRaw: table) FROM STDIN WITH (FORMAT binary)", data: exported)
            #expect(copied == expected.count)
            #expect(try await MixedRow.all(in: table, on: connection) == expected)
        }
    }

    @Test func appendRowBuildsTheSameStreamAsFieldByField() {
        var byRow = PostgresBinaryCopyRows()
        byRow.appendRow("a", Int32(1), [UInt8]([0, 1]), String?.none)
        var byField = PostgresBinaryCopyRows()
        byField.beginRow(columnCount: 4)
        byField.append("a")
        byField.append(Int32(1))
        byField.append([UInt8]([0, 1]))
        byField.append(String?.none)
        #expect(byRow.rowCount == 1)
        #expect(byRow.byteCount == byField.byteCount)
    }

    @Test func aRowWithTheWrongFieldCountIsRejectedBeforeSending() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("short_rows")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (a int8, b int8)")
            var rows = PostgresBinaryCopyRows()
            rows.beginRow(columnCount: 2)
            rows.append(1)
            let error = try await #require(throws: PostgresError.self) {
                try await connection.copyInBinary("COPY \(unsafeRaw: table) (a, b) FROM STDIN WITH (FORMAT binary)", rows: rows)
            }
            #expect(error.kind == .protocol)
        }
    }

    @Test func aCopyViolatingAUniqueKeyFailsAndTheConnectionRecovers() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("copy_conflict")
            try await connection.execute("CREATE TABLE \(unsafeRaw: table) (k text PRIMARY KEY)")
            var rows = PostgresBinaryCopyRows()
            rows.appendRow("same")
            rows.appendRow("same")
            let error = try await #require(throws: PostgresError.self) {
                try await connection.copyInBinary("COPY \(unsafeRaw: table) (k) FROM STDIN WITH (FORMAT binary)", rows: rows)
            }
            #expect(error.isUniqueViolation)
            #expect(!error.description.contains("same"))
            #expect(try await connection.query("SELECT count(*) AS n FROM \(unsafeRaw: table)").first?.decode(Int.self, column: "n") == 0)
        }
    }

    @Test func aStatementThatIsNotCopyFromStdinIsRejected() async throws {
        try await TestDatabase.withConnection { connection in
            let error = try await #require(throws: PostgresError.self) {
                try await connection.copyInBinary("SELECT 1", rows: PostgresBinaryCopyRows())
            }
            #expect(error.kind == .protocol)
            #expect(try await connection.query("SELECT 2 AS two").first?.decode(Int.self, column: "two") == 2)
        }
    }
}
