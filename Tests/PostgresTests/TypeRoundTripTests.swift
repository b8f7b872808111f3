import Foundation
import Postgres
import Testing

/// Every supported Swift type goes to PostgreSQL as a bind parameter and comes back unchanged.
@Suite(.temporaryDatabase)
struct TypeRoundTripTests {
    /// Sends `value` as a parameter and reads the server's echo of it back.
    private func echo<T: PostgresEncodable & PostgresDecodable>(_ value: T) async throws -> T {
        try await TestDatabase.withConnection { connection in
            let rows = try await connection.query("SELECT \(value) AS v")
            return try #require(rows.first).decode(T.self, column: "v")
        }
    }

    @Test func stringsWithAnyUnicodeRoundTrip() async throws {
        let strings = ["", "plain", "héllo wörld", "日本語テキスト", "emoji 👩‍👩‍👧 and flags 🇫🇷", "e\u{301}", "\u{7F}\u{1}\t\n\r",
                       "\u{10FFFF}", "'quoted' \"double\" \\backslash", String(repeating: "x", count: 100_000)]
        for string in strings {
            #expect(try await echo(string) == string)
        }
    }

    @Test func integersRoundTripAtTheirLimits() async throws {
        for value in [Int.min, -1, 0, 1, Int.max] {
            #expect(try await echo(value) == value)
        }
        for value in [Int64.min, Int64.max] {
            #expect(try await echo(value) == value)
        }
        for value in [Int32.min, Int32.max] {
            #expect(try await echo(value) == value)
        }
        for value in [Int16.min, Int16.max] {
            #expect(try await echo(value) == value)
        }
    }

    @Test func boolsRoundTrip() async throws {
        #expect(try await echo(true) == true)
        #expect(try await echo(false) == false)
    }

    @Test func doublesRoundTripBitForBit() async throws {
        let doubles: [Double] = [0, -0.0, 1.5, -123456.789e-300, .pi, .greatestFiniteMagnitude,
                                 .leastNonzeroMagnitude, .infinity, -.infinity, .nan]
        for value in doubles {
            #expect(try await echo(value).bitPattern == value.bitPattern)
        }
    }

    @Test func byteaHoldsAll256ByteValues() async throws {
        let bytes = (0...255).map { UInt8($0) } + (0...255).reversed().map { UInt8($0) }
        #expect(try await echo(bytes) == bytes)
    }

    @Test func byteaCanBeEmpty() async throws {
        #expect(try await echo([UInt8]()) == [])
    }

    @Test func oneMegabyteByteaRoundTrips() async throws {
        var generator = SeededGenerator(seed: 1)
        let bytes = generator.bytes(1 << 20)
        #expect(try await echo(bytes) == bytes)
    }

    @Test func datesKeepMicrosecondPrecision() async throws {
        let microseconds: [Int64] = [0, 1, -1, 789_012_345_678_901, -31_622_400_000_001, 1_763_840_000_123_456]
        for micros in microseconds {
            let date = Date(timeIntervalSinceReferenceDate: Double(micros) / 1_000_000)
            #expect(try await echo(date) == date)
        }
    }

    @Test func datesAreRoundedToTheNearestMicrosecond() async throws {
        let date = Date(timeIntervalSinceReferenceDate: 10.000_000_7)
        let stored = try await echo(date)
        #expect(stored == Date(timeIntervalSinceReferenceDate: 10.000_001))
    }

    @Test func dateIsTheServersInstant() async throws {
        let epoch = try await TestDatabase.withConnection { connection in
            try await connection.query("SELECT '1970-01-01 00:00:00+00'::timestamptz AS t").first!.decode(Date.self, column: "t")
        }
        #expect(epoch == Date(timeIntervalSince1970: 0))
    }

    @Test func stringArraysRoundTripWithAwkwardElements() async throws {
        let strings = ["", "NULL", "a,b", "{braces}", "\"quotes\"", "back\\slash", "spaces  ", "ünïcödé 🎉"]
        #expect(try await echo(strings) == strings)
    }

    @Test func emptyArraysRoundTrip() async throws {
        #expect(try await echo([String]()) == [])
        #expect(try await echo([Int64]()) == [])
        #expect(try await echo([[UInt8]?]()) == [])
    }

    @Test func byteaArraysKeepNullElements() async throws {
        let elements: [[UInt8]?] = [nil, [], (0...255).map { UInt8($0) }, nil, [0, 0, 0]]
        #expect(try await echo(elements) == elements)
    }

    @Test func int64ArraysRoundTrip() async throws {
        let values: [Int64] = [Int64.min, -1, 0, 1, Int64.max]
        #expect(try await echo(values) == values)
    }

    @Test func uuidsRoundTripAndReadAsText() async throws {
        let id = UUID()
        #expect(try await echo(id) == id)
        let text = try await TestDatabase.withConnection { connection in
            try await connection.query("SELECT \(id) AS id").first!.decode(String.self, column: "id")
        }
        #expect(text == id.uuidString.lowercased())
    }

    @Test func nilBindsNullForEveryType() async throws {
        #expect(try await echo(String?.none) == nil)
        #expect(try await echo(Int?.none) == nil)
        #expect(try await echo(Int32?.none) == nil)
        #expect(try await echo(Int64?.none) == nil)
        #expect(try await echo(Int16?.none) == nil)
        #expect(try await echo(Bool?.none) == nil)
        #expect(try await echo(Double?.none) == nil)
        #expect(try await echo([UInt8]?.none) == nil)
        #expect(try await echo(Date?.none) == nil)
        #expect(try await echo([String]?.none) == nil)
        #expect(try await echo([[UInt8]?]?.none) == nil)
        #expect(try await echo([Int64]?.none) == nil)
    }

    @Test func optionalsWithValuesRoundTrip() async throws {
        #expect(try await echo(String?.some("x")) == "x")
        #expect(try await echo(Int?.some(42)) == 42)
        #expect(try await echo([UInt8]?.some([0, 1])) == [0, 1])
    }

    @Test func nullIntoANonOptionalIsADecodingError() async throws {
        try await TestDatabase.withConnection { connection in
            let row = try #require(try await connection.query("SELECT NULL::text AS v").first)
            let error = try #require(throws: PostgresError.self) { try row.decode(String.self, column: "v") }
            #expect(error.kind == .decoding)
        }
    }

    @Test func aMismatchedTypeIsADecodingError() async throws {
        try await TestDatabase.withConnection { connection in
            let row = try #require(try await connection.query("SELECT 'text'::text AS v").first)
            let error = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "v") }
            #expect(error.kind == .decoding)
        }
    }

    @Test func everyTypeRoundTripsThroughATableIncludingNulls() async throws {
        try await TestDatabase.withConnection { connection in
            let table = TestDatabase.uniqueTableName("all_types")
            try await connection.execute("""
                CREATE TABLE \(unsafeRaw: table) (
                    id int4 PRIMARY KEY, s text, i int8, i32 int4, i64 int8, i16 int2, b bool, d float8, bytes bytea,
                    at timestamptz, strings text[], blobs bytea[], numbers int8[])
                """)
            let at = Date(timeIntervalSinceReferenceDate: 785_000_000.123_456)
            let blobs: [[UInt8]?] = [[1, 0, 2], nil]
            try await connection.execute("""
                INSERT INTO \(unsafeRaw: table) VALUES
                (1, \("s"), \(Int(7)), \(Int32(8)), \(Int64(9)), \(Int16(10)), \(true), \(2.5), \([UInt8]([0, 255])),
                 \(at), \(["a", "b"]), \(blobs), \([Int64(3), 4]))
                """)
            try await connection.execute("""
                INSERT INTO \(unsafeRaw: table) VALUES
                (2, \(String?.none), \(Int?.none), \(Int32?.none), \(Int64?.none), \(Int16?.none), \(Bool?.none),
                 \(Double?.none), \([UInt8]?.none), \(Date?.none), \([String]?.none), \([[UInt8]?]?.none), \([Int64]?.none))
                """)
            let rows = try await connection.query("SELECT * FROM \(unsafeRaw: table) ORDER BY id")
            #expect(rows.count == 2)
            let full = rows[0]
            #expect(try full.decode(String.self, column: "s") == "s")
            #expect(try full.decode(Int.self, column: "i") == 7)
            #expect(try full.decode(Int32.self, column: "i32") == 8)
            #expect(try full.decode(Int64.self, column: "i64") == 9)
            #expect(try full.decode(Int16.self, column: "i16") == 10)
            #expect(try full.decode(Bool.self, column: "b") == true)
            #expect(try full.decode(Double.self, column: "d") == 2.5)
            #expect(try full.decode([UInt8].self, column: "bytes") == [0, 255])
            #expect(try full.decode(Date.self, column: "at") == at)
            #expect(try full.decode([String].self, column: "strings") == ["a", "b"])
            #expect(try full.decode([[UInt8]?].self, column: "blobs") == blobs)
            #expect(try full.decode([Int64].self, column: "numbers") == [3, 4])
            let empty = rows[1]
            #expect(try empty.decode(String?.self, column: "s") == nil)
            #expect(try empty.decode(Int?.self, column: "i") == nil)
            #expect(try empty.decode(Int32?.self, column: "i32") == nil)
            #expect(try empty.decode(Int64?.self, column: "i64") == nil)
            #expect(try empty.decode(Int16?.self, column: "i16") == nil)
            #expect(try empty.decode(Bool?.self, column: "b") == nil)
            #expect(try empty.decode(Double?.self, column: "d") == nil)
            #expect(try empty.decode([UInt8]?.self, column: "bytes") == nil)
            #expect(try empty.decode(Date?.self, column: "at") == nil)
            #expect(try empty.decode([String]?.self, column: "strings") == nil)
            #expect(try empty.decode([[UInt8]?]?.self, column: "blobs") == nil)
            #expect(try empty.decode([Int64]?.self, column: "numbers") == nil)
        }
    }

    @Test func columnsDecodeByIndexToo() async throws {
        try await TestDatabase.withConnection { connection in
            let row = try #require(try await connection.query("SELECT 1::int4, 'two'::text").first)
            #expect(try row.decode(Int.self, column: 0) == 1)
            #expect(try row.decode(String.self, column: 1) == "two")
        }
    }

    @Test func aggregatesReturningNumericDecodeAsNumbers() async throws {
        try await TestDatabase.withConnection { connection in
            let row = try #require(try await connection.query(
                "SELECT sum(x) AS total, avg(x) AS mean FROM (VALUES (9223372036854775807::int8), (-6::int8)) AS v(x)").first)
            #expect(try row.decode(Int.self, column: "total") == Int.max - 6)
            #expect(try row.decode(Double.self, column: "mean") == Double(Int.max - 6) / 2)
        }
    }

    @Test func numericDecodesAsTheServersOwnText() async throws {
        try await TestDatabase.withConnection { connection in
            let literals = ["0", "0.0001", "123456789.000012", "-0.5", "10000", "1e20", "1.5e-10", "-98765.4321000",
                            "NaN", "Infinity", "-Infinity", "0.000", "99999999999999999999.99999999999999999999"]
            for literal in literals {
                let row = try #require(try await connection.query("SELECT \(literal)::numeric AS n, \(literal)::numeric::text AS t").first)
                #expect(try row.decode(String.self, column: "n") == row.decode(String.self, column: "t"))
            }
        }
    }
}
