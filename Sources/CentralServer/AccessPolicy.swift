import CentralStore
import Foundation

/// The one table of who may do what. Everything a role may do is additionally limited to the
/// places under its scope (see `Principal`).
public enum AccessPolicy {
    public static func permissions(of role: Role) -> Set<Permission> {
        switch role {
        case .districtAdmin:
            return Set(Permission.allCases)
        case .streetOffice:
            return [.readLedger, .readAlerts, .acknowledgeAlerts, .lookupPassages, .readGates, .manageGates, .readPlaces,
                    .readWatchList, .readRegistrations, .seeIdentity, .manageProfiles, .openGates]
        case .community:
            return [.readLedger, .readAlerts, .acknowledgeAlerts, .lookupPassages, .readGates, .readPlaces, .readRegistrations,
                    .seeIdentity, .openGates]
        case .checkpointStaff:
            return [.readLedger, .readAlerts, .readGates, .readPlaces, .readRegistrations, .openGates]
        case .auditor:
            return [.readAudit, .readPlaces]
        }
    }
}
