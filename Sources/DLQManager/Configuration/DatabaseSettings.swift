import Foundation

/// Where the dead letters are stored.
public struct DatabaseSettings: Sendable {
    /// A libpq connection URL or conninfo string, without the password.
    public var url: String
    /// From `DLQ_DATABASE_PASSWORD` or the file named by `database.password_file`.
    public var password: Secret?
    /// Where `dlq migrate` finds its SQL files; nil means the usual places (see `MigrationDirectory`).
    public var migrationsDirectory: String?

    /// The string handed to libpq. The password travels as a parameter so it never has to appear in the
    /// configured URL, and libpq accepts it in both the URL and the key=value form.
    public func connectionString() -> String {
        guard let password = password?.revealed() else { return url }
        if url.contains("://") {
            // RFC 3986 unreserved characters stay as they are; everything else is percent-encoded.
            let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let encoded = password.addingPercentEncoding(withAllowedCharacters: unreserved) ?? password
            return url + (url.contains("?") ? "&" : "?") + "password=" + encoded
        }
        let quoted = password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return url + " password='\(quoted)'"
    }
}
