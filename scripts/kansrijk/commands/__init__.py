"""One module per ``kansrijk`` subcommand (see ``kansrijk.cli.COMMANDS``)."""
