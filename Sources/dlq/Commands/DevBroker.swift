import ArgumentParser
import DLQManager
import Foundation
import Logging
import ServiceLifecycle

/// `dlq dev-broker`: a Kafka-protocol broker for development and tests.
struct DevBroker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-broker",
        abstract: "Run librdkafka's mock Kafka cluster on 127.0.0.1 until SIGINT/SIGTERM.",
        discussion: """
            Prints the bootstrap servers on standard output. The cluster lives in memory and keeps only about
            the last 5 MB of each partition: give large workloads more partitions. Not for production.

            Example:
              dlq dev-broker --topic orders.dlq:4 --topic payments-dlq --bootstrap-file /tmp/bootstrap
            """
    )

    @Option(help: "Number of brokers in the cluster.")
    var brokers: Int = 1

    @Option(name: .customLong("topic"), help: ArgumentHelp(
        "A topic to create, as name or name:partitions (default 4 partitions). Repeatable.",
        valueName: "name[:partitions]"
    ))
    var topics: [String] = []

    @Option(help: ArgumentHelp("Also write the bootstrap servers to this file (removed on exit).", valueName: "path"))
    var bootstrapFile: String?

    @Option(help: ArgumentHelp("Log level.", valueName: "level"))
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (1...16).contains(brokers) else { throw ValidationError("--brokers must be from 1 to 16") }
        for topic in topics where DLQManager.DevBroker.Topic(topic) == nil {
            throw ValidationError("--topic \(topic): expected name or name:partitions with partitions > 0")
        }
    }

    func run() async throws {
        bootstrapLogging(level: logLevel)
        let logger = Logger(label: "dlq.dev-broker")
        let broker = DLQManager.DevBroker(
            brokers: brokers,
            topics: topics.compactMap { DLQManager.DevBroker.Topic($0) },
            bootstrapFile: bootstrapFile,
            logger: logger
        ) { bootstrapServers in
            // Written unbuffered: a script reading the first line must get it while the broker keeps running.
            FileHandle.standardOutput.write(Data((bootstrapServers + "\n").utf8))
        }
        try await ServiceGroup(
            configuration: .init(services: [.init(service: broker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
