import DLQCore

/// One item of a replay step, read together with its claim: either the dead letter to publish, or why not.
struct ClaimedDeadLetter: Sendable {
    enum Disposition: Sendable {
        /// Claimed for this job: publish `letter` to `target`. `unresolvedGroup` is the fingerprint of a dead letter
        /// that is unresolved and was never replayed: publishing it takes one off its group's unresolved count.
        case publish(letter: DeadLetter, target: String, originalPartition: Int32?, replayCount: Int32, unresolvedGroup: String?)
        /// Claimed, but not to be published; the item is skipped for this reason.
        case skip(String)
        /// Another job holds the claim: left pending and retried after the pass.
        case heldElsewhere
    }

    var deadLetterID: Int64
    var disposition: Disposition
}
