import DLQCore

/// How the ingestion daemon batches and retries.
public struct IngestSettings: Sendable {
    /// Most records written in one PostgreSQL transaction.
    public var batchSize: Int
    /// How long one poll waits for the first record of a batch.
    public var pollTimeout: Duration
    /// First wait after PostgreSQL failed; doubles up to `retryMaximum`.
    public var retryInitial: Duration
    public var retryMaximum: Duration
    /// Records larger than this are stored cut (``RecordSizeLimit``).
    public var recordSizeLimit: RecordSizeLimit
}
