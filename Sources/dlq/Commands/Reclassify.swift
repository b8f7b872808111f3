import ArgumentParser
import DLQManager

/// `dlq reclassify`: re-applies changed rules to stored dead letters.
struct Reclassify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-apply the classification rules to every stored dead letter and recompute the groups.",
        discussion: """
            Run it after changing classification.rules. --dry-run shows how many dead letters would change class,
            and changes nothing. The whole run is one transaction: it applies completely or not at all.
            """
    )

    @OptionGroup var options: ConfigOptions
    @Flag(help: "Show what would change; change nothing.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var operatorName: OperatorName
    @Option(help: "Why: recorded in the audit trail.") var reason: String?

    func run() async throws {
        let configuration = try options.load()
        let changes = try await withConnection(configuration, label: "dlq.reclassify") { connection in
            try await connection.withTransaction { transaction in
                let changes = try await ErrorGroupStore().reclassify(classifier: configuration.classifier, apply: !dryRun, in: transaction)
                if !dryRun {
                    let total = changes.values.reduce(0, +)
                    try await AuditLog().record(
                        operator: operatorName.resolved, action: "reclassify",
                        reason: reason, selection: nil, eventCount: Int64(total),
                        outcome: "reclassified \(total) dead letters"
                            + changes.sorted { $0.key < $1.key }.map { "; \($0.value) \($0.key)" }.joined(),
                        in: transaction
                    )
                }
                return changes
            }
        }
        if json {
            try printJSON(["dry_run": dryRun ? 1 : 0, "changed": changes.values.reduce(0, +)])
            return
        }
        let total = changes.values.reduce(0, +)
        print(dryRun ? "would reclassify \(total) dead letters" : "reclassified \(total) dead letters")
        for (change, count) in changes.sorted(by: { $0.value > $1.value }) {
            print("  \(count)  \(change)")
        }
    }
}
