import ArgumentParser
import DLQManager
import Foundation

/// `dlq alerts`: what was announced, and a way to test a sink.
struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List recent alert deliveries, or send a test alert to a sink.",
        discussion: """
            Examples:
              dlq alerts                       # recent deliveries: sink, group, status, attempts, last error
              dlq alerts --status failed
              dlq alerts test pagerduty-main   # a test alert through the configured sink
            """,
        subcommands: [Recent.self, Test.self],
        defaultSubcommand: Recent.self
    )

    struct Recent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Recent deliveries, newest first (the default).")

        @OptionGroup var options: ConfigOptions
        @Option(help: "Only deliveries with this status (pending, delivered, failed, given_up).") var status: String?
        @Option(help: "Only deliveries to this sink.") var sink: String?
        @Option(help: "At most this many.") var limit: Int = 50
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let configuration = try options.load()
            let deliveries = try await withConnection(configuration, label: "dlq.alerts") { connection in
                try await AlertDeliveryRecord.recent(status: status, sink: sink, limit: limit, on: connection)
            }
            if json {
                try printJSON(deliveries)
                return
            }
            guard !deliveries.isEmpty else {
                print("no alert deliveries")
                return
            }
            var table = Table(headers: ["ID", "CREATED", "SINK", "KIND", "GROUP", "STATUS", "ATTEMPTS", "NEW", "LAST ERROR"])
            for delivery in deliveries {
                table.rows.append([
                    String(delivery.id), iso8601(delivery.createdAt), delivery.sink, delivery.kind,
                    String(delivery.fingerprint.prefix(12)), delivery.status, String(delivery.attempts),
                    String(delivery.newEvents), (delivery.lastError ?? "-").truncated(to: 60),
                ])
            }
            print(table.render())
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a test alert to one configured sink and report the outcome.")

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The sink's name (alerting.sinks[].name).") var sink: String

        func run() async throws {
            let configuration = try options.load()
            guard let settings = configuration.alerting.sinks.first(where: { $0.name == sink }) else {
                let names = configuration.alerting.sinks.map(\.name)
                printError("no sink named \(sink)" + (names.isEmpty ? "; none are configured" : "; configured: \(names.joined(separator: ", "))"))
                throw ExitCode(2)
            }
            let outcome = try await withConnection(configuration, label: "dlq.alerts") { connection in
                try await AlertTest.send(sink: settings, alerting: configuration.alerting, on: connection)
            }
            switch outcome {
            case .delivered(let status):
                print("test alert delivered to \(sink) (HTTP \(status))")
            case .failed(let status, let reason):
                printError("\(sink) refused the test alert (HTTP \(status)): \(reason)")
                throw ExitCode.failure
            case .retry(_, let reason):
                printError("\(sink) could not be reached: \(reason)")
                throw ExitCode.failure
            }
        }
    }
}
