import DLQCore
import DLQManager

extension TestDatabase {
    /// Stores classified dead letters the way the ingest transaction does: the rows, then their groups and
    /// alert outbox, with the default alerting settings.
    func storeArrivals(_ letters: [ClassifiedDeadLetter]) async throws {
        let alerting = try DLQConfiguration.load(filePath: nil, environment: [:]).alerting
        let connection = try await connect()
        try await connection.withTransaction { transaction in
            let inserted = try await DeadLetterStore().insert(letters, in: transaction)
            try await ErrorGroupStore().recordArrivals(inserted, alerting: alerting, in: transaction)
        }
        await connection.close()
    }
}
