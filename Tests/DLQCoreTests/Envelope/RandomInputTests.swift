import DLQCore
import Foundation
import Testing

/// Seeded random input for the envelope decoder: records built from the fragments real envelopes are made of,
/// cut and mixed with random bytes. Whatever the input, decoding returns (no trap, no hang), every decoded
/// string is storable, and the original event's range lies inside the value. A failure names the seed and
/// iteration, which reproduce it.
@Suite("Envelope decoder on random input")
struct RandomInputTests {
    private static let valueFragments: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u00", "\\ud83d", "null", "true", "false", "-0.5e+3", "12345678901234567890",
        #""originalEvent":"#, #""failureMetadata":"#, #""originalTopic":"#, #""originalPartition":"#, #""originalOffset":"#,
        #""attemptCount":"#, #""lastError":"#, #""class":"#, #""message":"#, #""stackTrace":"#, #""lastAttemptAt":"#,
        #""consumerGroup":"#, #""originalHeaders":"#, #""traceparent":"#, #""orders""#, #""2026-11-22T10:00:00Z""#,
        " ", "\n", "\u{0}", "é", "\u{FFFD}",
    ]
    private static let headerNames: [String] = [
        "kafka_dlt-original-topic", "kafka_dlt-original-partition", "kafka_dlt-original-offset", "kafka_dlt-exception-fqcn",
        "kafka_dlt-exception-message", "kafka_dlt-exception-stacktrace", "kafka_dlt-original-consumer-group",
        "__connect.errors.topic", "__connect.errors.partition", "__connect.errors.offset", "__connect.errors.exception.class.name",
        "__streams.errors.topic", "__streams.errors.offset", "__streams.errors.exception", "traceparent", "tracestate", "b3",
        "X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled", "retry-count", "dead-letter-reason", "failed-at",
        "dlq-replay-job", "dlq-replay-count", "dlq-replay-origin", "x", "",
    ]
    private static let headerValues: [String] = [
        "orders", "3", "-1", "99999999999999999999", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1", "orders.dlq:0:5", "2026-11-22T10:00:00Z", "", "é\u{0}",
    ]

    @Test("20,000 random records decode without trapping into storable text and in-bounds ranges")
    func randomRecords() {
        let seed: UInt64 = 0xD1CE_5EED
        var random = SeededGenerator(seed: seed)
        let decoder = EnvelopeDecoder()
        for iteration in 0..<fuzzIterations(20_000) {
            let value = Self.bytes(&random, fragments: Self.valueFragments, pieces: random.next(below: 40))
            var headers: [RecordHeader] = []
            for _ in 0..<random.next(below: 8) {
                let name = Self.headerNames[random.next(below: Self.headerNames.count)]
                let bytes: [UInt8]? = switch random.next(below: 6) {
                case 0: nil
                case 1: (0..<random.next(below: 12)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                case 2: withUnsafeBytes(of: UInt64(truncatingIfNeeded: random.next()).bigEndian, Array.init)
                default: Array(Self.headerValues[random.next(below: Self.headerValues.count)].utf8)
                }
                headers.append(RecordHeader(name: name, value: bytes))
            }
            let letter = decoder.decode(
                coordinate: DLQCoordinate(topic: "orders.dlq", partition: 0, offset: Int64(iteration)),
                key: random.next(below: 4) == 0 ? nil : Array("k\(iteration)".utf8),
                value: random.next(below: 10) == 0 ? nil : value,
                headers: headers, kafkaTimestamp: nil
            )
            let texts = [letter.originalTopic, letter.consumerGroup, letter.consumer, letter.exceptionClass, letter.errorMessage,
                         letter.stackTrace, letter.traceID, letter.spanID].compactMap { $0 } + letter.decodeNotes
            if texts.contains(where: { $0.utf8.contains(0) }) {
                Issue.record("seed \(seed), iteration \(iteration): a decoded string holds a NUL")
            }
            if let range = letter.originalEventRange, range.lowerBound < 0 || range.upperBound > (letter.value?.count ?? 0) {
                Issue.record("seed \(seed), iteration \(iteration): original event range \(range) outside the value")
            }
        }
    }

    private static func bytes(_ random: inout SeededGenerator, fragments: [String], pieces: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<pieces {
            if random.next(below: 5) == 0 {
                bytes.append(UInt8(truncatingIfNeeded: random.next()))
            } else {
                bytes += Array(fragments[random.next(below: fragments.count)].utf8)
            }
        }
        return bytes
    }
}
