/// Placeholder until the Uplink module is built (see README.md "Status").
enum UplinkModulePlaceholder {}
