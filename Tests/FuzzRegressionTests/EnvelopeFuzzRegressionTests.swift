import DLQCore
import DLQCoreFuzzing
import Foundation
import Testing

/// The envelope fuzz target's committed seeds and crash reproducers, replayed without libFuzzer.
@Suite("Envelope fuzz target: seeds and regressions")
struct EnvelopeFuzzRegressionTests {
    @Test("every seed and regression decodes within the decoder's promises", arguments: FuzzCorpus.inputs("envelope"))
    func replay(input: FuzzCorpus.Input) {
        #expect(throws: Never.self) { try EnvelopeFuzzTarget.run(input.bytes) }
    }

    @Test("the seeds reach every envelope reader")
    func seedsCoverEveryFormat() {
        let formats = Set(FuzzCorpus.inputs("envelope").filter { $0.name.hasPrefix("seeds/") }.map { input in
            let record = FuzzRecord(fuzzInput: input.bytes)
            return EnvelopeDecoder().decode(
                coordinate: DLQCoordinate(topic: record.topic, partition: 0, offset: 0),
                key: record.key, value: record.value, headers: record.headers, kafkaTimestamp: nil
            ).format
        })
        #expect(formats == Set(EnvelopeFormat.allCases))
    }

    @Test("a record reads back from its fuzz input, null key, null value and null header value included")
    func recordRoundTrip() {
        let record = FuzzRecord(
            topic: "orders.dlq", key: nil, value: Array(#"{"a":1}"#.utf8),
            headers: [RecordHeader(name: "traceparent", text: "00-x"), RecordHeader(name: "empty", value: nil), RecordHeader(name: "", text: "")]
        )
        #expect(FuzzRecord(fuzzInput: record.fuzzInput) == record)
    }

    @Test("too few fields leave the key and value null")
    func shortInput() {
        #expect(FuzzRecord(fuzzInput: Array("orders.dlq".utf8)) == FuzzRecord(topic: "orders.dlq", key: nil, value: nil, headers: []))
    }

    /// Rewrites `Tests/Fixtures/fuzz/envelope/seeds` from the sample generator: three records of every format,
    /// plus one replayed record. Run with `DLQ_FUZZ_WRITE_SEEDS=1 swift test --filter EnvelopeFuzzRegressionTests`.
    @Test("write the seed corpus", .enabled(if: ProcessInfo.processInfo.environment["DLQ_FUZZ_WRITE_SEEDS"] == "1"))
    func writeSeeds() throws {
        let directory = FuzzCorpus.directory("envelope", "seeds")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func write(_ name: String, _ sample: SampleRecord, topic: String = "orders.dlq") throws {
            let record = FuzzRecord(topic: topic, key: sample.key, value: sample.value, headers: sample.headers)
            try Data(record.fuzzInput).write(to: directory.appendingPathComponent(name))
        }
        for format in EnvelopeFormat.allCases {
            for index in 0..<3 {
                try write("\(format.rawValue)-\(index)", SampleDeadLetters.make(format: format, index: index, dlqTopic: "orders.dlq", approximateValueSize: 200))
            }
        }
        var replayed = SampleDeadLetters.make(format: .spring, index: 3, dlqTopic: "payments-dlt", approximateValueSize: 200)
        replayed.headers += ReplayLineage(jobID: 7, count: 2, origin: DLQCoordinate(topic: "payments-dlt", partition: 1, offset: 99)).headers
        try write("replayed-spring", replayed, topic: "payments-dlt")
    }
}
