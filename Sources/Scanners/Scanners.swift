/// Placeholder until the Scanners module is built (see README.md "Status").
enum ScannersModulePlaceholder {}
