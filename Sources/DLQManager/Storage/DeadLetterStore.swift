import DLQCore
import Foundation
import Postgres

/// Reads and writes dead letters in the `dead_letters` table.
public struct DeadLetterStore: Sendable {
    public init() {}

    /// The columns written for each dead letter, in COPY order; the rest take their defaults.
    private static let columns = """
        dlq_topic, dlq_partition, dlq_offset, record_key, record_value, header_names, header_values, \
        kafka_timestamp, format, original_topic, original_partition, original_offset, original_event_start, \
        original_event_length, consumer_group, consumer, exception_class, error_message, stack_trace, \
        attempt_count, failed_at, trace_id, span_id, decode_note, fingerprint, error_class, severity, rule_name, \
        replay_generation, replayed_from, replayed_by_job, truncated_from
        """

    /// Stores a batch inside the caller's transaction and returns the dead letters that were new.
    ///
    /// A DLQ coordinate already stored (redelivery after a crash or rebalance) is skipped by
    /// `ON CONFLICT DO NOTHING`. Binary COPY straight into the table is the database's fastest write path but
    /// cannot skip conflicts, so it is tried first under a savepoint; only a batch that does hit a stored
    /// coordinate pays for the staging table that `ON CONFLICT` needs.
    public func insert(_ letters: [ClassifiedDeadLetter], in transaction: PostgresConnection) async throws -> [ClassifiedDeadLetter] {
        try await insert(letters, encoded: Self.copyRows(letters), in: transaction)
    }

    /// As ``insert(_:in:)`` with the rows already encoded by ``copyRows(_:)`` (ahead of time, off the write path).
    func insert(
        _ letters: [ClassifiedDeadLetter],
        encoded rows: PostgresBinaryCopyRows,
        in transaction: PostgresConnection
    ) async throws -> [ClassifiedDeadLetter] {
        guard !letters.isEmpty else { return [] }
        try await transaction.execute("SAVEPOINT dead_letters_copy")
        do {
            _ = try await transaction.copyInBinary(
                "COPY dead_letters (\(unsafeRaw: Self.columns)) FROM STDIN WITH (FORMAT binary)",
                rows: rows
            )
            try await transaction.execute("RELEASE SAVEPOINT dead_letters_copy")
            return letters
        } catch let error as PostgresError where error.isUniqueViolation {
            try await transaction.execute("ROLLBACK TO SAVEPOINT dead_letters_copy")
        }
        try await transaction.execute("""
            CREATE TEMP TABLE IF NOT EXISTS incoming_dead_letters ON COMMIT DELETE ROWS AS
            SELECT \(unsafeRaw: Self.columns) FROM dead_letters WITH NO DATA
            """)
        _ = try await transaction.copyInBinary(
            "COPY incoming_dead_letters (\(unsafeRaw: Self.columns)) FROM STDIN WITH (FORMAT binary)",
            rows: rows
        )
        let inserted = try await transaction.query("""
            INSERT INTO dead_letters (\(unsafeRaw: Self.columns))
            SELECT \(unsafeRaw: Self.columns) FROM incoming_dead_letters
            ON CONFLICT (dlq_topic, dlq_partition, dlq_offset) DO NOTHING
            RETURNING dlq_topic, dlq_partition, dlq_offset
            """)
        let new = Set(try inserted.map { row in
            DLQCoordinate(
                topic: try row.decode(String.self, column: "dlq_topic"),
                partition: try row.decode(Int32.self, column: "dlq_partition"),
                offset: try row.decode(Int64.self, column: "dlq_offset")
            )
        })
        return letters.filter { new.contains($0.letter.coordinate) }
    }

    /// The selected dead letters, newest first, with their derived status (``DeadLetterStatus``).
    ///
    /// - Parameter beforeID: keyset pagination: only dead letters older than this id (ids grow with ingestion).
    public func list(
        _ selection: DeadLetterSelection,
        beforeID: Int64? = nil,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [StoredDeadLetter] {
        let rows = try await connection.query("""
            SELECT \(unsafeRaw: Self.selectColumns) FROM dead_letters d
            WHERE \(selection.sqlCondition)
              AND (\(beforeID)::bigint IS NULL OR d.id < \(beforeID))
            ORDER BY d.id DESC
            LIMIT \(limit)
            """)
        return try rows.map(Self.decode)
    }

    public func find(id: Int64, on connection: PostgresConnection) async throws -> StoredDeadLetter? {
        let rows = try await connection.query("SELECT \(unsafeRaw: Self.selectColumns) FROM dead_letters d WHERE id = \(id)")
        return try rows.map(Self.decode).first
    }

    /// Dead letters in id order, for work that walks the whole table in pages.
    func page(after id: Int64, limit: Int, on connection: PostgresConnection) async throws -> [StoredDeadLetter] {
        let rows = try await connection.query("""
            SELECT \(unsafeRaw: Self.selectColumns) FROM dead_letters d WHERE id > \(id) ORDER BY id LIMIT \(limit)
            """)
        return try rows.map(Self.decode)
    }

    /// Read through the alias `d`, with the status operators see (``DeadLetterSelection/statusSQL``).
    private static let selectColumns = "id, ingested_at, \(DeadLetterSelection.statusSQL) AS status, " + columns

    /// The COPY encoding of `letters`, in ``columns`` order.
    static func copyRows(_ letters: [ClassifiedDeadLetter]) -> PostgresBinaryCopyRows {
        guard !letters.isEmpty else { return PostgresBinaryCopyRows() }
        // Through the buffer, so each field is read in place instead of copying every dead letter (a struct
        // of some twenty references) first.
        return letters.withUnsafeBufferPointer { letters in
            // Sized up front: regrowing a buffer of megabytes copies it each time (measured: 9% of the daemon).
            var estimate = 0
            for index in letters.indices {
                estimate += 512 + (letters[index].letter.key?.count ?? 0) + (letters[index].letter.value?.count ?? 0)
                    + (letters[index].letter.stackTrace?.utf8.count ?? 0) + 64 * letters[index].letter.headers.count
            }
            var rows = PostgresBinaryCopyRows(reservingCapacity: estimate)
            for index in letters.indices {
                rows.beginRow(columnCount: 32)
                rows.append(letters[index].letter.coordinate.topic)
                rows.append(letters[index].letter.coordinate.partition)
                rows.append(letters[index].letter.coordinate.offset)
                rows.append(letters[index].letter.key)
                rows.append(letters[index].letter.value)
                rows.append(array: letters[index].letter.headers.lazy.map(\.name))
                rows.append(array: letters[index].letter.headers.lazy.map(\.value))
                rows.append(letters[index].letter.kafkaTimestamp)
                rows.append(letters[index].letter.format.rawValue)
                rows.append(letters[index].letter.originalTopic)
                rows.append(letters[index].letter.originalPartition)
                rows.append(letters[index].letter.originalOffset)
                rows.append(letters[index].letter.originalEventRange.map { Int32($0.lowerBound) })
                rows.append(letters[index].letter.originalEventRange.map { Int32($0.count) })
                rows.append(letters[index].letter.consumerGroup)
                rows.append(letters[index].letter.consumer)
                rows.append(letters[index].letter.exceptionClass)
                rows.append(letters[index].letter.errorMessage)
                rows.append(letters[index].letter.stackTrace)
                rows.append(letters[index].letter.attemptCount)
                rows.append(letters[index].letter.failedAt)
                rows.append(letters[index].letter.traceID)
                rows.append(letters[index].letter.spanID)
                rows.append(letters[index].letter.decodeNotes.isEmpty ? nil : letters[index].letter.decodeNotes.joined(separator: "; "))
                rows.append(letters[index].fingerprint.value)
                rows.append(letters[index].classification.errorClass)
                rows.append(letters[index].classification.severity.rawValue)
                rows.append(letters[index].classification.ruleName)
                rows.append(letters[index].letter.replayLineage?.count ?? 0)
                rows.append(letters[index].letter.replayLineage?.origin.text)
                rows.append(letters[index].letter.replayLineage?.jobID)
                rows.append(letters[index].letter.truncatedFrom)
            }
            return rows
        }
    }

    private static func decodeLineage(_ row: PostgresRow) throws -> ReplayLineage? {
        guard let job = try row.decode(Int64?.self, column: "replayed_by_job"),
              let origin = try row.decode(String?.self, column: "replayed_from").flatMap(DLQCoordinate.init(text:))
        else { return nil }
        return ReplayLineage(jobID: job, count: try row.decode(Int32.self, column: "replay_generation"), origin: origin)
    }

    private static func decode(_ row: PostgresRow) throws -> StoredDeadLetter {
        let start = try row.decode(Int32?.self, column: "original_event_start")
        let length = try row.decode(Int32?.self, column: "original_event_length")
        let names = try row.decode([String].self, column: "header_names")
        let values = try row.decode([[UInt8]?].self, column: "header_values")
        let note = try row.decode(String?.self, column: "decode_note")
        let letter = DeadLetter(
            coordinate: DLQCoordinate(
                topic: try row.decode(String.self, column: "dlq_topic"),
                partition: try row.decode(Int32.self, column: "dlq_partition"),
                offset: try row.decode(Int64.self, column: "dlq_offset")
            ),
            key: try row.decode([UInt8]?.self, column: "record_key"),
            value: try row.decode([UInt8]?.self, column: "record_value"),
            headers: zip(names, values).map { RecordHeader(name: $0, value: $1) },
            kafkaTimestamp: try row.decode(Date?.self, column: "kafka_timestamp"),
            format: EnvelopeFormat(rawValue: try row.decode(String.self, column: "format")) ?? .raw,
            originalTopic: try row.decode(String?.self, column: "original_topic"),
            originalPartition: try row.decode(Int32?.self, column: "original_partition"),
            originalOffset: try row.decode(Int64?.self, column: "original_offset"),
            originalEventRange: start.flatMap { start in length.map { Int(start)..<Int(start + $0) } },
            consumerGroup: try row.decode(String?.self, column: "consumer_group"),
            consumer: try row.decode(String?.self, column: "consumer"),
            exceptionClass: try row.decode(String?.self, column: "exception_class"),
            errorMessage: try row.decode(String?.self, column: "error_message"),
            stackTrace: try row.decode(String?.self, column: "stack_trace"),
            attemptCount: try row.decode(Int32?.self, column: "attempt_count"),
            failedAt: try row.decode(Date?.self, column: "failed_at"),
            traceID: try row.decode(String?.self, column: "trace_id"),
            spanID: try row.decode(String?.self, column: "span_id"),
            decodeNotes: note.map { [$0] } ?? [],
            replayLineage: try Self.decodeLineage(row),
            truncatedFrom: try row.decode(Int64?.self, column: "truncated_from")
        )
        return StoredDeadLetter(
            id: try row.decode(Int64.self, column: "id"),
            letter: letter,
            ingestedAt: try row.decode(Date.self, column: "ingested_at"),
            status: try row.decode(String.self, column: "status"),
            fingerprint: try row.decode(String?.self, column: "fingerprint"),
            errorClass: try row.decode(String?.self, column: "error_class"),
            severity: try row.decode(String?.self, column: "severity"),
            ruleName: try row.decode(String?.self, column: "rule_name")
        )
    }
}
