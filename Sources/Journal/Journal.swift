/// Placeholder until the Journal module is built (see README.md "Status").
enum JournalModulePlaceholder {}
