#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads hand-rolled failure headers that follow no framework, matching names case-insensitively.
///
/// Recognised headers, all UTF-8 text; where a field has several spellings the first listed that is present wins:
///
/// | field | headers |
/// | --- | --- |
/// | attemptCount | `retry-count`, `x-retry-count`, `attempt-count` (decimal) |
/// | errorMessage | `dead-letter-reason`, `x-dead-letter-reason`, `error-message`, `exception-message` |
/// | exceptionClass | `dead-letter-exception`, `exception-class`, `x-exception-class` |
/// | stackTrace | `exception-stacktrace`, `stack-trace` |
/// | originalTopic / Partition / Offset | `original-topic`, `original-partition`, `original-offset` (decimal), also `x-`-prefixed |
/// | consumerGroup | `consumer-group`, `x-consumer-group` |
/// | consumer | `consumer-id`, `x-consumer-id` |
/// | failedAt | `failed-at`, `dead-letter-timestamp` (ISO-8601, or decimal epoch milliseconds) |
///
/// `event-type` and `tenant-id` carry no failure field but mark the record as this format; they and every
/// other header stay in the stored headers, where classification rules can match them.
enum PlainHeadersReader {
    private static let attemptCount = ["retry-count", "x-retry-count", "attempt-count"]
    private static let errorMessage = ["dead-letter-reason", "x-dead-letter-reason", "error-message", "exception-message"]
    private static let exceptionClass = ["dead-letter-exception", "exception-class", "x-exception-class"]
    private static let stackTrace = ["exception-stacktrace", "stack-trace"]
    private static let originalTopic = ["original-topic", "x-original-topic"]
    private static let originalPartition = ["original-partition", "x-original-partition"]
    private static let originalOffset = ["original-offset", "x-original-offset"]
    private static let consumerGroup = ["consumer-group", "x-consumer-group"]
    private static let consumer = ["consumer-id", "x-consumer-id"]
    private static let failedAt = ["failed-at", "dead-letter-timestamp"]
    private static let markers = ["event-type", "tenant-id"]

    private static var allNames: [String] {
        attemptCount + errorMessage + exceptionClass + stackTrace + originalTopic + originalPartition
            + originalOffset + consumerGroup + consumer + failedAt + markers
    }

    static func recognises(_ headers: HeaderLookup) -> Bool {
        allNames.contains { headers.valueIgnoringCase($0) != nil }
    }

    static func read(_ headers: HeaderLookup, into letter: inout DeadLetter, notes: inout DecodeNotes) {
        func first(_ names: [String]) -> (name: String, value: [UInt8])? {
            for name in names {
                if let found = headers.valueIgnoringCase(name) { return found }
            }
            return nil
        }
        func text(_ names: [String]) -> String? {
            guard let (name, bytes) = first(names) else { return nil }
            let text = notes.text(ofHeader: name, bytes)
            guard !text.isEmpty else { return nil }
            return text
        }
        func integer<Integer: FixedWidthInteger>(_ names: [String], as type: Integer.Type) -> Integer? {
            guard let (name, bytes) = first(names) else { return nil }
            guard let text = String(validating: bytes, as: UTF8.self),
                  let number = Integer(text.trimmingASCIIWhitespace(), radix: 10)
            else {
                notes.add("header \(name): not a decimal integer; ignored")
                return nil
            }
            return HeaderFieldReader.nonNegative(number, field: "header \(name)", notes: &notes)
        }

        letter.format = .plainHeaders
        letter.attemptCount = integer(attemptCount, as: Int32.self)
        letter.errorMessage = text(errorMessage)
        letter.exceptionClass = text(exceptionClass)
        letter.stackTrace = text(stackTrace)
        letter.originalTopic = text(originalTopic)
        letter.originalPartition = integer(originalPartition, as: Int32.self)
        letter.originalOffset = integer(originalOffset, as: Int64.self)
        letter.consumerGroup = text(consumerGroup)
        letter.consumer = text(consumer)
        if let (name, bytes) = first(failedAt) {
            letter.failedAt = FailureTime.read(
                text: String(decoding: bytes, as: UTF8.self), field: "header \(name)", notes: &notes)
        }
    }
}
