import ArgumentParser
import DLQManager
import Foundation

/// `dlq groups`: dead letters grouped by fingerprint.
struct Groups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List error groups: dead letters that failed the same way, most recently active first.",
        discussion: """
            A group is identified by its fingerprint: exception class, normalized message (ids, numbers,
            quoted values... replaced by placeholders), original topic and consumer group. Fingerprints may be
            abbreviated to any unique prefix.

            `dlq groups list` takes selection terms (README: Selecting dead letters): only groups with at least
            one selected dead letter are listed, with how many were selected (MATCHING).

            Examples:
              dlq groups --status open
              dlq groups list original_topic=orders status=new since=1d
              dlq groups resolve 3f9a2c --reason "fixed in payments 2.4.1"
            """,
        subcommands: [ListGroups.self, Resolve.self],
        defaultSubcommand: ListGroups.self
    )

    struct ListGroups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List error groups (the default).")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var selectionOptions: SelectionOptions
        @Option(help: "Only groups with this status (open, resolved, regressed).") var status: String?
        @Option(name: .customLong("class"), help: "Only groups of this error class.") var errorClass: String?
        @Option(help: "Only groups of this original topic.") var originalTopic: String?
        @Option(help: "Only groups active since this time (ISO-8601 or an age like 2h).") var since: TimeArgument?
        @Option(help: "At most this many groups.") var limit: Int = 50
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            _ = try selectionOptions.selection()
        }

        func run() async throws {
            let configuration = try options.load()
            let selection = try selectionOptions.selection()
            let groups = try await withConnection(configuration, label: "dlq.groups") { connection in
                try await ErrorGroupStore().list(
                    status: status, errorClass: errorClass, originalTopic: originalTopic, since: since?.date,
                    selection: selection, limit: limit, on: connection
                )
            }
            if json {
                try printJSON(groups)
                return
            }
            guard !groups.isEmpty else {
                print("no error groups match")
                return
            }
            let matching = !selection.isEverything
            var table = Table(headers: ["FINGERPRINT", "STATUS", "CLASS", "SEVERITY", "EVENTS", "UNRESOLVED", "RECURRED"]
                + (matching ? ["MATCHING"] : []) + ["LAST SEEN", "EXCEPTION", "MESSAGE"])
            for group in groups {
                table.rows.append([
                    String(group.fingerprint.prefix(12)),
                    group.status,
                    group.errorClass,
                    group.severity,
                    String(group.eventCount),
                    String(group.unresolvedCount),
                    String(group.recurrenceCount),
                ] + (matching ? [String(group.matchingCount ?? 0)] : []) + [
                    iso8601(group.lastSeen),
                    (group.exceptionClass?.split(separator: ".").last.map(String.init) ?? "-").truncated(to: 32),
                    (group.messagePattern ?? "-").truncated(to: 60),
                ])
            }
            print(table.render())
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark every unresolved dead letter of a group resolved; sinks that support it get a resolve."
        )

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The group's fingerprint, or a unique prefix of it.") var fingerprint: String
        @Option(help: "Why: recorded in the audit trail.") var reason: String?
        @OptionGroup var operatorName: OperatorName

        func run() async throws {
            let configuration = try options.load()
            let store = ErrorGroupStore()
            let who = operatorName.resolved
            let resolved: Int64? = try await withConnection(configuration, label: "dlq.groups") { connection in
                guard let full = try await store.fingerprint(matching: fingerprint, on: connection) else { return nil }
                return try await connection.withTransaction { transaction in
                    try await store.resolve(fingerprint: full, operator: who, reason: reason, in: transaction)
                }
            }
            guard let resolved else {
                printError("no single error group has a fingerprint starting with \(fingerprint)")
                throw ExitCode.failure
            }
            print("resolved \(resolved) dead letters of group \(fingerprint)")
        }
    }
}
