import ArgumentParser
import DLQCore
import DLQManager
import Foundation

/// `dlq purge`: deletes dead letters that are done with.
struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete selected dead letters that are resolved or replayed and older than an age.",
        discussion: """
            Never deletes a dead letter that is still new. Deletes in batches of \(DLQManager.Purge.batchSize),
            each its own transaction, and records the total in the audit trail. Shows what is selected first
            and asks for confirmation (--yes for scripts). The daemon can do this on its own: see
            retention.purge_after in Config/dlq.example.yaml.

            Examples:
              dlq purge --older-than 30d --dry-run
              dlq purge dlq_topic=staging.orders.dlq --older-than 7d --reason "staging noise" --yes
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var selectionOptions: SelectionOptions
    @Option(help: ArgumentHelp("Only dead letters ingested longer ago than this (90s, 15m, 12h, 30d).", valueName: "age"))
    var olderThan: String
    @OptionGroup var operatorOptions: OperatorOptions
    @Flag(help: "Print JSON (the preview and what was deleted) instead of text.") var json = false

    func validate() throws {
        guard Age(parsing: olderThan) != nil else {
            throw ValidationError("--older-than \(olderThan): expected an age like 90s, 15m, 12h or 30d")
        }
        _ = try selectionOptions.selection()
    }

    func run() async throws {
        let configuration = try options.load()
        let selection = try selectionOptions.selection()
        guard let age = Age(parsing: olderThan), let purge = DLQManager.Purge(selection: selection, olderThan: age) else {
            print("nothing to purge: dead letters with status new are never purged")
            return
        }
        try await withConnection(configuration, label: "dlq.purge") { connection in
            let preview = try await SelectionPreview.load(purge.target, on: connection)
            var report = OperationReport<PurgeOutcome>(
                selection: purge.target.description, dryRun: operatorOptions.dryRun, preview: preview
            )
            if !json { print(PreviewText.render(preview, selection: purge.target)) }
            guard preview.count > 0, !operatorOptions.dryRun else {
                if json { try printJSON(report) } else if preview.count > 0 { print("dry run: nothing changed") }
                return
            }
            guard try operatorOptions.confirm("Delete \(preview.count) dead letters for good?") else {
                printError("not purged")
                throw ExitCode.failure
            }
            let deleted = try await purge.run(on: connection)
            try await purge.audit(
                deleted: deleted, operator: operatorOptions.resolvedOperator, reason: operatorOptions.reason,
                on: connection
            )
            report.outcome = PurgeOutcome(deleted: deleted)
            if json { try printJSON(report) } else { print("purged \(deleted)") }
        }
    }

    /// What `--json` says a purge did.
    struct PurgeOutcome: Encodable {
        var deleted: Int64
    }
}
