"""The application's shell: each role's home page, the navigation, the audit trail."""
