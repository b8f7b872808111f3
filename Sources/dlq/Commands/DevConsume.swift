import ArgumentParser
import DLQManager
import Foundation
import Logging

/// `dlq dev-consume`: what a topic holds, e.g. what a replay published to an original topic.
struct DevConsume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-consume",
        abstract: "Print every record of a topic: partition, offset, key, headers and value (for demos and checks).",
        discussion: """
            Reads each partition from its oldest record to its end, without joining a consumer group or committing.
            Keys, header values and values are shown as text when they are UTF-8, else as hex.

            Example:
              dlq dev-consume --topic orders --limit 5
            """
    )

    @OptionGroup var options: ConfigOptions
    @Option(help: "The topic to read.") var topic: String
    @Option(help: "At most this many records (the first ones, partition by partition).") var limit: Int?
    @Option(help: "Values longer than this many characters are cut.") var width: Int = 160

    func run() async throws {
        let configuration = try options.load()
        let records = try await TopicContents.read(
            topic, bootstrapServers: configuration.kafka.bootstrapServers,
            properties: configuration.kafka.passThroughProperties(), logger: Logger(label: "dlq.dev-consume")
        )
        print("\(topic): \(records.count) records")
        for record in records.prefix(limit ?? records.count) {
            print("\n[\(record.partition)] @\(record.offset)  key: \(text(record.key))")
            for header in record.headers {
                print("  \(header.name): \(text(header.value))")
            }
            print("  value: \(text(record.value))")
        }
    }

    private func text(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "(null)" }
        let shown = BytesView.text(bytes) ?? "(\(bytes.count) bytes, hex) " + BytesView.hex(Array(bytes.prefix(width / 2)))
        return shown.count > width ? String(shown.prefix(width)) + "…" : shown
    }
}
