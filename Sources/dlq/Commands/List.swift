import ArgumentParser
import DLQCore
import DLQManager
import Foundation

/// `dlq list`: the stored dead letters, newest first.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List stored dead letters, newest first.",
        discussion: """
            Filters combine with AND. Pages are keyset-based: the last line tells the --before-id for the next
            page. Times are ISO-8601 or an age (15m, 2h, 7d).

            Examples:
              dlq list --original-topic orders --since 1h
              dlq list --format spring --status new --json | jq '.[].error_message'
              dlq list --trace 4bf92f3577b34da6a3ce929d0e0e4736
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Only this DLQ topic.") var dlqTopic: String?
    @Option(help: "Only dead letters whose original topic is this.") var originalTopic: String?
    @Option(help: ArgumentHelp("Only this envelope format (\(EnvelopeFormat.allCases.map(\.rawValue).joined(separator: ", "))).", valueName: "format"))
    var format: String?
    @Option(help: "Only this status (new, replaying, replayed, resolved).") var status: String?
    @Option(help: "Ingested at or after this time.") var since: TimeArgument?
    @Option(help: "Ingested before this time.") var until: TimeArgument?
    @Option(name: .customLong("trace"), help: ArgumentHelp("Only dead letters of this trace id.", valueName: "trace-id"))
    var traceID: String?
    @Option(help: "Only ids below this one (the next page).") var beforeID: Int64?
    @Option(help: "At most this many rows (1 to 10000).") var limit: Int = 50
    @Flag(help: "Print JSON (an array) instead of a table.") var json = false

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000") }
        if let format, EnvelopeFormat(rawValue: format) == nil {
            throw ValidationError("--format \(format): expected one of \(EnvelopeFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let configuration = try options.load()
        var filter = DeadLetterFilter()
        filter.dlqTopic = dlqTopic
        filter.originalTopic = originalTopic
        filter.format = format.flatMap(EnvelopeFormat.init(rawValue:))
        filter.status = status
        filter.since = since?.date
        filter.until = until?.date
        filter.traceID = traceID
        filter.beforeID = beforeID
        let letters = try await withConnection(configuration, label: "dlq.list") { connection in
            try await DeadLetterStore().list(filter, limit: limit, on: connection)
        }
        if json {
            try printJSON(letters.map { DeadLetterJSON($0, includeRecord: false) })
            return
        }
        guard !letters.isEmpty else {
            print("no dead letters match")
            return
        }
        var table = Table(headers: ["ID", "INGESTED", "DLQ TOPIC [P] @OFFSET", "FORMAT", "ORIGINAL TOPIC", "EXCEPTION", "MESSAGE", "STATUS"])
        for stored in letters {
            let letter = stored.letter
            table.rows.append([
                String(stored.id),
                stored.ingestedAt.formatted(.iso8601.time(includingFractionalSeconds: false).year().month().day().dateTimeSeparator(.space)),
                "\(letter.coordinate.topic) [\(letter.coordinate.partition)] @\(letter.coordinate.offset)".truncated(to: 40),
                letter.format.rawValue,
                (letter.originalTopic ?? "?").truncated(to: 30),
                (letter.exceptionClass?.split(separator: ".").last.map(String.init) ?? "-").truncated(to: 32),
                (letter.errorMessage ?? (letter.decodeNotes.isEmpty ? "-" : "(\(letter.decodeNotes[0]))")).truncated(to: 60),
                stored.status,
            ])
        }
        print(table.render())
        if letters.count == limit, let last = letters.last {
            print("\nmore: dlq list --before-id \(last.id) ...")
        }
    }
}
