import DLQCore
import DLQManager

/// What a selection holds, printed before a command changes it, e.g.
///
///     120 dead letters selected by: original_topic=orders status=new,replayed
///       original topics: orders 100, payments 20
///       statuses: new 110, replayed 10
///     (then the newest 5 as a table)
enum PreviewText {
    static func render(_ preview: SelectionPreview, selection: DeadLetterSelection) -> String {
        let terms = selection.isEverything ? "(every dead letter)" : selection.description
        var lines = ["\(preview.count) dead letter\(preview.count == 1 ? "" : "s") selected by: \(terms)"]
        guard preview.count > 0 else { return lines.joined(separator: "\n") }
        lines.append("  original topics: " + preview.originalTopics.map { "\($0.topic ?? "?") \($0.count)" }.joined(separator: ", "))
        lines.append("  statuses: " + preview.statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        var table = Table(headers: ["ID", "DLQ TOPIC", "ORIGINAL TOPIC", "CLASS", "EXCEPTION", "STATUS", "MESSAGE"])
        for example in preview.sample {
            table.rows.append([
                String(example.id),
                example.dlqTopic.truncated(to: 30),
                (example.originalTopic ?? "?").truncated(to: 30),
                example.errorClass ?? "-",
                (example.exceptionClass?.split(separator: ".").last.map(String.init) ?? "-").truncated(to: 32),
                example.status,
                (example.errorMessage ?? "-").truncated(to: 60),
            ])
        }
        lines.append("newest \(preview.sample.count):")
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}
