import Foundation

/// What a person or an administrator token may do, and over which places. Raw values are the wire,
/// database and command-line spelling. The permissions of each role are `AccessPolicy` in the server;
/// the store only keeps the role and checks that the scope fits it.
public enum Role: String, Codable, Sendable, CaseIterable, Hashable {
    /// 区级管理员: everything, every place (accounts, tokens, places, gates, watch list).
    case districtAdmin
    /// 街道: its street office's places: ledgers, alerts, passages, gates (register, rotate, revoke).
    case streetOffice
    /// 社区: its community's places: ledgers, alerts (acknowledge), passages.
    case community
    /// 卡点值守: its checkpoint, read-only, payloads masked.
    case checkpointStaff
    /// 审计员: the audit log, nothing personal.
    case auditor

    /// The level of place an account of this role is bound to; nil = the whole district (no scope).
    public var scopeLevel: PlaceLevel? {
        switch self {
        case .districtAdmin, .auditor: return nil
        case .streetOffice: return .street
        case .community: return .community
        case .checkpointStaff: return .checkpoint
        }
    }
}
