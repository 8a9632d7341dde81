pytest_plugins = [
    "fixtures.imap_server",
    "fixtures.smtp_server",
    "fixtures.databases",
    "fixtures.pipelines",
]
