/// Where a stored dead letter stands, as operators see it.
///
/// `replayed` is not written on the row: it is derived from the replay items the broker acknowledged, so that
/// replaying 200,000 events does not rewrite 200,000 wide rows. `resolved` wins over `replayed`.
public enum DeadLetterStatus: String, Sendable, CaseIterable, Codable {
    /// Stored, neither replayed nor resolved.
    case new
    /// Published again by a replay job and acknowledged by the broker.
    case replayed
    /// Marked handled by an operator (`dlq resolve`, `dlq groups resolve`).
    case resolved
}
