/// Placeholder until the DeviceCatalog module is built (see README.md "Status").
enum DeviceCatalogModulePlaceholder {}
