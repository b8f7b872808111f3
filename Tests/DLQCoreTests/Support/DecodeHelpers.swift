#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DLQCore

/// Decodes one record the way the ingestor would, with a fixed coordinate unless a test cares.
func decodeRecord(
    topic: String = "orders.dlq",
    key: [UInt8]? = Array("order-4711".utf8),
    value: [UInt8]?,
    headers: [RecordHeader] = [],
    rules: OriginalTopicRules = .default
) -> DeadLetter {
    EnvelopeDecoder(originalTopicRules: rules).decode(
        coordinate: DLQCoordinate(topic: topic, partition: 0, offset: 42),
        key: key,
        value: value,
        headers: headers,
        kafkaTimestamp: Date(timeIntervalSince1970: 1_767_225_600)
    )
}

func header(_ name: String, _ text: String) -> RecordHeader {
    RecordHeader(name: name, text: text)
}

func header(_ name: String, bytes: [UInt8]) -> RecordHeader {
    RecordHeader(name: name, value: bytes)
}

extension String {
    var utf8Bytes: [UInt8] { Array(utf8) }
}

/// Every text field a dead letter stores; PostgreSQL must accept each of them.
func storedStrings(_ letter: DeadLetter) -> [String] {
    [letter.originalTopic, letter.consumerGroup, letter.consumer, letter.exceptionClass, letter.errorMessage,
     letter.stackTrace, letter.traceID, letter.spanID].compactMap { $0 } + letter.decodeNotes
}

func isStorableInPostgres(_ text: String) -> Bool {
    !text.utf8.contains(0)
}
