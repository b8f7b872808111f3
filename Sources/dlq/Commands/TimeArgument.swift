import ArgumentParser
import Foundation

/// A point in time on the command line: ISO-8601 (`2026-11-22T10:00:00Z`, `2026-11-22`) or an age
/// relative to now (`90s`, `15m`, `2h`, `7d`).
struct TimeArgument: ExpressibleByArgument {
    var date: Date

    init?(argument: String) {
        if let unit = argument.last, let amount = Double(argument.dropLast()), amount >= 0 {
            let seconds: Double? = switch unit {
            case "s": amount
            case "m": amount * 60
            case "h": amount * 3600
            case "d": amount * 86400
            default: nil
            }
            if let seconds {
                date = Date(timeIntervalSinceNow: -seconds)
                return
            }
        }
        if let date = try? Date(argument, strategy: .iso8601) {
            self.date = date
        } else if let day = try? Date(argument, strategy: Date.ISO8601FormatStyle().year().month().day()) {
            self.date = day
        } else {
            return nil
        }
    }

    static var defaultValueDescription: String { "ISO-8601 time or age like 15m, 2h, 7d" }
}
