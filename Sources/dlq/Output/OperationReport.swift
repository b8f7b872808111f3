import DLQManager

/// The `--json` document of a command that changes a selection (`resolve`, `purge`): what was selected, the
/// preview shown before the change, and what the change did (absent on a dry run or when nothing was selected).
struct OperationReport<Outcome: Encodable>: Encodable {
    /// The canonical selection the command acted on (the operator's terms, narrowed by the command).
    var selection: String
    var dryRun: Bool
    var preview: SelectionPreview
    var outcome: Outcome?

    enum CodingKeys: String, CodingKey {
        case selection, dryRun = "dry_run", preview, outcome
    }
}
