"""The ``kansrijk`` command: parsing and dispatch only; one module per subcommand, named after it."""
