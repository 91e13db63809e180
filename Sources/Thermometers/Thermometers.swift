/// Placeholder until the Thermometers module is built (see README.md "Status").
enum ThermometersModulePlaceholder {}
