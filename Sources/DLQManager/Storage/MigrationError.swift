/// A migration that cannot be applied as it stands.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public var migration: String
    public var problem: String

    public var description: String { "migration \(migration): \(problem)" }
}
