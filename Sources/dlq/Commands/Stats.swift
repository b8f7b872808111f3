import ArgumentParser
import DLQManager
import Foundation

/// `dlq stats`: how full the store is and how stale its oldest unhandled failure.
struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show dead-letter depth by DLQ topic, error class and status, and the oldest unresolved age.",
        discussion: """
            Unresolved means status new: neither replayed nor resolved. Ages are measured from ingestion.

            Examples:
              dlq stats
              dlq stats --json | jq '.by_dlq_topic[] | select(.unresolved > 0)'
            """
    )

    @OptionGroup var options: ConfigOptions
    @Flag(help: "Print JSON instead of tables.") var json = false

    func run() async throws {
        let configuration = try options.load()
        let statistics = try await withConnection(configuration, label: "dlq.stats") { connection in
            try await DeadLetterStatistics.load(on: connection)
        }
        if json {
            try printJSON(statistics)
            return
        }
        let statuses = statistics.byStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("dead letters: \(statistics.total) (\(statuses))")
        print("oldest unresolved: " + (statistics.oldestUnresolvedAt.map {
            "\(iso8601($0)), \(Self.age(statistics.oldestUnresolvedAgeSeconds)) ago"
        } ?? "none"))
        guard statistics.total > 0 else { return }
        for (title, depths) in [("DLQ TOPIC", statistics.byDLQTopic), ("CLASS", statistics.byErrorClass)] {
            var table = Table(headers: [title, "TOTAL", "UNRESOLVED", "OLDEST UNRESOLVED"])
            for depth in depths {
                table.rows.append([
                    (depth.name ?? "(none)").truncated(to: 48),
                    String(depth.total),
                    String(depth.unresolved),
                    depth.oldestUnresolvedAgeSeconds.map { Self.age($0) } ?? "-",
                ])
            }
            print("\n" + table.render())
        }
    }

    /// `3d 4h`, `2h 5m`, `42s`: the two largest units, enough to judge staleness at a glance.
    static func age(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        let total = Int(max(0, min(seconds, 1e12)))
        let parts = [("d", total / 86_400), ("h", total % 86_400 / 3600), ("m", total % 3600 / 60), ("s", total % 60)]
        let shown = parts.drop { $0.1 == 0 }.prefix(2).filter { $0.1 > 0 }
        return shown.isEmpty ? "0s" : shown.map { "\($0.1)\($0.0)" }.joined(separator: " ")
    }
}
