import Foundation

/// A snapshot of a running replay, reported after each recorded step.
public struct ReplayProgress: Sendable {
    public var jobID: Int64
    public var total: Int64
    /// Published or skipped, this run and earlier ones.
    public var done: Int64
    public var published: Int64
    public var skipped: Int64
    /// Published by this run only, and when it started: the rate is `publishedThisRun / elapsed`.
    public var publishedThisRun: Int64
    public var runStartedAt: Date
}
