import Postgres

extension PostgresError {
    /// The server refuses writes (a standby after failover, or `default_transaction_read_only`): like a lost
    /// connection, waiting can fix it, so ingest holds its offsets and retries instead of failing.
    var isReadOnly: Bool { sqlState == "25006" }

    /// The server ran out of something an operator must free (class 53: disk full, out of memory, too many
    /// connections). Also fixed by waiting, but only once someone acts, so it is logged as an error.
    var isOutOfResources: Bool { sqlState?.hasPrefix("53") == true }

    /// A deadlock or serialization failure: the transaction was rolled back and running it again is the
    /// documented remedy.
    var isTransactionConflict: Bool { sqlState == "40P01" || sqlState == "40001" }

    /// Whether the failure is the server's state rather than the statement's: retrying the same work later
    /// can succeed.
    var isServerUnavailable: Bool { isConnectionFailure || isReadOnly || isOutOfResources }

    /// One line saying what is wrong with the server and what would fix it, for logs and command errors; nil
    /// when the error is not about the server's state.
    public var unavailability: String? {
        if isConnectionFailure { return "PostgreSQL unavailable" }
        if isReadOnly { return "PostgreSQL is read-only (a standby, or default_transaction_read_only is on)" }
        switch sqlState {
        case "53100": return "PostgreSQL is out of disk space: free space on the server's data volume"
        case "53200": return "PostgreSQL is out of memory"
        case "53300": return "PostgreSQL has no free connection slots (max_connections)"
        case let state? where state.hasPrefix("53"): return "PostgreSQL is out of resources"
        default: return nil
        }
    }
}
