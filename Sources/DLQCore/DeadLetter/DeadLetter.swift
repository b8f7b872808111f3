#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One dead letter as stored: the record's bytes untouched plus what was decoded from it.
///
/// Every `String` here is safe for a PostgreSQL `text` column (valid UTF-8, no NUL characters):
/// ``EnvelopeDecoder`` repairs what it decodes and says so in ``decodeNotes``.
public struct DeadLetter: Sendable, Equatable {
    public var coordinate: DLQCoordinate
    /// Exactly as consumed; `nil` is a null key, distinct from an empty one.
    public var key: [UInt8]?
    /// Exactly as consumed; `nil` is a null value (a tombstone), distinct from an empty one.
    public var value: [UInt8]?
    /// All headers, in wire order, repeats kept.
    public var headers: [RecordHeader]
    public var kafkaTimestamp: Date?
    public var format: EnvelopeFormat
    public var originalTopic: String?
    public var originalPartition: Int32?
    public var originalOffset: Int64?
    /// For the JSON envelope: the byte range of the `originalEvent` value inside `value` (replay publishes exactly
    /// these bytes). `nil` = the whole value is the event.
    ///
    /// The range covers the JSON value token exactly as it appears, without surrounding whitespace. For an object
    /// or array that is from the opening to the closing bracket; for a string it includes the quotes and keeps
    /// escapes as written, because a JSON-serialised string event is the quoted form on the wire.
    public var originalEventRange: Range<Int>?
    public var consumerGroup: String?
    public var consumer: String?
    public var exceptionClass: String?
    public var errorMessage: String?
    public var stackTrace: String?
    public var attemptCount: Int32?
    /// When the failure happened, only when the envelope says so explicitly (a JSON envelope's `lastAttemptAt`,
    /// a plain `failed-at` header). The Kafka timestamp is not copied here: Kafka Connect keeps the original
    /// record's timestamp on the DLQ record, so it is not a failure time in general.
    public var failedAt: Date?
    /// 32 lowercase hex digits.
    public var traceID: String?
    /// 16 lowercase hex digits.
    public var spanID: String?
    /// Human-readable notes on what could not be decoded or was repaired; empty when all was clean.
    public var decodeNotes: [String]
    /// Set when the record carries a replay's lineage headers: the event was replayed before and failed again.
    public var replayLineage: ReplayLineage?
    /// The record's full size in bytes when it was over the size limit and is stored cut (``RecordSizeLimit``);
    /// `nil` when every byte is stored.
    public var truncatedFrom: Int64?

    public init(
        coordinate: DLQCoordinate,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [RecordHeader],
        kafkaTimestamp: Date?,
        format: EnvelopeFormat = .raw,
        originalTopic: String? = nil,
        originalPartition: Int32? = nil,
        originalOffset: Int64? = nil,
        originalEventRange: Range<Int>? = nil,
        consumerGroup: String? = nil,
        consumer: String? = nil,
        exceptionClass: String? = nil,
        errorMessage: String? = nil,
        stackTrace: String? = nil,
        attemptCount: Int32? = nil,
        failedAt: Date? = nil,
        traceID: String? = nil,
        spanID: String? = nil,
        decodeNotes: [String] = [],
        replayLineage: ReplayLineage? = nil,
        truncatedFrom: Int64? = nil
    ) {
        self.coordinate = coordinate
        self.key = key
        self.value = value
        self.headers = headers
        self.kafkaTimestamp = kafkaTimestamp
        self.format = format
        self.originalTopic = originalTopic
        self.originalPartition = originalPartition
        self.originalOffset = originalOffset
        self.originalEventRange = originalEventRange
        self.consumerGroup = consumerGroup
        self.consumer = consumer
        self.exceptionClass = exceptionClass
        self.errorMessage = errorMessage
        self.stackTrace = stackTrace
        self.attemptCount = attemptCount
        self.failedAt = failedAt
        self.traceID = traceID
        self.spanID = spanID
        self.decodeNotes = decodeNotes
        self.replayLineage = replayLineage
        self.truncatedFrom = truncatedFrom
    }

    /// The bytes a replay publishes as the record value: the `originalEvent` slice for a JSON envelope, otherwise
    /// the value as consumed (`nil` for a null value).
    ///
    /// A range that does not lie inside `value` (a damaged stored row) yields the whole value rather than trapping;
    /// replaying the envelope is recoverable, crashing the replay engine on one row is not.
    public var originalEvent: [UInt8]? {
        guard let value else { return nil }
        guard let range = originalEventRange, range.lowerBound >= 0, range.upperBound <= value.count else {
            return value
        }
        return Array(value[range])
    }
}
