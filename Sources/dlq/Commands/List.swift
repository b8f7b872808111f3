import ArgumentParser
import DLQCore
import DLQManager
import Foundation

/// `dlq list`: the stored dead letters, newest first.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List stored dead letters, newest first.",
        discussion: """
            Selection terms (field=value, README: Selecting dead letters) and the options below combine with
            AND; each option is a shorthand for its term (--original-topic X is original_topic=X). Pages are
            keyset-based: the last line tells the --before-id for the next page. Times are ISO-8601 or an age
            (15m, 2h, 7d). STATUS is derived: replayed once a replay job's publish was acknowledged.

            Examples:
              dlq list original_topic=orders since=1h
              dlq list status=new class=transient,schema 'header.tenant-id="acme corp"'
              dlq list --format spring --status new --json | jq '.[].error_message'
              dlq list trace=4bf92f3577b34da6a3ce929d0e0e4736
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var selectionOptions: SelectionOptions

    @Option(help: "Only this DLQ topic.") var dlqTopic: String?
    @Option(help: "Only dead letters whose original topic is this.") var originalTopic: String?
    @Option(help: ArgumentHelp("Only this envelope format (\(EnvelopeFormat.allCases.map(\.rawValue).joined(separator: ", "))).", valueName: "format"))
    var format: String?
    @Option(help: ArgumentHelp("Only this status (\(DeadLetterStatus.allCases.map(\.rawValue).joined(separator: ", "))).", valueName: "status"))
    var status: String?
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
        if let status, DeadLetterStatus(rawValue: status) == nil {
            throw ValidationError("--status \(status): expected one of \(DeadLetterStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        _ = try selection()
    }

    /// The terms, with each option added as the term it stands for.
    private func selection() throws -> DeadLetterSelection {
        var selection = try selectionOptions.selection()
        func add<T: Equatable>(_ value: T?, to list: inout [T]) {
            if let value, !list.contains(value) { list.append(value) }
        }
        add(dlqTopic, to: &selection.dlqTopics)
        add(originalTopic, to: &selection.originalTopics)
        add(format.flatMap(EnvelopeFormat.init(rawValue:)), to: &selection.formats)
        add(status.flatMap(DeadLetterStatus.init(rawValue:)), to: &selection.statuses)
        add(traceID?.lowercased(), to: &selection.traceIDs)
        if let since {
            guard selection.since == nil else { throw ValidationError("since given twice: as a term and as --since") }
            selection.since = since.date
        }
        if let until {
            guard selection.until == nil else { throw ValidationError("until given twice: as a term and as --until") }
            selection.until = until.date
        }
        return selection
    }

    func run() async throws {
        let configuration = try options.load()
        let selection = try selection()
        let letters = try await withConnection(configuration, label: "dlq.list") { connection in
            try await DeadLetterStore().list(selection, beforeID: beforeID, limit: limit, on: connection)
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
