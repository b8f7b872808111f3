import Postgres

extension PostgresError {
    /// The server refuses writes (a standby after failover, or `default_transaction_read_only`): like a lost
    /// connection, waiting can fix it, so ingest holds its offsets and retries instead of failing.
    var isReadOnly: Bool { sqlState == "25006" }

    /// A deadlock or serialization failure: the transaction was rolled back and running it again is the
    /// documented remedy.
    var isTransactionConflict: Bool { sqlState == "40P01" || sqlState == "40001" }
}
