import Foundation

/// Finds the folder of plain-SQL migrations: the configured one, else `./Migrations`, else the source tree's
/// folder beside a development build (`.build/<config>/dlq` → `Migrations`), else an installed copy.
enum MigrationDirectory {
    static func resolve(configured: String?) throws -> URL {
        if let configured {
            let url = URL(fileURLWithPath: configured)
            guard isDirectory(url) else {
                throw ConfigurationError(key: "database.migrations_dir", problem: "\(configured) is not a directory")
            }
            return url
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Migrations"),
            executable.deletingLastPathComponent().appendingPathComponent("../../Migrations").standardized,
            executable.deletingLastPathComponent().appendingPathComponent("../../../Migrations").standardized,
            executable.deletingLastPathComponent().appendingPathComponent("../share/dlq-manager/migrations").standardized,
        ]
        guard let found = candidates.first(where: isDirectory) else {
            throw ConfigurationError(
                key: "database.migrations_dir",
                problem: "no Migrations folder found (looked in \(candidates.map(\.path).joined(separator: ", "))); set it"
            )
        }
        return found
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
