import Foundation
import Kafka
import Testing

/// Content never crashes or stalls the daemon: every hostile record below is stored with its exact bytes and,
/// where it could not be decoded, flagged; a well-formed record produced after all of them is stored too.
@Suite("Ingestion of hostile input", .timeLimit(.minutes(5)))
struct HostileInputTests {
    enum HostileRecord: String, CaseIterable, Sendable {
        case invalidJSON = "invalid JSON"
        case invalidUTF8Value = "invalid UTF-8 in the value"
        case invalidUTF8Header = "invalid UTF-8 in a header"
        case nullKeyAndValue = "null key and null value"
        case oneMegabyteValue = "a 1 MB value"
        case binaryHeaderValues = "binary header values"
        case deeplyNestedJSON = "JSON nested 10,000 levels deep"
        case envelopeWithWrongTypes = "a JSON envelope whose failure metadata has wrong types"

        var message: KafkaOutgoingMessage {
            let tag = KafkaHeader(name: "test-case", value: Array(rawValue.utf8))
            let topic = HostileRun.topic
            switch self {
            case .invalidJSON:
                return KafkaOutgoingMessage(topic: topic, key: Array("k1".utf8), value: Array(#"{"originalEvent": {"id": 1}, "failureMetadata": {"#.utf8), headers: [tag])
            case .invalidUTF8Value:
                return KafkaOutgoingMessage(topic: topic, key: Array("k2".utf8), value: [0x7B, 0xC3, 0x28, 0xFF, 0xFE, 0x00, 0x80], headers: [tag])
            case .invalidUTF8Header:
                return KafkaOutgoingMessage(topic: topic, key: Array("k3".utf8), value: Array("payload".utf8), headers: [
                    tag,
                    KafkaHeader(name: "kafka_dlt-exception-fqcn", value: Array("com.acme.Bad\u{0}Exception".utf8)),
                    KafkaHeader(name: "kafka_dlt-exception-message", value: [0x62, 0x61, 0x64, 0xC3, 0x28, 0xFF, 0x00]),
                ])
            case .nullKeyAndValue:
                return KafkaOutgoingMessage(topic: topic, key: nil, value: nil, headers: [tag])
            case .oneMegabyteValue:
                return KafkaOutgoingMessage(topic: topic, key: Array("k5".utf8), value: (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31) }, headers: [tag])
            case .binaryHeaderValues:
                return KafkaOutgoingMessage(topic: topic, key: Array("k6".utf8), value: Array("v".utf8), headers: [
                    tag,
                    KafkaHeader(name: "all-bytes", value: (0...255).map { UInt8($0) }),
                    KafkaHeader(name: "null-value", value: nil),
                    KafkaHeader(name: "empty-value", value: []),
                ])
            case .deeplyNestedJSON:
                return KafkaOutgoingMessage(topic: topic, key: Array("k7".utf8), value: Array(repeating: UInt8(ascii: "["), count: 10_000) + Array(repeating: UInt8(ascii: "]"), count: 10_000), headers: [tag])
            case .envelopeWithWrongTypes:
                let envelope = #"{"originalEvent": {"orderId": 7}, "failureMetadata": {"attemptCount": "three", "originalPartition": {}, "lastError": 42}}"#
                return KafkaOutgoingMessage(topic: topic, key: Array("k8".utf8), value: Array(envelope.utf8), headers: [tag])
            }
        }

        /// Whether the stored row must carry a decode note.
        var isFlagged: Bool {
            switch self {
            case .invalidJSON, .invalidUTF8Value, .invalidUTF8Header, .envelopeWithWrongTypes: true
            case .nullKeyAndValue, .oneMegabyteValue, .binaryHeaderValues, .deeplyNestedJSON: false
            }
        }
    }

    /// One daemon run over all hostile records, shared by the test cases.
    struct HostileRun: Sendable {
        static let topic = "hostile.dlq"
        let stored: [IngestHarness.Record]
        let notes: [String: String?]
        let formats: [String: String]

        static let shared = Task { try await HostileRun.make() }

        static func make() async throws -> HostileRun {
            let harness = try await IngestHarness.make(topic: topic, partitions: 1)
            let sentinel = KafkaOutgoingMessage(topic: topic, key: Array("sentinel".utf8), value: Array("well-formed".utf8), headers: [
                KafkaHeader(name: "test-case", value: Array("sentinel".utf8)),
            ])
            let produced = try await harness.produce(
                HostileRecord.allCases.map(\.message) + [sentinel],
                properties: ["message.max.bytes": "4000000"]
            )
            let daemon = try harness.startDaemon()
            try await eventually("every record including the sentinel is stored") {
                try await harness.database.count() == Int64(produced.count)
            }
            daemon.signal(SIGTERM)
            _ = try await daemon.waitForExit()

            var notes: [String: String?] = [:]
            var formats: [String: String] = [:]
            for row in try await harness.database.query("""
                SELECT convert_from(header_values[1], 'UTF8') AS test_case, decode_note, format FROM dead_letters
                """) {
                let name = try row.decode(String.self, column: "test_case")
                notes[name] = try row.decode(String?.self, column: "decode_note")
                formats[name] = try row.decode(String.self, column: "format")
            }
            let stored = try await harness.storedRecords()
            return HostileRun(stored: Array(stored.values), notes: notes, formats: formats)
        }
    }

    @Test("is stored byte-exact and flagged where it could not be decoded", arguments: HostileRecord.allCases)
    func storesHostileRecord(_ record: HostileRecord) async throws {
        let run = try await HostileRun.shared.value
        let message = record.message
        #expect(run.stored.contains(IngestHarness.Record(key: message.key, value: message.value, headers: message.headers)))
        let note = try #require(run.notes[record.rawValue])
        #expect((note != nil) == record.isFlagged, "decode note: \(note ?? "none")")
    }

    @Test("a JSON envelope with wrong types is still recognised as one")
    func wrongTypesStayAnEnvelope() async throws {
        let run = try await HostileRun.shared.value
        #expect(run.formats[HostileRecord.envelopeWithWrongTypes.rawValue] == "json_envelope")
    }

    @Test("a well-formed record after the hostile ones is stored: nothing stalled")
    func sentinelArrives() async throws {
        let run = try await HostileRun.shared.value
        #expect(run.formats["sentinel"] != nil)
    }
}
