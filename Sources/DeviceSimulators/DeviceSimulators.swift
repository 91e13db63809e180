/// Placeholder until the DeviceSimulators module is built (see README.md "Status").
enum DeviceSimulatorsModulePlaceholder {}
