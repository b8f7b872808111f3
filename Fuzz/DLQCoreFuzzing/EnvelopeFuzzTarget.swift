#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import DLQCore

/// The envelope decoder under fuzzing: one input is one DLQ record (``FuzzRecord``), decoded as ingestion decodes
/// it.
///
/// Besides not trapping, the decoder promises what ingestion relies on, and each is checked because it is cheap:
/// the record's bytes are kept untouched, every decoded string is storable in a PostgreSQL `text` column (no NUL),
/// the original event's range lies inside the value, and trace ids are canonical lowercase hex.
public enum EnvelopeFuzzTarget {
    static let decoder = EnvelopeDecoder()
    static let coordinate = DLQCoordinate(topic: "orders.dlq", partition: 3, offset: 42)
    static let kafkaTimestamp = Date(timeIntervalSince1970: 1_767_225_600)

    public static func run(_ input: [UInt8]) throws(FuzzFailure) {
        let record = FuzzRecord(fuzzInput: input)
        var coordinate = Self.coordinate
        coordinate.topic = record.topic
        let letter = decoder.decode(
            coordinate: coordinate, key: record.key, value: record.value, headers: record.headers, kafkaTimestamp: kafkaTimestamp)

        func fail(_ invariant: String) -> FuzzFailure {
            FuzzFailure(target: "envelope", invariant: invariant)
        }
        guard letter.coordinate == coordinate, letter.key == record.key, letter.value == record.value,
              letter.headers == record.headers, letter.kafkaTimestamp == kafkaTimestamp
        else { throw fail("the record's coordinate, bytes or headers changed in decoding") }

        let texts = [
            letter.originalTopic, letter.consumerGroup, letter.consumer, letter.exceptionClass, letter.errorMessage,
            letter.stackTrace, letter.traceID, letter.spanID,
        ].compactMap { $0 } + letter.decodeNotes
        if let text = texts.first(where: { $0.utf8.contains(0) }) {
            throw fail("a decoded string holds a NUL: \(text.debugDescription)")
        }
        if let range = letter.originalEventRange {
            guard letter.format == .jsonEnvelope, let value = letter.value, range.lowerBound >= 0, range.upperBound <= value.count
            else { throw fail("original event range \(range) outside a value of \(letter.value?.count ?? 0) bytes (\(letter.format))") }
        }
        if let traceID = letter.traceID, !isLowercaseHex(traceID, length: 32) {
            throw fail("trace id \(traceID.debugDescription) is not 32 lowercase hex digits")
        }
        if let spanID = letter.spanID, !isLowercaseHex(spanID, length: 16) {
            throw fail("span id \(spanID.debugDescription) is not 16 lowercase hex digits")
        }
    }

    private static func isLowercaseHex(_ text: String, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
