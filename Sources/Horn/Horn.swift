/// Placeholder until the Horn module is built (see README.md "Status").
enum HornModulePlaceholder {}
