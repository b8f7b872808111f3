import ArgumentParser
import DLQManager
import Foundation

/// `dlq audit`: the trail of operator and daemon actions.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the audit trail of changes to dead letters, newest first.",
        discussion: """
            Every resolve, purge and replay is recorded with who, when, why, the selection and the outcome;
            the daemon's own actions have an operator named system:<what> (system:retention).

            Examples:
              dlq audit --since 7d
              dlq audit --action purge --json
            """
    )

    @OptionGroup var options: ConfigOptions
    @Option(help: "Only entries at or after this time (ISO-8601 or an age like 2h).") var since: TimeArgument?
    @Option(help: "Only this action (resolve, purge, replay...).") var action: String?
    @Option(name: .customLong("job"), help: ArgumentHelp("Only entries of this replay job.", valueName: "id"))
    var jobID: Int64?
    @Option(help: "At most this many entries (1 to 10000).") var limit: Int = 50
    @Flag(help: "Print JSON (an array) instead of a table.") var json = false

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000") }
    }

    func run() async throws {
        let configuration = try options.load()
        let entries = try await withConnection(configuration, label: "dlq.audit") { connection in
            try await AuditLog().list(since: since?.date, action: action, jobID: jobID, limit: limit, on: connection)
        }
        if json {
            try printJSON(entries)
            return
        }
        guard !entries.isEmpty else {
            print("no audit entries match")
            return
        }
        var table = Table(headers: ["ID", "AT", "OPERATOR", "ACTION", "EVENTS", "JOB", "OUTCOME", "REASON", "SELECTION"])
        for entry in entries {
            table.rows.append([
                String(entry.id),
                iso8601(entry.at),
                entry.operatorName.truncated(to: 24),
                entry.action,
                entry.eventCount.map(String.init) ?? "-",
                entry.jobID.map(String.init) ?? "-",
                entry.outcome.truncated(to: 48),
                (entry.reason ?? "-").truncated(to: 40),
                entry.selection.map { $0.isEmpty ? "(every dead letter)" : $0 } ?? "-",
            ])
        }
        print(table.render())
    }
}
