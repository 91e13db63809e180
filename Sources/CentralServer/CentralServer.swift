/// The central store HTTP API (Hummingbird). See openapi.yaml in this folder.
public enum CentralServerModule {}
