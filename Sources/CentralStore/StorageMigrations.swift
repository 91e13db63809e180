/// The versioned schema of the central store (same logical schema on both engines).
public enum StorageMigrations {
    /// The schema version this program writes.
    public static let latestVersion = 1
}
