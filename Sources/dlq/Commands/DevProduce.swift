import ArgumentParser
import DLQCore
import DLQManager
import Foundation
import Kafka
import Logging

/// `dlq dev-produce`: sample dead letters for demos, tests and benchmarks.
struct DevProduce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-produce",
        abstract: "Produce realistic sample dead letters in every supported envelope format.",
        discussion: """
            Formats rotate record by record (json_envelope, spring, connect, streams, plain_headers, raw) unless
            --format picks some. Waits for every delivery report; exits non-zero if any record failed.

            Example:
              dlq dev-produce --bootstrap-servers 127.0.0.1:9092 --topic orders.dlq --count 60
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "The DLQ topic to produce to.")
    var topic: String

    @Option(help: "How many dead letters.")
    var count: Int = 60

    @Option(name: .customLong("format"), help: ArgumentHelp(
        "Only these formats (\(EnvelopeFormat.allCases.map(\.rawValue).joined(separator: ", "))). Repeatable.",
        valueName: "format"
    ))
    var formats: [String] = []

    @Option(help: "Approximate size of each record's value in bytes.")
    var size: Int = 600

    @Option(help: "Index of the first sample; vary it to produce different records in a second run.")
    var startIndex: Int = 0

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
        for format in formats where EnvelopeFormat(rawValue: format) == nil {
            throw ValidationError("--format \(format): expected one of \(EnvelopeFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let configuration = try options.load()
        let logger = Logger(label: "dlq.dev-produce")
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: configuration.kafka.bootstrapServers)
        producerConfiguration.properties = configuration.kafka.passThroughProperties()
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let chosen = formats.isEmpty ? EnvelopeFormat.allCases : formats.compactMap(EnvelopeFormat.init(rawValue:))

        // Chunks bound memory for large runs and give a progress line per chunk.
        let chunkSize = 20_000
        var failures = 0
        for chunkStart in stride(from: 0, to: count, by: chunkSize) {
            let indices = (startIndex + chunkStart)..<(startIndex + min(chunkStart + chunkSize, count))
            let messages = indices.map { index in
                let sample = SampleDeadLetters.make(
                    format: chosen[index % chosen.count],
                    index: index,
                    dlqTopic: topic,
                    approximateValueSize: size
                )
                return KafkaOutgoingMessage(sample: sample, topic: topic)
            }
            let results = try await producer.send(batch: messages)
            for case .failure(let error) in results {
                failures += 1
                if failures <= 5 { logger.error("delivery failed", metadata: ["error": "\(error)"]) }
            }
            if count > chunkSize {
                logger.info("produced", metadata: ["records": "\(chunkStart + messages.count)", "of": "\(count)"])
            }
        }
        await producer.close()
        guard failures == 0 else {
            printError("\(failures) of \(count) records were not delivered")
            throw ExitCode.failure
        }
        print("produced \(count) dead letters to \(topic)")
    }
}
