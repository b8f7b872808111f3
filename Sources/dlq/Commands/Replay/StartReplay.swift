import ArgumentParser
import DLQCore
import DLQManager
import Foundation

/// `dlq replay <terms>`: create a replay job for a selection and run it.
struct StartReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Replay the selected dead letters (the default: `dlq replay <terms>`)."
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var selectionOptions: SelectionOptions
    @OptionGroup var operatorOptions: OperatorOptions

    @Option(name: .customLong("to"), help: ArgumentHelp("Publish to this topic instead of each event's original topic.", valueName: "topic"))
    var targetTopic: String?
    @Flag(help: "Send each event to its original partition instead of partitioning by key.") var preservePartition = false
    @Option(help: ArgumentHelp("At most this many events per second (default: as fast as the broker takes them).", valueName: "n"))
    var rate: Int?
    @Flag(help: "Select every stored dead letter when no terms are given (otherwise refused).") var all = false
    @Flag(help: "Print the preview and the final report as JSON.") var json = false

    func validate() throws {
        if let rate, rate <= 0 { throw ValidationError("--rate must be a positive number of events per second") }
        if selectionOptions.terms.isEmpty && !all {
            throw ValidationError("no selection: give terms (e.g. original_topic=orders class=transient) or --all")
        }
        if let targetTopic, targetTopic.isEmpty || targetTopic.contains(where: { !($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            throw ValidationError("--to \(targetTopic): not a Kafka topic name (letters, digits, '.', '_', '-')")
        }
    }

    func run() async throws {
        let configuration = try options.load()
        let selection = try selectionOptions.selection().forReplay
        let operatorName = operatorOptions.resolvedOperator
        try await withConnection(configuration, label: "dlq.replay") { connection in
            let preview = try await SelectionPreview.load(selection, on: connection)
            let unknown = targetTopic == nil ? preview.originalTopics.first { $0.topic == nil }?.count ?? 0 : 0
            if json && (operatorOptions.dryRun || preview.count == 0) {
                try printJSON(ReplayPreviewJSON(preview: preview, targetTopic: targetTopic, skippedUnknownTopic: unknown, dryRun: operatorOptions.dryRun))
            } else if !json {
                print(previewText(preview, selection: selection, unknown: unknown))
            }
            guard preview.count > 0, !operatorOptions.dryRun else {
                if operatorOptions.dryRun && !json { print("dry run: nothing was changed") }
                return
            }
            guard try operatorOptions.confirm("Replay \(preview.count - unknown) dead letters?") else {
                printError("not confirmed; nothing was changed")
                throw ExitCode.failure
            }
            let jobID = try await ReplayJobStore().create(ReplayRequest(
                selection: selection, targetTopic: targetTopic, preservePartition: preservePartition, rate: rate,
                operatorName: operatorName, reason: operatorOptions.reason
            ), on: connection)
            if !json { print("replay job \(jobID) created") }
            try await runReplayJob(jobID, operator: operatorName, configuration: configuration, connection: connection, json: json)
        }
    }

    private func previewText(_ preview: SelectionPreview, selection: DeadLetterSelection, unknown: Int64) -> String {
        var text = PreviewText.render(preview, selection: selection)
        guard preview.count > 0 else { return text }
        text += "\nto: " + (targetTopic ?? "each event's original topic")
        if unknown > 0 { text += "\n\(unknown) will be skipped: original topic unknown (use --to)" }
        return text
    }
}

/// `dlq replay --dry-run --json`: what would be replayed.
private struct ReplayPreviewJSON: Encodable {
    var preview: SelectionPreview
    var targetTopic: String?
    var skippedUnknownTopic: Int64
    var dryRun: Bool

    enum CodingKeys: String, CodingKey {
        case preview, targetTopic = "target_topic", skippedUnknownTopic = "skipped_unknown_topic", dryRun = "dry_run"
    }
}
