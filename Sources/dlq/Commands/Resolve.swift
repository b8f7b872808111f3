import ArgumentParser
import DLQCore
import DLQManager
import Foundation

/// `dlq resolve`: marks a selection of dead letters handled.
struct Resolve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark selected dead letters resolved; their groups follow, and sinks get a resolve.",
        discussion: """
            Only dead letters not yet resolved (status new or replayed) are changed. Error groups left with no
            unresolved dead letters are resolved, and a group that was alerted gets a resolve sent to the sinks
            that support one. Shows what is selected first and asks for confirmation (--yes for scripts;
            without a terminal and without --yes it refuses). Every resolve is in the audit trail.

            Examples:
              dlq resolve fingerprint=3f9a2c --reason "fixed in payments 2.4.1"
              dlq resolve original_topic=orders class=business until=2026-11-01 --reason "accepted" --dry-run
              dlq resolve id=120-180 --reason "replayed by hand" --yes --json
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var selectionOptions: SelectionOptions
    @OptionGroup var operatorOptions: OperatorOptions
    @Flag(help: "Print JSON (the preview and what changed) instead of text.") var json = false

    func validate() throws {
        guard operatorOptions.reason?.isEmpty == false else {
            throw ValidationError("--reason is required: it is recorded in the audit trail")
        }
        guard try !selectionOptions.selection().isEverything else {
            throw ValidationError("give at least one selection term: resolving every dead letter is not a default")
        }
    }

    func run() async throws {
        let configuration = try options.load()
        let selection = try selectionOptions.selection()
        guard let resolution = Resolution(selection: selection) else {
            print("nothing to resolve: the selection names only resolved dead letters")
            return
        }
        try await withConnection(configuration, label: "dlq.resolve") { connection in
            let preview = try await SelectionPreview.load(resolution.target, on: connection)
            var report = OperationReport<Resolution.Outcome>(
                selection: resolution.target.description, dryRun: operatorOptions.dryRun, preview: preview
            )
            if !json { print(PreviewText.render(preview, selection: resolution.target)) }
            guard preview.count > 0, !operatorOptions.dryRun else {
                if json { try printJSON(report) } else if preview.count > 0 { print("dry run: nothing changed") }
                return
            }
            guard try operatorOptions.confirm("Resolve \(preview.count) dead letters?") else {
                printError("not resolved")
                throw ExitCode.failure
            }
            let outcome = try await connection.withTransaction { transaction in
                try await resolution.apply(
                    operator: operatorOptions.resolvedOperator, reason: operatorOptions.reason, in: transaction
                )
            }
            report.outcome = outcome
            if json { try printJSON(report) } else { print(outcome.summary) }
        }
    }
}
