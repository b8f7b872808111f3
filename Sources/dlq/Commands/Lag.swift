import ArgumentParser
import DLQManager
import Foundation
import Logging

/// `dlq lag`: how far application consumer groups are behind, per partition, and whether it is getting worse.
struct Lag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show consumer groups' lag per partition (committed offset vs. log end) and its trend.",
        discussion: """
            Without --group and --topic it shows the groups the daemon watches (lag.groups in the configuration);
            --group alone picks some of them. Reads the groups' committed offsets without joining them. A partition the group never committed counts
            every retained record as lag. With --samples N (N >= 2) it samples N times, --interval apart, and says
            per group and topic whether the total lag is growing, shrinking or steady, and how fast.

            Examples:
              dlq lag --group payment-service --topic orders
              dlq lag --group payment-service --group fulfilment --topic orders --samples 3 --interval 5
              dlq lag --group payment-service --topic orders --json | jq '.partitions[] | select(.lag > 1000)'
            """
    )

    @OptionGroup var options: ConfigOptions
    @Option(name: .customLong("group"), help: ArgumentHelp("A consumer group (default: those of lag.groups). Repeatable.", valueName: "group"))
    var groups: [String] = []
    @Option(name: .customLong("topic"), help: ArgumentHelp("A topic the groups consume (default: as in lag.groups). Repeatable.", valueName: "topic"))
    var topics: [String] = []
    @Option(help: "How many samples to take; 2 or more to see the trend.") var samples: Int = 1
    @Option(help: "Seconds between samples.") var interval: Double = 5
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (1...100).contains(samples) else { throw ValidationError("--samples must be from 1 to 100") }
        guard interval > 0 else { throw ValidationError("--interval must be positive") }
    }

    func run() async throws {
        let configuration = try options.load()
        var watched = configuration.lag.groups.filter { groups.isEmpty || groups.contains($0.group) }
        if !topics.isEmpty {
            watched = (groups.isEmpty ? watched.map(\.group) : groups).map { WatchedGroup(group: $0, topics: topics) }
        }
        guard !watched.isEmpty else {
            printError(groups.isEmpty
                ? "no groups to show: give --group and --topic, or list groups under lag.groups in the configuration"
                : "--group \(groups.joined(separator: ", ")): not in lag.groups; give --topic too")
            throw ExitCode(64)
        }
        let reader = ConsumerGroupLagReader(settings: configuration.kafka, logger: Logger(label: "dlq.lag"))
        var first: [PartitionLag] = []
        var last: [PartitionLag] = []
        let started = Date()
        for sample in 0..<samples {
            if sample > 0 { try await Task.sleep(for: .seconds(interval)) }
            last = []
            for group in watched {
                last += try await reader.lag(group: group.group, topics: group.topics)
            }
            if sample == 0 { first = last }
        }
        let trends = samples > 1 ? LagTrend.between(first, last, seconds: Date().timeIntervalSince(started)) : []
        if json {
            try printJSON(LagReport(partitions: last, trends: trends))
            return
        }
        guard !last.isEmpty else {
            print("no partitions: the topics do not exist")
            return
        }
        var table = Table(headers: ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG"])
        for lag in last {
            table.rows.append([lag.group, lag.topic, String(lag.partition), lag.committed.map(String.init) ?? "-", String(lag.logEnd), String(lag.lag)])
        }
        print(table.render())
        for trend in trends {
            print("\(trend.group) \(trend.topic): total lag \(trend.lag), \(trend.direction) (\(String(format: "%+.1f", trend.perSecond))/s over \(Int(trend.seconds)) s)")
        }
    }
}

/// `dlq lag --json`.
private struct LagReport: Encodable {
    var partitions: [PartitionLag]
    var trends: [LagTrend]
}
