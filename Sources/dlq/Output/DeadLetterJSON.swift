import DLQCore
import DLQManager
import Foundation

/// The JSON shape of a stored dead letter, shared by `list --json` (without the record's bytes) and
/// `show --json` (with them). Bytes appear base64-encoded, plus as `text` when they are valid UTF-8.
struct DeadLetterJSON: Encodable {
    struct Coordinate: Encodable {
        var topic: String?
        var partition: Int32?
        var offset: Int64?
    }

    struct Bytes: Encodable {
        var size: Int
        var text: String?
        var base64: String

        init?(_ bytes: [UInt8]?) {
            guard let bytes else { return nil }
            size = bytes.count
            text = String(validating: bytes, as: UTF8.self)
            base64 = Data(bytes).base64EncodedString()
        }
    }

    struct Header: Encodable {
        var name: String
        var value: Bytes?
    }

    var id: Int64
    var status: String
    var ingestedAt: Date
    var dlq: Coordinate
    var format: String
    var original: Coordinate
    var consumerGroup: String?
    var consumer: String?
    var exceptionClass: String?
    var errorMessage: String?
    var attemptCount: Int32?
    var failedAt: Date?
    var kafkaTimestamp: Date?
    var traceID: String?
    var spanID: String?
    var decodeNote: String?
    var stackTrace: String?
    var key: Bytes?
    var value: Bytes?
    var originalEvent: Bytes?
    var headers: [Header]?
    /// Replay lineage of a dead letter that came back after a replay.
    var replayedFrom: String?
    var replayedByJob: Int64?
    var replayGeneration: Int32?
    /// The record's full size when it is stored cut (over `ingest.max_record_bytes`).
    var truncatedFrom: Int64?
    /// With `dlq show --json`: what replays did with it.
    var replays: ReplayHistory?

    init(_ stored: StoredDeadLetter, includeRecord: Bool) {
        let letter = stored.letter
        id = stored.id
        status = stored.status
        ingestedAt = stored.ingestedAt
        dlq = Coordinate(topic: letter.coordinate.topic, partition: letter.coordinate.partition, offset: letter.coordinate.offset)
        format = letter.format.rawValue
        original = Coordinate(topic: letter.originalTopic, partition: letter.originalPartition, offset: letter.originalOffset)
        consumerGroup = letter.consumerGroup
        consumer = letter.consumer
        exceptionClass = letter.exceptionClass
        errorMessage = letter.errorMessage
        attemptCount = letter.attemptCount
        failedAt = letter.failedAt
        kafkaTimestamp = letter.kafkaTimestamp
        traceID = letter.traceID
        spanID = letter.spanID
        decodeNote = letter.decodeNotes.isEmpty ? nil : letter.decodeNotes.joined(separator: "; ")
        replayedFrom = letter.replayLineage?.origin.text
        replayedByJob = letter.replayLineage?.jobID
        replayGeneration = letter.replayLineage?.count
        truncatedFrom = letter.truncatedFrom
        guard includeRecord else { return }
        stackTrace = letter.stackTrace
        key = Bytes(letter.key)
        value = Bytes(letter.value)
        originalEvent = letter.originalEventRange == nil ? nil : Bytes(stored.letter.originalEvent)
        headers = letter.headers.map { Header(name: $0.name, value: Bytes($0.value)) }
    }

    enum CodingKeys: String, CodingKey {
        case id, status, dlq, format, original, consumer, key, value, headers
        case ingestedAt = "ingested_at", consumerGroup = "consumer_group", exceptionClass = "exception_class"
        case errorMessage = "error_message", attemptCount = "attempt_count", failedAt = "failed_at"
        case kafkaTimestamp = "kafka_timestamp", traceID = "trace_id", spanID = "span_id", decodeNote = "decode_note"
        case stackTrace = "stack_trace", originalEvent = "original_event", replayedFrom = "replayed_from"
        case replayedByJob = "replayed_by_job", replayGeneration = "replay_generation", replays
        case truncatedFrom = "truncated_from"
    }
}
