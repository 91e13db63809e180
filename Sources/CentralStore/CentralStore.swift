/// Placeholder until the CentralStore module is built (see README.md "Status").
enum CentralStoreModulePlaceholder {}
