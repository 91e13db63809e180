import Foundation

/// The answer to `GET /v1/commands?wait=S`: the store's time and the gate's unexpired, unacknowledged commands.
public struct RemoteCommandsResponse: Codable, Sendable, Hashable {
    public var serverTime: Date
    public var commands: [RemoteCommand]

    public init(serverTime: Date, commands: [RemoteCommand]) {
        self.serverTime = serverTime
        self.commands = commands
    }
}
