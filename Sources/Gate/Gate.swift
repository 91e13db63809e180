/// Placeholder until the Gate module is built (see README.md "Status").
enum GateModulePlaceholder {}
